// One candidate's graduation result from what the system holds about them: the verified dossier (scheme,
// track, purpose, subjects, exemptions, encouragement points, retained scores), the council's published
// marks and the school's averages and graduation priority groups. Pure: the reference tables come in.
//
// Assumptions (named):
// - a paper with no published mark takes the candidate's retained score (điểm bảo lưu) for it, when the
//   dossier declares one; a published mark always wins;
// - graduation priority groups (TN1, TN2) come with the school's averages file: the dossier carries the
//   admission priority object, not the graduation groups;
// - a dossier without its status, purpose or subjects cannot be scored: the result is "incomplete".
import { StatusSchema, PurposeSchema, SubjectsSchema, ExemptionSchema, PrioritySchema, RetainedScoresSchema, PersonalSchema } from './dossier.ts';
import { computeGraduation, graduationPriorityPoints, graduationRuleFor, type GraduationFile, type GraduationResult, type PaperMark } from './graduation.ts';
import { priorityTableFor, type PriorityFile } from './priority-object.ts';
import { graduationFormula, isFinding, schemeFor, type Scheme, type SubjectRef, subjectsSat, type CandidateProfile } from './subjects.ts';
import { toPaperMark, type StoredMark } from './exam-marks.ts';
import { error, type Finding } from './messages.ts';
import type { SchemeCode } from './exam-year.ts';

export interface GraduationRefs {
  schemes: readonly Scheme[];
  graduation: Pick<GraduationFile, 'rules'>;
  priority: Pick<PriorityFile, 'tables'>;
  subjects: readonly SubjectRef[];
}

export interface CandidateRecord {
  /** the dossier's declared sections as stored */
  dossier: unknown;
  /** the programme on the dossier's filter column, or the year's scheme */
  programme: SchemeCode;
  marks: Readonly<Record<string, StoredMark>>;
  averages: { grade10: number | null; grade11: number | null; grade12: number | null; graduationGroups: readonly string[] } | null;
}

export type ResultStatus = 'passed' | 'failed' | 'incomplete' | 'not_applicable';

export interface CandidateGraduation {
  scheme: SchemeCode;
  status: ResultStatus;
  result: GraduationResult | null;
  reasons: Finding[];
}

const INCOMPLETE = new Set(['GRAD_PAPER_MISSING', 'GRAD_SCHOOL_AVERAGE_MISSING', 'RESULT_DOSSIER_INCOMPLETE', 'RESULT_RULE_MISSING']);

function section<T>(schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } }, x: unknown): T | undefined {
  const r = schema.safeParse(x);
  return r.success ? r.data : undefined;
}

/** The subjects the candidate registered a paper in, from the dossier; null when the dossier does not say. */
export function registeredPapers(refs: Pick<GraduationRefs, 'schemes'>, examYear: number, rec: Pick<CandidateRecord, 'dossier' | 'programme'>): string[] | null {
  const d = (rec.dossier ?? {}) as Record<string, unknown>;
  const status = section(StatusSchema, d['status']);
  const purpose = section(PurposeSchema, d['purpose']);
  const subjects = section(SubjectsSchema, d['subjects']);
  if (!status || !purpose || !subjects) return null;
  const scheme = schemeFor(refs.schemes, examYear, status.programme);
  if (isFinding(scheme)) return null;
  return subjectsSat(scheme, { track: status.track, purpose }, subjects);
}

export function candidateGraduation(refs: GraduationRefs, examYear: number, rec: CandidateRecord): CandidateGraduation {
  const d = (rec.dossier ?? {}) as Record<string, unknown>;
  const status = section(StatusSchema, d['status']);
  const purpose = section(PurposeSchema, d['purpose']);
  const subjects = section(SubjectsSchema, d['subjects']);
  const exemption = section(ExemptionSchema, d['exemption']) ?? {};
  const priority = section(PrioritySchema, d['priority']) ?? {};
  const retained = section(RetainedScoresSchema, d['retainedScores']) ?? [];
  const personal = (d['personal'] ?? {}) as Partial<Record<keyof typeof PersonalSchema.shape, unknown>>;
  const programme = status?.programme ?? rec.programme;
  const incomplete = (f: Finding): CandidateGraduation => ({ scheme: programme, status: 'incomplete', result: null, reasons: [f] });
  if (!status || !purpose || !subjects) {
    return incomplete(error('RESULT_DOSSIER_INCOMPLETE', 'dossier', 'Hồ sơ chưa có đủ đối tượng, mục đích dự thi và môn thi để tính điểm xét tốt nghiệp.', 'The dossier lacks the status, purpose or subjects needed to compute the graduation score.'));
  }
  const scheme = schemeFor(refs.schemes, examYear, status.programme);
  if (isFinding(scheme)) return incomplete(scheme);
  const profile: CandidateProfile = { ...status, purpose, nationality: typeof personal.nationality === 'string' ? personal.nationality : 'VN' };
  const formula = graduationFormula(scheme, profile, subjects, exemption);
  if (!formula) return { scheme: programme, status: 'not_applicable', result: null, reasons: [] };
  const rule = graduationRuleFor(refs.graduation, examYear, status.programme);
  if (!rule) {
    return incomplete(error('RESULT_RULE_MISSING', 'rules', `Chưa có quy tắc xét tốt nghiệp ${status.programme} cho năm ${examYear}.`, `No ${status.programme} graduation rule is set for ${examYear}.`));
  }
  const marks: Record<string, PaperMark> = {};
  for (const r of retained) marks[r.subject] = { kind: 'score', score: r.score };
  for (const [subject, m] of Object.entries(rec.marks)) marks[subject] = toPaperMark(m);
  const table = priorityTableFor(refs.priority, examYear);
  const pri = table ? graduationPriorityPoints(table, rec.averages?.graduationGroups ?? [], 'averages.graduationGroups') : { points: 0, findings: [] };
  const a = rec.averages;
  const school = a ? { grade10: a.grade10 === null ? null : a.grade10 / 100, grade11: a.grade11 === null ? null : a.grade11 / 100, grade12: a.grade12 === null ? null : a.grade12 / 100 } : {};
  const result = computeGraduation(rule, {
    formula,
    marks,
    school,
    names: refs.subjects,
    ...(priority.encouragementPoints !== undefined ? { encouragementPoints: priority.encouragementPoints } : {}),
    priorityPoints: pri.points,
  });
  const reasons = [...result.reasons, ...pri.findings];
  // a paper missed or failed decides the year whatever else is still to come; a gap in the data alone does not
  const decided = reasons.some((f) => !INCOMPLETE.has(f.code));
  const st: ResultStatus = result.passed ? 'passed' : decided ? 'failed' : 'incomplete';
  return { scheme: programme, status: st, result, reasons };
}
