// Signing in with a VNeID identity: refused (and audited) below the required level, for an account that
// cannot sign in, or when the person's existing account disagrees on the date of birth; otherwise the
// person's one account is found (an earlier link, or the school-issued account named by the personal
// number, which is then linked) or made (a free candidate's first visit), and a session opens.
import type { Config } from '../../config.ts';
import type { Db } from '../../db/create-db.ts';
import { appendAudit } from '../../audit/audit.repository.ts';
import { maskId } from '../../logger.ts';
import { newId } from '../../ids.ts';
import { orgIdForCode } from '../../org/org.repository.ts';
import { insertUser, markSignedIn, setUserStatus } from '../../accounts/users.repository.ts';
import { accountSnapshots } from '../../accounts/account-counts.ts';
import { onAccountsChanged } from '../../stats/counters.ts';
import { markIdentityVerified } from '../../candidates/candidates.repository.ts';
import { openSession, type OpenedSession } from '../../accounts/sessions.ts';
import { vneidSignInRefusal, type VneidIdentity, type VneidRefusal } from '../../../domain/vneid.ts';
import { findPersonAccount, upsertIdentityLink } from './vneid.repository.ts';

export interface VneidCtx {
  db: Db;
  config: Config;
  now: Date;
  ip: string | null;
}

export type VneidSignInResult =
  | { ok: true; session: OpenedSession; userId: string; created: boolean; linked: boolean; needsRegistrationPoint: boolean }
  | { ok: false; refusal: VneidRefusal };

/** Audits a refusal in its own write (nothing else is written for a refused sign-in). */
export async function auditVneidRefusal(ctx: VneidCtx, refusal: VneidRefusal, details: Record<string, unknown>, userId: string | null = null): Promise<void> {
  await ctx.db.write((trx) =>
    appendAudit(trx, { action: 'auth.vneid_refused', actor: null, targetType: userId ? 'user' : null, targetId: userId, ip: ctx.ip, details: { reason: refusal, ...details } }, ctx.now),
  );
}

export async function signInWithVneid(ctx: VneidCtx, identity: VneidIdentity): Promise<VneidSignInResult> {
  const masked = maskId(identity.personalNumber);
  const existing = await findPersonAccount(ctx.db.read, identity.personalNumber);
  const refusal = vneidSignInRefusal(
    identity,
    ctx.config.VNEID_REQUIRED_LEVEL === 1 ? 1 : 2,
    existing ? { role: existing.role, status: existing.status, dateOfBirth: existing.candidateDateOfBirth } : null,
  );
  if (refusal) {
    await auditVneidRefusal(ctx, refusal, { personalNumber: masked, level: identity.level }, existing?.userId ?? null);
    return { ok: false, refusal };
  }

  return ctx.db.write(async (trx) => {
    const counted = existing ? [existing.userId] : [];
    const before = await accountSnapshots(trx, counted);
    let userId: string;
    let created = false;
    if (existing) {
      userId = existing.userId;
      // a school account not yet handed out: the person has just proved who they are, so it opens
      if (existing.status === 'not_issued') await setUserStatus(trx, userId, 'active', ctx.now);
      if (existing.candidateId) await markIdentityVerified(trx, existing.candidateId, 'vneid', ctx.now);
    } else {
      userId = newId();
      created = true;
      // no registration point yet: the account sits at the ministry's root until the person chooses one
      await insertUser(trx, { id: userId, username: identity.personalNumber, role: 'candidate', orgUnitId: orgIdForCode('BGD'), displayName: identity.fullName, passwordHash: null, mustChangePassword: false }, ctx.now);
      await setUserStatus(trx, userId, 'active', ctx.now);
    }
    await upsertIdentityLink(trx, userId, identity, ctx.now);
    const session = await openSession(trx, ctx.config, userId, ctx.now, ctx.ip);
    await markSignedIn(trx, userId, ctx.now);
    const after = await accountSnapshots(trx, counted);
    await onAccountsChanged(trx, counted.map((id) => ({ before: before.get(id) ?? null, after: after.get(id) ?? null })));
    const linked = Boolean(existing && !existing.linked);
    const entries = [
      {
        action: 'auth.sign_in',
        actor: null,
        targetType: 'user',
        targetId: userId,
        ip: ctx.ip,
        details: { method: 'vneid', personalNumber: masked, level: identity.level, sessionId: session.id },
      },
    ];
    if (created) entries.push({ action: 'account.vneid_created', actor: null, targetType: 'user', targetId: userId, ip: ctx.ip, details: { method: 'vneid', personalNumber: masked, level: identity.level, sessionId: session.id } });
    if (linked) {
      const nameDiffers = existing?.candidateFullName ? existing.candidateFullName.normalize('NFC').toLocaleUpperCase('vi') !== identity.fullName.toLocaleUpperCase('vi') : false;
      entries.push({ action: 'account.vneid_linked', actor: null, targetType: 'user', targetId: userId, ip: ctx.ip, details: { method: 'vneid', personalNumber: masked, level: identity.level, sessionId: session.id, ...(nameDiffers ? { nameDiffers: true } : {}) } as never });
    }
    await appendAudit(trx, entries, ctx.now);
    return { ok: true as const, session, userId, created, linked, needsRegistrationPoint: !existing?.candidateId };
  });
}
