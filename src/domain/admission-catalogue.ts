// An institution's catalogue of programmes as it types it in a spreadsheet: the institution code, and each
// row's cells (programme code, name, method, combinations with optional weights, quota, minimum score,
// teacher-training flag, tie-break rule) read into the programme the admission run uses, with every
// mistake named by field, in Vietnamese and English. The browser checks the same way before it uploads.
import { checkProgrammeScoring, combinationFor, type CombinationsFile, type ScoringMethod } from './admission-score.ts';
import { error, type Finding } from './messages.ts';
import type { TieCriterion, TiePolicy } from './admission/types.ts';

/** Vietnam's institution codes (mã trường): QHI, BKA, SPH, 2–6 upper-case letters or digits. */
export const INSTITUTION_CODE = /^[A-Z0-9]{2,6}$/;

export function checkInstitutionCode(raw: string, field = 'code'): Finding[] {
  if (INSTITUTION_CODE.test(raw.trim())) return [];
  return [error('INSTITUTION_CODE_FORMAT', field, 'Mã trường gồm 2–6 chữ in hoa hoặc chữ số (ví dụ: QHI, BKA).', 'An institution code is 2–6 upper-case letters or digits (e.g. QHI, BKA).')];
}

export type CatalogueField = 'code' | 'name' | 'method' | 'combinations' | 'quota' | 'minScore' | 'teacherTraining' | 'tieBreak';
export const CATALOGUE_FIELDS: readonly CatalogueField[] = ['code', 'name', 'method', 'combinations', 'quota', 'minScore', 'teacherTraining', 'tieBreak'];

export interface CatalogueProgramme {
  code: string;
  method: string;
  name: string;
  combinations: Array<{ code: string; weights?: Record<string, number> }>;
  scoring: ScoringMethod;
  quota: number;
  /** on 30, in hundredths; null: no floor */
  minScoreCenti: number | null;
  teacherTraining: boolean;
  tiePolicy: TiePolicy;
}

export const NAME_MAX = 200;
export const QUOTA_MAX = 100_000;

const TRUE = new Set(['x', 'co', 'yes', 'y', 'true', '1', 'su pham', 'sp']);
const FALSE = new Set(['', 'khong', 'no', 'n', 'false', '0']);

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * "A00;A01" or with weights "A00:TOAN=2;D01:NN=2,TOAN=1". A weighted combination makes the programme score
 * by the weighted sum brought back to 30 (ProgrammeScoring 'weighted-30'); without weights the plain sum.
 */
function parseCombinations(raw: string, combos: Pick<CombinationsFile, 'combinations'>): { value: CatalogueProgramme['combinations']; scoring: ScoringMethod; findings: Finding[] } {
  const findings: Finding[] = [];
  const value: CatalogueProgramme['combinations'] = [];
  const parts = raw
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) {
    return { value, scoring: 'sum', findings: [error('COMBINATIONS_REQUIRED', 'combinations', 'Thiếu tổ hợp xét tuyển (ví dụ: A00;A01).', 'The combinations are missing (e.g. A00;A01).')] };
  }
  const weighted = parts.some((p) => p.includes(':'));
  const scoring: ScoringMethod = weighted ? 'weighted-30' : 'sum';
  for (const part of parts) {
    const [head, tail] = part.split(':', 2) as [string, string | undefined];
    const code = head.trim().toUpperCase();
    const combination = combinationFor(combos, code);
    if (!combination) {
      findings.push(error('COMBINATION_UNKNOWN', 'combinations', `Không có tổ hợp ${code} trong danh mục tổ hợp xét tuyển.`, `There is no combination ${code} in the reference list.`, { combination: code }));
      continue;
    }
    if (value.some((v) => v.code === code)) {
      findings.push(error('COMBINATION_REPEATED', 'combinations', `Tổ hợp ${code} được ghi hai lần.`, `The combination ${code} is listed twice.`, { combination: code }));
      continue;
    }
    let weights: Record<string, number> | undefined;
    if (tail !== undefined) {
      weights = {};
      for (const w of tail.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
        const m = /^([A-Za-z0-9_-]{1,16})\s*=\s*(\d+(?:[.,]\d+)?)$/.exec(w);
        if (!m) {
          findings.push(error('WEIGHT_FORMAT', 'combinations', `Hệ số "${w}" của tổ hợp ${code} không đúng dạng MÔN=hệ số (ví dụ: TOAN=2).`, `The weight "${w}" of ${code} is not SUBJECT=weight (e.g. TOAN=2).`, { combination: code }));
          continue;
        }
        weights[m[1]!.toUpperCase()] = Number(m[2]!.replace(',', '.'));
      }
    }
    const scoringFindings = checkProgrammeScoring({ combination, method: scoring, ...(weights ? { weights } : {}) }, 'combinations').map((f) => ({ ...f, field: 'combinations' }));
    findings.push(...scoringFindings);
    value.push(weights && Object.keys(weights).length > 0 ? { code, weights } : { code });
  }
  return { value, scoring, findings };
}

/**
 * "admit-all-tied" or "break-by-rule", optionally followed by the steps after the score:
 * "break-by-rule: wish-order, math". A step is the wish order, "math" (Toán trước), "literature" or an
 * exam paper's code. "break-by-rule" alone ranks ties by wish order (Circular 08/2022 Art. 20(3)(c)).
 */
export function parseTieBreak(raw: string): { value: TiePolicy | null; findings: Finding[] } {
  const v = raw.trim();
  const m = /^([a-zA-Z-]+)\s*(?::\s*(.*))?$/.exec(v);
  const bad = () => ({
    value: null,
    findings: [
      error(
        'TIE_BREAK_INVALID',
        'tieBreak',
        'Quy tắc xét thí sinh bằng điểm ghi "admit-all-tied" (nhận hết) hoặc "break-by-rule" (xét tiêu chí phụ), có thể kèm tiêu chí: "break-by-rule: wish-order, math".',
        'The tie-break rule is "admit-all-tied" or "break-by-rule", optionally with steps: "break-by-rule: wish-order, math".',
      ),
    ],
  });
  if (!m) return bad();
  const kind = m[1]!.toLowerCase();
  if (kind !== 'admit-all-tied' && kind !== 'break-by-rule') return bad();
  const criteria: TieCriterion[] = [];
  for (const step of (m[2] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (step.toLowerCase() === 'wish-order') criteria.push({ by: 'wish-order' });
    else if (/^(math|literature)$/i.test(step)) criteria.push({ by: 'value', key: step.toLowerCase() });
    else if (/^[A-Z0-9_]{2,16}$/.test(step)) criteria.push({ by: 'value', key: step });
    else return bad();
  }
  if (kind === 'admit-all-tied') return { value: criteria.length > 0 ? { kind, criteria } : { kind }, findings: [] };
  return { value: { kind, criteria: criteria.length > 0 ? criteria : [{ by: 'wish-order' }] }, findings: [] };
}

/** One row of the catalogue: the programme, or null with the findings (each naming its field). */
export function parseProgrammeRow(cells: Readonly<Record<CatalogueField, string>>, combos: Pick<CombinationsFile, 'combinations'>): { programme: CatalogueProgramme | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const code = cells.code.trim();
  if (!/^\d{7}$/.test(code)) findings.push(error('PROGRAMME_CODE_FORMAT', 'code', 'Mã ngành gồm 7 chữ số (ví dụ: 7480201).', 'A programme code is 7 digits (e.g. 7480201).'));
  const name = cells.name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length < 2) findings.push(error('PROGRAMME_NAME_REQUIRED', 'name', 'Thiếu tên ngành.', 'The programme name is missing.'));
  else if ([...name].length > NAME_MAX) findings.push(error('PROGRAMME_NAME_TOO_LONG', 'name', `Tên ngành tối đa ${NAME_MAX} ký tự.`, `The programme name may be at most ${NAME_MAX} characters.`));
  else if (/^[=+\-@]/.test(name)) findings.push(error('CELL_FORMULA', 'name', 'Tên ngành không được bắt đầu bằng = + - @ (công thức bảng tính).', 'The programme name may not start with = + - @ (a spreadsheet formula).'));
  const method = cells.method.trim();
  if (!/^\d{3}$/.test(method)) findings.push(error('METHOD_CODE_FORMAT', 'method', 'Mã phương thức gồm 3 chữ số (ví dụ: 100 = xét kết quả thi tốt nghiệp THPT).', 'A method code is 3 digits (e.g. 100 = exam results).'));
  const combinations = parseCombinations(cells.combinations.normalize('NFC'), combos);
  findings.push(...combinations.findings);
  const quotaRaw = cells.quota.trim().replace(/[.\s]/g, '');
  const quota = /^\d{1,6}$/.test(quotaRaw) ? Number(quotaRaw) : NaN;
  if (!(Number.isInteger(quota) && quota >= 1 && quota <= QUOTA_MAX)) findings.push(error('QUOTA_INVALID', 'quota', 'Chỉ tiêu là số nguyên từ 1 đến 100.000.', 'The quota is a whole number from 1 to 100,000.', { max: QUOTA_MAX }));
  let minScoreCenti: number | null = null;
  const minRaw = cells.minScore.trim().replace(',', '.');
  if (minRaw !== '') {
    const n = /^\d{1,2}(\.\d{1,2})?$/.test(minRaw) ? Number(minRaw) : NaN;
    if (!(n >= 0 && n <= 30)) findings.push(error('MIN_SCORE_INVALID', 'minScore', 'Ngưỡng điểm là số từ 0 đến 30, tối đa 2 chữ số thập phân (ví dụ: 22,5); để trống nếu không có.', 'The minimum score is a number from 0 to 30 with at most 2 decimals (e.g. 22.5); leave it empty for none.'));
    else minScoreCenti = Math.round(n * 100);
  }
  const teacher = fold(cells.teacherTraining);
  const teacherTraining = TRUE.has(teacher) ? true : FALSE.has(teacher) ? false : null;
  if (teacherTraining === null) findings.push(error('TEACHER_TRAINING_INVALID', 'teacherTraining', 'Ngành sư phạm ghi "x" hoặc "có"; để trống nếu không phải.', 'Teacher training is "x" or "yes"; leave it empty otherwise.'));
  const tie = cells.tieBreak.trim() === '' ? { value: { kind: 'admit-all-tied' } as TiePolicy, findings: [] } : parseTieBreak(cells.tieBreak);
  findings.push(...tie.findings);
  if (findings.some((f) => f.severity === 'error') || !tie.value || teacherTraining === null) return { programme: null, findings };
  return {
    programme: { code, method, name, combinations: combinations.value, scoring: combinations.scoring, quota, minScoreCenti, teacherTraining, tiePolicy: tie.value },
    findings,
  };
}

/** Whether two readings of a programme say the same (a published programme sent again unchanged). */
export function sameProgramme(a: CatalogueProgramme, b: CatalogueProgramme): boolean {
  const canon = (p: CatalogueProgramme) => JSON.stringify([p.code, p.method, p.name, p.combinations, p.scoring, p.quota, p.minScoreCenti, p.teacherTraining, p.tiePolicy]);
  return canon(a) === canon(b);
}
