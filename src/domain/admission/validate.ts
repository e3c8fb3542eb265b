// Checks an admission run's input before it runs: a run over malformed data must stop with every problem
// named, never produce a result someone could publish.
import { error, type Finding } from '../messages.ts';
import type { AdmissionInput, TieCriterion } from './types.ts';

/** Values are stored in 32-bit integers by the compact engine; its smallest value marks "absent". */
export const MIN_VALUE = -2147483647;
export const MAX_VALUE = 2147483647;
/** At most this many findings are listed: a broken export would otherwise list millions. */
export const MAX_FINDINGS = 100;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= MIN_VALUE && v <= MAX_VALUE;

export class AdmissionInputError extends Error {
  constructor(readonly findings: Finding[]) {
    super(`the admission run's input is invalid: ${findings.map((f) => `${f.field}: ${f.en}`).join('; ')}`);
    this.name = 'AdmissionInputError';
  }
}

function checkCriteria(criteria: unknown, field: string, push: (f: Finding) => void): void {
  if (!Array.isArray(criteria)) {
    push(error('ADMISSION_TIE_RULE_INVALID', field, 'Quy tắc xét điểm bằng nhau phải là một danh sách.', 'The tie-break rule must be a list.'));
    return;
  }
  criteria.forEach((c: Partial<TieCriterion> | null, i) => {
    const ok = c !== null && typeof c === 'object' && (c.by === 'wish-order' || (c.by === 'value' && typeof (c as { key?: unknown }).key === 'string' && (c as { key: string }).key !== ''));
    if (!ok) push(error('ADMISSION_TIE_RULE_INVALID', `${field}[${i}]`, 'Tiêu chí phụ phải là thứ tự nguyện vọng hoặc một giá trị có tên.', 'A tie-break step is either the wish order or a named value.'));
  });
}

export function validateAdmissionInput(input: AdmissionInput): Finding[] {
  const out: Finding[] = [];
  const push = (f: Finding) => {
    if (out.length < MAX_FINDINGS) out.push(f);
  };
  const cap = input.teacherTrainingWishCap;
  if (cap !== null && !(Number.isInteger(cap) && cap >= 1)) {
    push(error('ADMISSION_CAP_INVALID', 'teacherTrainingWishCap', 'Giới hạn nguyện vọng ngành sư phạm phải là số nguyên dương hoặc để trống.', 'The teacher-training wish cap must be a positive integer or null.'));
  }
  const keysNeeded = new Map<string, string[]>();
  input.programmes.forEach((p, i) => {
    const f = `programmes[${i}]`;
    if (typeof p.id !== 'string' || p.id === '') push(error('ADMISSION_PROGRAMME_ID', `${f}.id`, 'Thiếu mã ngành – phương thức.', 'The programme-method id is missing.'));
    else if (keysNeeded.has(p.id)) push(error('ADMISSION_PROGRAMME_DUPLICATE', `${f}.id`, `Mã ngành – phương thức ${p.id} bị lặp.`, `Programme-method ${p.id} is listed twice.`, { id: p.id }));
    if (!(Number.isInteger(p.quota) && p.quota >= 0 && p.quota <= MAX_VALUE)) push(error('ADMISSION_QUOTA_INVALID', `${f}.quota`, 'Chỉ tiêu phải là số nguyên không âm.', 'The quota must be a non-negative integer.'));
    if (p.minScore !== undefined && !isInt(p.minScore)) push(error('ADMISSION_SCORE_INVALID', `${f}.minScore`, 'Ngưỡng đầu vào phải là số nguyên (phần trăm điểm).', 'The floor must be an integer (hundredths of a point).'));
    const kind = p.tiePolicy?.kind;
    if (kind !== 'admit-all-tied' && kind !== 'break-by-rule') {
      push(error('ADMISSION_TIE_POLICY_INVALID', `${f}.tiePolicy.kind`, 'Cách xét thí sinh bằng điểm phải là "admit-all-tied" hoặc "break-by-rule".', 'The tie policy is "admit-all-tied" or "break-by-rule".'));
    } else if (kind === 'break-by-rule' || p.tiePolicy.criteria !== undefined) {
      checkCriteria(p.tiePolicy.criteria, `${f}.tiePolicy.criteria`, push);
    }
    if (typeof p.id === 'string' && !keysNeeded.has(p.id)) {
      const crit = Array.isArray(p.tiePolicy?.criteria) ? p.tiePolicy.criteria : [];
      keysNeeded.set(p.id, crit.flatMap((c) => (c && c.by === 'value' ? [c.key] : [])));
    }
  });
  const seen = new Set<string>();
  input.candidates.forEach((c, i) => {
    const f = `candidates[${i}]`;
    if (typeof c.id !== 'string' || c.id === '') push(error('ADMISSION_CANDIDATE_ID', `${f}.id`, 'Thiếu mã thí sinh.', 'The candidate id is missing.'));
    else if (seen.has(c.id)) push(error('ADMISSION_CANDIDATE_DUPLICATE', `${f}.id`, `Thí sinh ${c.id} bị lặp.`, `Candidate ${c.id} is listed twice.`, { id: c.id }));
    else seen.add(c.id);
    const mine = new Set<string>();
    c.wishes.forEach((w, j) => {
      const wf = `${f}.wishes[${j}]`;
      const keys = keysNeeded.get(w.programme);
      if (keys === undefined) push(error('ADMISSION_WISH_PROGRAMME_UNKNOWN', `${wf}.programme`, `Nguyện vọng ${j + 1} trỏ tới ngành – phương thức không có: ${w.programme}.`, `Wish ${j + 1} names an unknown programme-method: ${w.programme}.`, { wish: j + 1 }));
      if (mine.has(w.programme)) push(error('ADMISSION_WISH_DUPLICATE', `${wf}.programme`, `Nguyện vọng ${j + 1} lặp lại ngành – phương thức ${w.programme}.`, `Wish ${j + 1} repeats programme-method ${w.programme}.`, { wish: j + 1 }));
      mine.add(w.programme);
      if (!isInt(w.score)) push(error('ADMISSION_SCORE_INVALID', `${wf}.score`, 'Điểm xét tuyển phải là số nguyên (phần trăm điểm).', 'The admission score must be an integer (hundredths of a point).'));
      if (w.excluded !== undefined && w.excluded !== 'unpaid' && w.excluded !== 'ineligible') push(error('ADMISSION_EXCLUSION_INVALID', `${wf}.excluded`, 'Lý do loại nguyện vọng không hợp lệ.', 'Unknown exclusion reason.'));
      for (const [k, v] of Object.entries(w.tieBreak ?? {})) {
        if (!isInt(v)) push(error('ADMISSION_TIE_VALUE_INVALID', `${wf}.tieBreak.${k}`, `Giá trị tiêu chí phụ ${k} phải là số nguyên.`, `Tie-break value ${k} must be an integer.`, { key: k }));
      }
      if (keys && w.excluded === undefined) {
        for (const k of keys) {
          if (w.tieBreak?.[k] === undefined) push(error('ADMISSION_TIE_VALUE_MISSING', `${wf}.tieBreak.${k}`, `Nguyện vọng ${j + 1} thiếu giá trị tiêu chí phụ ${k} mà ngành dùng.`, `Wish ${j + 1} lacks the tie-break value ${k} its programme ranks by.`, { wish: j + 1, key: k }));
        }
      }
    });
  });
  return out;
}

export function assertValidAdmissionInput(input: AdmissionInput): void {
  const findings = validateAdmissionInput(input);
  if (findings.length > 0) throw new AdmissionInputError(findings);
}
