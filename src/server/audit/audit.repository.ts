// The audit log: who did what to which record, when and from where. Append-only: this module has no
// update or delete, and nothing else writes the table. Personal numbers are masked before they are
// stored (maskId), so the trail itself holds no full CCCD.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor, Scope } from '../policy/policy.ts';
import { newId } from '../ids.ts';
import { prepared } from '../db/prepared.ts';
import { insertRowsPart } from '../db/insert-rows.ts';
import type { UnitPart } from '../db/write-unit.ts';

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out'
  | 'account.password_changed'
  | 'account.password_reset'
  | 'account.sessions_ended'
  | 'account.issued'
  | 'account.import_validated'
  | 'account.import_committed'
  | 'staff.created'
  | 'staff.disabled'
  | 'staff.enabled'
  | 'personal_data.read'
  | (string & {});

export interface AuditEntry {
  action: AuditAction;
  actor: Actor | null;
  targetType?: string | null;
  targetId?: string | null;
  departmentCode?: string | null;
  ip?: string | null;
  /** never a full personal number: pass maskId(...) */
  details?: Record<string, unknown>;
}

function row(e: AuditEntry, now: Date) {
  const user = e.actor && e.actor.kind === 'user' ? e.actor : null;
  return {
    id: newId(),
    at: now.toISOString(),
    actor_id: user?.userId ?? null,
    actor_role: user?.role ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    department_code: e.departmentCode ?? null,
    ip: e.ip ?? null,
    details: e.details ? JSON.stringify(e.details) : null,
  };
}

const AUDIT_COLUMNS = ['id', 'at', 'actor_id', 'actor_role', 'action', 'target_type', 'target_id', 'department_code', 'ip', 'details'] as const;
const appendOne = prepared<ReturnType<typeof row>, never>((db, p) =>
  db.insertInto('audit_log').values(Object.fromEntries(AUDIT_COLUMNS.map((c) => [c, p(c)])) as ReturnType<typeof row>),
);

/** Append entries inside the caller's write transaction, so the trail commits with the change. */
export async function appendAudit(trx: Kysely<DB>, entries: AuditEntry | AuditEntry[], now: Date): Promise<void> {
  if (!Array.isArray(entries)) {
    // one entry (a sign-in, a verification): compiled once, it costs the write a fraction of a build
    await appendOne(trx, row(entries, now));
    return;
  }
  const list = entries;
  if (list.length === 0) return;
  // chunks keep PostgreSQL's 65,535-parameter limit out of reach for large batches
  for (let i = 0; i < list.length; i += 500) {
    await trx.insertInto('audit_log').values(list.slice(i, i + 500).map((e) => row(e, now))).execute();
  }
}

const AUDIT_PART_COLUMNS = { id: 'text', at: 'text', actor_id: 'text', actor_role: 'text', action: 'text', target_type: 'text', target_id: 'text', department_code: 'text', ip: 'text', details: 'text' } as const;

/** An entry as a part of a write unit: it commits exactly with the change it records. */
export function auditPart(e: AuditEntry, now: Date): UnitPart<Record<string, unknown>> {
  return insertRowsPart('audit_log', AUDIT_PART_COLUMNS, [row(e, now)], { shape: 'audit' });
}

export interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  departmentCode: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditQuery {
  targetId?: string;
  actorId?: string;
  action?: string;
  /** ISO timestamp: entries strictly before it (paging backwards in time) */
  before?: string;
  limit: number;
}

/** Entries within a scope, newest first. A department sees the entries about its province. */
export async function listAudit(db: Kysely<DB>, scope: Scope, q: AuditQuery): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if ('departmentCode' in scope) query = query.where('department_code', '=', scope.departmentCode);
  else if ('pointId' in scope || 'userId' in scope) return [];
  if (q.targetId) query = query.where('target_id', '=', q.targetId);
  if (q.actorId) query = query.where('actor_id', '=', q.actorId);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.before) query = query.where('at', '<', q.before);
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    departmentCode: r.department_code,
    ip: r.ip,
    details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
  }));
}
