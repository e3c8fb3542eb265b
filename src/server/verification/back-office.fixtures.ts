// Test fixtures shared by the back-office suites: an exam year with known windows, two departments,
// three points, staff actors, candidates and dossiers written the way registration writes them (through
// its repository and the dossier hook), so counters and notifications follow.
import type { Db } from '../db/create-db.ts';
import type { UserActor } from '../policy/policy.ts';
import type { Role } from '../db/schema.ts';
import { insertOrgUnits, orgIdForCode } from '../org/org.repository.ts';
import { insertExamYear } from '../exam-years/exam-years.repository.ts';
import { insertUser } from '../accounts/users.repository.ts';
import { insertCandidates } from '../candidates/candidates.repository.ts';
import { dossierInsertPart } from '../dossiers/dossier.repository.ts';
import type { DossierFilters } from '../dossiers/model.ts';
import { snapshotOf } from '../dossiers/commit.ts';
import { effectsOf } from '../dossiers/listeners.ts';
import { applyUnitInWrite } from '../db/write-unit.ts';
import { dossierListeners } from '../app.ts';
import { dossierCode } from '../../domain/dossier-code.ts';
import { newId } from '../ids.ts';
import type { ExamYearWindows } from '../../domain/exam-year.ts';
import type { DossierStatus } from '../../domain/lifecycle.ts';

export const YEAR = 2026;
export const WINDOWS: ExamYearWindows = {
  accountIssuing: { from: '2026-04-01', to: '2026-04-05' },
  trial: { from: '2026-04-06', to: '2026-04-09', closesAt: '17:00' },
  official: { from: '2026-04-10', to: '2026-04-20', closesAt: '17:00' },
  correction: { from: '2026-04-20', opensAt: '17:00', to: '2026-05-01', closesAt: '17:00' },
};
export const IN_OFFICIAL = new Date('2026-04-15T03:00:00Z');
export const IN_CORRECTION = new Date('2026-04-25T03:00:00Z');

export const P1 = orgIdForCode('01001');
export const P2 = orgIdForCode('01002');
export const P3 = orgIdForCode('02001');

export function actor(role: Role, orgCode: string, departmentCode: string | null): UserActor {
  return { kind: 'user', userId: `u-${role}-${orgCode}`, role, orgUnitId: orgIdForCode(orgCode), departmentCode, sessionId: 's', mustChangePassword: false };
}

export const officer1 = actor('point_officer', '01001', '01');
export const officer2 = actor('point_officer', '01002', '01');
export const officer3 = actor('point_officer', '02001', '02');
export const dept01 = actor('department_officer', '01', '01');
export const ministry = actor('ministry_admin', 'BGD', null);
export const agent01 = actor('support_agent', '01', '01');
export const agentNational = actor('support_agent', 'BGD', null);

export async function seedStructure(db: Db, now = IN_OFFICIAL): Promise<void> {
  await db.write(async (trx) => {
    await insertOrgUnits(
      trx,
      [
        { kind: 'ministry', code: 'BGD', name: 'Bộ GD&ĐT', parentId: null, departmentCode: null },
        { kind: 'department', code: '01', name: 'Sở Hà Nội', parentId: orgIdForCode('BGD'), departmentCode: '01' },
        { kind: 'department', code: '02', name: 'Sở TP.HCM', parentId: orgIdForCode('BGD'), departmentCode: '02' },
        { kind: 'point', code: '01001', name: 'THPT Chu Văn An', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
        { kind: 'point', code: '01002', name: 'THPT Việt Đức', parentId: orgIdForCode('01'), departmentCode: '01', pointKind: 'school' },
        { kind: 'point', code: '02001', name: 'THPT Lê Hồng Phong', parentId: orgIdForCode('02'), departmentCode: '02', pointKind: 'school' },
      ],
      now,
    );
    await insertExamYear(trx, { year: YEAR, scheme: 'CT2018', windows: WINDOWS, published: true }, now);
    for (const a of [officer1, officer2, officer3, dept01, ministry, agent01, agentNational]) {
      await insertUser(trx, { id: a.userId, username: a.userId, role: a.role, orgUnitId: a.orgUnitId, displayName: a.userId, passwordHash: 'x', mustChangePassword: false }, now);
    }
  });
}

let serial = 0;

export interface MadeCandidate {
  candidateId: string;
  userId: string;
  idNumber: string;
  pointId: string;
  departmentCode: string;
  fullName: string;
}

export async function makeCandidates(db: Db, pointId: string, names: string[], opts: { className?: string; now?: Date; dob?: string } = {}): Promise<MadeCandidate[]> {
  const dept = pointId.slice(4, 6);
  const out: MadeCandidate[] = [];
  const now = opts.now ?? IN_OFFICIAL;
  await db.write(async (trx) => {
    const list = [];
    for (const n of names) {
      serial += 1;
      const idNumber = `0012080${String(serial).padStart(5, '0')}`;
      const userId = newId();
      await insertUser(trx, { id: userId, username: idNumber, role: 'candidate', orgUnitId: pointId, displayName: n, passwordHash: null, mustChangePassword: true }, now);
      const c = { id: newId(), userId, examYear: YEAR, pointId, departmentCode: dept, idKind: 'cccd' as const, idNumber, fullName: n, gender: 'M' as const, dateOfBirth: opts.dob ?? '2008-03-14', birthProvince: '01', className: opts.className ?? '12A1', candidateType: 'current' as const };
      list.push(c);
      out.push({ candidateId: c.id, userId, idNumber, pointId, departmentCode: dept, fullName: n });
    }
    await insertCandidates(trx, list, now);
  });
  return out;
}

export function filters(over: Partial<DossierFilters> = {}): DossierFilters {
  return {
    subjectsCombo: 'LI+NN',
    purpose: 'both',
    candidateType: 'current',
    programme: 'CT2018',
    cccdMismatch: false,
    photoMissing: false,
    exemptionClaimed: false,
    priorityClaimed: false,
    errorsCount: 0,
    warningsCount: 0,
    ...over,
  };
}

let codeSerial = 0;

/** A dossier as the dossier module would write it, listeners included (counters, notifications). Returns its id. */
export async function makeDossier(
  db: Db,
  c: MadeCandidate,
  status: DossierStatus,
  opts: { filters?: Partial<DossierFilters>; channel?: 'online' | 'desk'; now?: Date; contact?: { email?: string; phone?: string } } = {},
): Promise<string> {
  const id = newId();
  const now = opts.now ?? IN_OFFICIAL;
  const f = filters(opts.filters);
  const data = { contact: { phone: opts.contact?.phone ?? '0912345678', email: opts.contact?.email ?? 'ts@example.vn', address: 'Hà Nội' } };
  const code = dossierCode(c.departmentCode, YEAR, ++codeSerial);
  const submittedAt = status === 'draft' ? null : now.toISOString();
  const channel = opts.channel ?? 'online';
  // a stored verdict that no rules context matches: the dossier is checked afresh when read
  const summary = { key: 'fixture', findingsJson: '[]', tasksJson: '[]' };
  const snap = snapshotOf({ id, code, candidateId: c.candidateId, examYear: YEAR, isTrial: false, status, version: 1, pointId: c.pointId, departmentCode: c.departmentCode, channel, filters: f, submittedAt });
  const effects = effectsOf(dossierListeners(), null, snap, { kind: 'created', at: now, actorId: c.userId, actorRole: 'candidate', candidateUserId: c.userId });
  await db.write((trx) =>
    applyUnitInWrite(trx, {
      primary: dossierInsertPart({ id, code, candidateId: c.candidateId, examYear: YEAR, isTrial: false, status, dataJson: JSON.stringify(data), filters: f, summary, pointId: c.pointId, departmentCode: c.departmentCode, channel, submittedAt }, now),
      then: effects.parts,
      atCommit: effects.atCommit,
    }),
  );
  if (f.photoMissing === false) await db.write((trx) => trx.updateTable('dossiers').set({ photo_missing: 0 }).where('id', '=', id).execute());
  return id;
}
