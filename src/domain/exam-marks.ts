// A council's marks as the results import reads them, and what a re-import changes. Pure: the cells come
// in as text, the published marks as data. Marks are held as integer hundredths (centi) so that 7.25 is
// exactly 725 and a step check is integer arithmetic.
//
// Assumptions (named, as the regulation's file format is not public):
// - a mark cell holds the paper's score as marked, 0–10, with a dot or a comma as the decimal sign;
//   "V" / "Vắng" means absent (vắng thi), "ĐC" / "Đình chỉ" suspended from the paper (đình chỉ thi);
// - a reprimand (khiển trách, "KT") or warning (cảnh cáo, "CC") is given in its own optional column, and the
//   deduction (25% / 50%, reference/graduation.json) is applied when the graduation score is computed, not
//   in the file;
// - a file replaces the council's marks for the papers it contains: a published mark of such a paper that
//   the file no longer has is reported as removed (and removed on publish). Papers the file does not
//   contain are left alone, so a council may upload paper by paper.
import { foldDiacritics } from './names.ts';
import { error, type Finding } from './messages.ts';
import type { PaperMark } from './graduation.ts';

export type Sanction = 'reprimand' | 'warning';
export type StoredMark = { kind: 'score'; centi: number; sanction: Sanction | null } | { kind: 'absent' } | { kind: 'suspended' };

export const DEFAULT_MARK_STEP = 0.25;

const ABSENT = new Set(['v', 'vang', 'vang thi', 'absent', 'abs']);
const SUSPENDED = new Set(['dc', 'dinh chi', 'dinh chi thi', 'suspended']);

/** The mark cell (and the sanction cell) as a stored mark, or the findings that name what is wrong. */
export function parseMark(raw: string, sanctionRaw: string, step = DEFAULT_MARK_STEP, field = 'mark'): { ok: true; mark: StoredMark } | { ok: false; findings: Finding[] } {
  const v = raw.trim();
  const folded = foldDiacritics(v).replace(/[.]/g, '').trim();
  const sanction = parseSanction(sanctionRaw);
  const findings: Finding[] = [];
  if (sanction === 'invalid') findings.push(error('SANCTION_INVALID', 'sanction', 'Hình thức kỷ luật ghi "KT" (khiển trách), "CC" (cảnh cáo) hoặc để trống.', 'The sanction must be "KT" (reprimand), "CC" (warning) or empty.'));
  if (v === '') return { ok: false, findings: [error('MARK_MISSING', field, 'Chưa có điểm.', 'The mark is missing.'), ...findings] };
  if (ABSENT.has(folded) || SUSPENDED.has(folded)) {
    const kind = ABSENT.has(folded) ? 'absent' : 'suspended';
    if (sanction !== null && sanction !== 'invalid') {
      findings.push(error('SANCTION_WITHOUT_SCORE', 'sanction', 'Chỉ trừ điểm kỷ luật khi thí sinh có điểm bài thi.', 'A sanction applies only to a paper with a score.'));
    }
    return findings.length > 0 ? { ok: false, findings } : { ok: true, mark: { kind } };
  }
  if (!/^\d{1,2}([.,]\d{1,4})?$/.test(v)) {
    return { ok: false, findings: [error('MARK_NOT_A_NUMBER', field, `Điểm "${v.slice(0, 20)}" không phải là số (hoặc V: vắng thi, ĐC: đình chỉ thi).`, `The mark "${v.slice(0, 20)}" is not a number (or V: absent, ĐC: suspended).`), ...findings] };
  }
  const [whole, frac = ''] = v.split(/[.,]/) as [string, string?];
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) {
    return { ok: false, findings: [error('MARK_STEP', field, `Điểm ${v} không là bội của ${fmtStep(step)}.`, `The mark ${v} is not a multiple of ${fmtStep(step)}.`, { step }), ...findings] };
  }
  const centi = Number(whole) * 100 + Number((frac + '00').slice(0, 2));
  if (centi > 1000) findings.push(error('MARK_OUT_OF_RANGE', field, 'Điểm phải từ 0 đến 10.', 'The mark must be between 0 and 10.', { min: 0, max: 10 }));
  else if (centi % Math.round(step * 100) !== 0) findings.push(error('MARK_STEP', field, `Điểm ${v} không là bội của ${fmtStep(step)}.`, `The mark ${v} is not a multiple of ${fmtStep(step)}.`, { step }));
  if (findings.length > 0) return { ok: false, findings };
  return { ok: true, mark: { kind: 'score', centi, sanction: sanction === 'invalid' ? null : sanction } };
}

const fmtStep = (step: number) => String(step).replace('.', ',');

function parseSanction(raw: string): Sanction | null | 'invalid' {
  const f = foldDiacritics(raw).replace(/[.]/g, '').trim();
  if (f === '') return null;
  if (['kt', 'khien trach', 'reprimand'].includes(f)) return 'reprimand';
  if (['cc', 'canh cao', 'warning'].includes(f)) return 'warning';
  return 'invalid';
}

/** A stored mark as the graduation formula takes it. */
export function toPaperMark(m: StoredMark): PaperMark {
  if (m.kind !== 'score') return { kind: m.kind };
  return m.sanction ? { kind: 'score', score: m.centi / 100, sanction: m.sanction } : { kind: 'score', score: m.centi / 100 };
}

export const sameMark = (a: StoredMark, b: StoredMark): boolean =>
  a.kind === b.kind && (a.kind !== 'score' || (b.kind === 'score' && a.centi === b.centi && a.sanction === b.sanction));

/** How a mark reads in a report: 7,25 / 7,25 (KT) / Vắng / Đình chỉ. */
export function formatMark(m: StoredMark | null): { vi: string; en: string } {
  if (!m) return { vi: '—', en: '—' };
  if (m.kind === 'absent') return { vi: 'Vắng', en: 'Absent' };
  if (m.kind === 'suspended') return { vi: 'Đình chỉ', en: 'Suspended' };
  const n = (m.centi / 100).toFixed(2);
  const s = m.sanction === 'reprimand' ? { vi: ' (KT)', en: ' (reprimand)' } : m.sanction === 'warning' ? { vi: ' (CC)', en: ' (warning)' } : { vi: '', en: '' };
  return { vi: n.replace('.', ',') + s.vi, en: n + s.en };
}

export interface IncomingMark {
  candidateId: string;
  subject: string;
  mark: StoredMark;
}

export type MarkChange =
  | { change: 'added'; candidateId: string; subject: string; mark: StoredMark }
  | { change: 'changed'; candidateId: string; subject: string; mark: StoredMark; old: StoredMark }
  | { change: 'unchanged'; candidateId: string; subject: string; mark: StoredMark }
  | { change: 'removed'; candidateId: string; subject: string; old: StoredMark };

const key = (candidateId: string, subject: string) => `${candidateId}\u0000${subject}`;

/**
 * What publishing `incoming` would change against the `published` marks: every incoming mark is added,
 * changed (with the old value) or unchanged; a published mark of a paper the file covers that the file
 * does not have is removed, unless a row of the file that failed its checks names it (`held`). Published
 * marks of papers the file does not cover are not looked at.
 */
export function diffMarks(published: ReadonlyArray<IncomingMark>, incoming: ReadonlyArray<IncomingMark>, held: ReadonlyArray<Pick<IncomingMark, 'candidateId' | 'subject'>> = []): MarkChange[] {
  // a row of the file with an error still names its mark: that published mark is held, never removed
  const hold = new Set(held.map((h) => key(h.candidateId, h.subject)));
  const covered = new Set(incoming.map((m) => m.subject));
  const before = new Map(published.filter((m) => covered.has(m.subject)).map((m) => [key(m.candidateId, m.subject), m.mark]));
  const out: MarkChange[] = [];
  const seen = new Set<string>();
  for (const m of incoming) {
    const k = key(m.candidateId, m.subject);
    seen.add(k);
    const old = before.get(k);
    if (!old) out.push({ change: 'added', candidateId: m.candidateId, subject: m.subject, mark: m.mark });
    else if (sameMark(old, m.mark)) out.push({ change: 'unchanged', candidateId: m.candidateId, subject: m.subject, mark: m.mark });
    else out.push({ change: 'changed', candidateId: m.candidateId, subject: m.subject, mark: m.mark, old });
  }
  for (const m of published) {
    const k = key(m.candidateId, m.subject);
    if (covered.has(m.subject) && !seen.has(k) && !hold.has(k)) out.push({ change: 'removed', candidateId: m.candidateId, subject: m.subject, old: m.mark });
  }
  return out;
}

/**
 * A school-year average cell: 0–10, at most 2 decimals (dot or comma), as hundredths; empty is null
 * (the year was not studied under a Vietnamese programme, or the grade is not needed).
 */
export function parseAverage(raw: string, field: string): { ok: true; centi: number | null } | { ok: false; finding: Finding } {
  const v = raw.trim();
  if (v === '') return { ok: true, centi: null };
  const m = /^(\d{1,2})(?:[.,](\d{1,2}))?$/.exec(v);
  const bad = () => error('AVERAGE_INVALID', field, `Điểm trung bình "${v.slice(0, 20)}" phải là số từ 0 đến 10, tối đa 2 chữ số thập phân.`, `The average "${v.slice(0, 20)}" must be a number from 0 to 10 with at most 2 decimals.`);
  if (!m) return { ok: false, finding: bad() };
  const centi = Number(m[1]) * 100 + Number(((m[2] ?? '') + '00').slice(0, 2));
  if (centi > 1000) return { ok: false, finding: bad() };
  return { ok: true, centi };
}
