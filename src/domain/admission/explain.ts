// What a candidate and a ministry officer read about a result: the reason a wish was not obtained, and why
// a result changed between two runs, in Vietnamese and English. Scores in hundredths (2675 → "26,75").
import type { ChangeWhy } from './run-state.ts';
import type { NotObtainedReason } from './types.ts';

/** 2675 → "26,75" (Vietnamese decimal comma); null → "—". */
export function formatPoints(centi: number | null, sep = ','): string {
  if (centi === null) return '—';
  return (centi / 100).toFixed(2).replace('.', sep);
}

export function explainNotObtained(reason: NotObtainedReason, score: number, cutoff: number | null, decidedBy: string | null): { vi: string; en: string } {
  const s = formatPoints(score);
  const sEn = formatPoints(score, '.');
  const c = formatPoints(cutoff);
  const cEn = formatPoints(cutoff, '.');
  switch (reason) {
    case 'below-cutoff':
      return { vi: `Điểm xét tuyển ${s} thấp hơn điểm chuẩn ${c}.`, en: `Your score ${sEn} is below the cut-off ${cEn}.` };
    case 'tie-break': {
      const by = decidedBy === 'wish-order' ? ['thứ tự nguyện vọng', 'wish order'] : decidedBy?.startsWith('value:') ? [`điểm môn ${decidedBy.slice(6) === 'math' ? 'Toán' : decidedBy.slice(6)}`, `the ${decidedBy.slice(6)} score`] : ['tiêu chí phụ cuối cùng', 'the final tie-break'];
      return { vi: `Điểm xét tuyển ${s} bằng điểm chuẩn ${c}; xếp sau theo ${by[0]}.`, en: `Your score ${sEn} equals the cut-off ${cEn}; ranked after by ${by[1]}.` };
    }
    case 'no-places':
      return { vi: 'Ngành – phương thức này không có chỉ tiêu.', en: 'This programme-method has no places.' };
    case 'teacher-training-position':
      return { vi: 'Ngành đào tạo giáo viên chỉ xét các nguyện vọng đầu theo quy định.', en: 'Teacher-training programmes consider only the first wishes.' };
    case 'unpaid':
      return { vi: 'Nguyện vọng chưa nộp lệ phí xét tuyển nên không được xét.', en: 'The wish fee was not paid, so the wish was not considered.' };
    case 'ineligible':
      return { vi: 'Không đủ điều kiện xét tuyển (thiếu điểm môn của tổ hợp, hoặc dưới ngưỡng đầu vào).', en: 'Not eligible (a subject of the combination not sat, or below the minimum).' };
  }
}

export function explainChange(why: ChangeWhy): { vi: string; en: string } {
  switch (why) {
    case 'own-score':
      return { vi: 'Điểm xét tuyển của thí sinh thay đổi (phúc khảo, điều chỉnh).', en: "The candidate's own score changed (score review, correction)." };
    case 'wishes':
      return { vi: 'Nguyện vọng của thí sinh thay đổi trạng thái (lệ phí, điều kiện xét tuyển).', en: "One of the candidate's wishes changed state (fee, eligibility)." };
    case 'cutoff':
      return { vi: 'Điểm chuẩn thay đổi do kết quả của thí sinh khác thay đổi.', en: "A cut-off moved because other candidates' results changed." };
    case 'new':
      return { vi: 'Thí sinh mới có trong lần chạy này.', en: 'The candidate is new in this run.' };
    case 'gone':
      return { vi: 'Thí sinh không còn trong lần chạy này.', en: 'The candidate is no longer in this run.' };
    case 'moved-up':
      return {
        vi: 'Được xét lên nguyện vọng cao hơn sau phúc khảo: điểm mới đạt điểm chuẩn đã công bố của nguyện vọng đó (xét tuyển bổ sung nếu vượt chỉ tiêu).',
        en: "Moved up to a higher wish after a score review: the new score reaches that wish's published cut-off (admitted additionally if beyond the quota).",
      };
    case 'reached-cutoff':
      return { vi: 'Trúng tuyển bổ sung sau phúc khảo: điểm mới đạt điểm chuẩn đã công bố.', en: 'Admitted additionally after a score review: the new score reaches the published cut-off.' };
    case 'free-place':
      return { vi: 'Trúng tuyển vào chỉ tiêu còn trống của ngành chưa tuyển đủ.', en: 'Admitted to a place left free in a programme that had not filled.' };
  }
}
