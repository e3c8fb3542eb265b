// The ministry's admission settings of a year as the form holds them (local dates; every window closes at
// 17:00 Asia/Ho_Chi_Minh, as the dossier's) and the rules they must keep: the wish cap and the
// teacher-training positions, the fee per wish, the payment groups staggered by province after the wishes
// close. The browser checks as the ministry types; the server runs the same check before it saves.
import { error, warning, type Finding } from './messages.ts';

/** Every admission window closes at this local time (2025, 2026: 17:00). */
export const ADMISSION_CLOSE_TIME = '17:00';
export const WISH_CAP_MAX = 100;
export const FEE_MAX_VND = 1_000_000;

export interface LocalDays {
  /** YYYY-MM-DD, opens at 00:00 local */
  from: string;
  /** YYYY-MM-DD, closes at 17:00 local */
  to: string;
}

export interface PaymentGroupSettings extends LocalDays {
  code: string;
  name: string;
  provinceCodes: string[];
}

export interface AdmissionSettings {
  /** null: unlimited (2022–2025) */
  wishCap: number | null;
  /** null: any position */
  teacherTrainingMaxPosition: number | null;
  /** null: none; on 30 */
  combinationFloor: number | null;
  window: LocalDays;
  feePerWishVnd: number;
  paymentGroups: PaymentGroupSettings[];
  /**
   * the last day (closing 17:00 local) on which an admitted candidate confirms enrolment; null: none set;
   * absent: left as stored (the form does not send it)
   */
  enrolmentDeadline?: string | null;
}

/** The stored configuration's instants (rules.admission), as contracts/admission.ts reads them. */
export interface AdmissionInstants {
  wishCap: number | null;
  teacherTrainingMaxPosition: number | null;
  combinationFloor: number | null;
  window: { opensAt: string; closesAt: string };
  feePerWishVnd: number;
  paymentGroups: Array<{ code: string; name: string; provinceCodes: string[]; opensAt: string; closesAt: string }>;
  enrolmentDeadline?: string | null | undefined;
}

const opensAt = (day: string) => `${day}T00:00:00+07:00`;
const closesAt = (day: string) => `${day}T${ADMISSION_CLOSE_TIME}:00+07:00`;

/** The local day of an instant in Vietnam (UTC+7, no daylight saving). */
function localDay(instant: string): string {
  const t = Date.parse(instant);
  return Number.isNaN(t) ? '' : new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
}

export function settingsToInstants(s: AdmissionSettings): AdmissionInstants {
  return {
    wishCap: s.wishCap,
    teacherTrainingMaxPosition: s.teacherTrainingMaxPosition,
    combinationFloor: s.combinationFloor,
    window: { opensAt: opensAt(s.window.from), closesAt: closesAt(s.window.to) },
    feePerWishVnd: s.feePerWishVnd,
    paymentGroups: s.paymentGroups.map((g) => ({ code: g.code, name: g.name, provinceCodes: [...g.provinceCodes], opensAt: opensAt(g.from), closesAt: closesAt(g.to) })),
    ...(s.enrolmentDeadline !== undefined ? { enrolmentDeadline: s.enrolmentDeadline === null ? null : closesAt(s.enrolmentDeadline) } : {}),
  };
}

/** The form's days of a stored configuration (a window stored closing at another hour shows its day). */
export function instantsToSettings(c: AdmissionInstants): AdmissionSettings {
  return {
    wishCap: c.wishCap,
    teacherTrainingMaxPosition: c.teacherTrainingMaxPosition,
    combinationFloor: c.combinationFloor,
    window: { from: localDay(c.window.opensAt), to: localDay(c.window.closesAt) },
    feePerWishVnd: c.feePerWishVnd,
    paymentGroups: c.paymentGroups.map((g) => ({ code: g.code, name: g.name, provinceCodes: [...g.provinceCodes], from: localDay(g.opensAt), to: localDay(g.closesAt) })),
    ...(c.enrolmentDeadline !== undefined ? { enrolmentDeadline: c.enrolmentDeadline === null ? null : localDay(c.enrolmentDeadline) } : {}),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
function isDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function checkDays(w: LocalDays, field: string, year: number | null, out: Finding[]): boolean {
  let ok = true;
  for (const k of ['from', 'to'] as const) {
    if (!isDay(w[k])) {
      out.push(error('DATE_INVALID', `${field}.${k}`, 'Ngày không hợp lệ (dạng năm-tháng-ngày).', 'Not a valid date (year-month-day).'));
      ok = false;
    } else if (year !== null && Number(w[k].slice(0, 4)) !== year) {
      out.push(error('DATE_OUTSIDE_YEAR', `${field}.${k}`, `Ngày phải thuộc năm ${year}.`, `The date must be in ${year}.`, { year }));
      ok = false;
    }
  }
  if (ok && w.to < w.from) {
    out.push(error('WINDOW_CLOSES_BEFORE_OPENING', `${field}.to`, 'Ngày kết thúc phải từ ngày bắt đầu trở đi.', 'The last day must not be before the first.'));
    ok = false;
  }
  return ok;
}

export interface SettingsContext {
  /** the exam year the settings belong to: every date falls in it */
  year: number | null;
  /** codes a group may list (today's provinces and the exam departments); unchecked when absent */
  knownProvinceCodes?: ReadonlySet<string>;
  /** the exam departments whose candidates pay, each with today's province: one in no group is warned about */
  departments?: ReadonlyArray<{ code: string; provinceCode: string | null }>;
}

/** Every finding on the settings, each naming its field (dotted path into the form). */
export function checkAdmissionSettings(s: AdmissionSettings, ctx: SettingsContext): Finding[] {
  const out: Finding[] = [];
  if (s.wishCap !== null && (!Number.isInteger(s.wishCap) || s.wishCap < 1 || s.wishCap > WISH_CAP_MAX)) {
    out.push(error('WISH_CAP_RANGE', 'wishCap', `Số nguyện vọng tối đa là số nguyên từ 1 đến ${WISH_CAP_MAX} (để trống: không giới hạn).`, `The wish cap is a whole number from 1 to ${WISH_CAP_MAX} (empty: no cap).`));
  }
  const tt = s.teacherTrainingMaxPosition;
  if (tt !== null) {
    if (!Number.isInteger(tt) || tt < 1 || tt > WISH_CAP_MAX) {
      out.push(error('TEACHER_POSITIONS_RANGE', 'teacherTrainingMaxPosition', 'Số nguyện vọng xét ngành sư phạm là số nguyên từ 1 (để trống: mọi nguyện vọng).', 'The teacher-training positions are a whole number from 1 (empty: every position).'));
    } else if (s.wishCap !== null && Number.isInteger(s.wishCap) && s.wishCap >= 1 && tt > s.wishCap) {
      out.push(error('TEACHER_POSITIONS_ABOVE_CAP', 'teacherTrainingMaxPosition', `Ngành sư phạm chỉ xét trong ${s.wishCap} nguyện vọng (số tối đa).`, `Teacher training cannot reach beyond the cap of ${s.wishCap} wishes.`, { cap: s.wishCap }));
    }
  }
  if (s.combinationFloor !== null && (!Number.isFinite(s.combinationFloor) || s.combinationFloor < 0 || s.combinationFloor > 30)) {
    out.push(error('FLOOR_RANGE', 'combinationFloor', 'Ngưỡng tổng ba môn của tổ hợp từ 0 đến 30 (để trống: không có).', 'The combination floor is from 0 to 30 (empty: none).'));
  }
  if (!Number.isInteger(s.feePerWishVnd) || s.feePerWishVnd < 0 || s.feePerWishVnd > FEE_MAX_VND) {
    out.push(error('FEE_RANGE', 'feePerWishVnd', `Lệ phí mỗi nguyện vọng là số đồng nguyên từ 0 đến ${FEE_MAX_VND.toLocaleString('vi-VN')}.`, `The fee per wish is whole đồng from 0 to ${FEE_MAX_VND.toLocaleString('en-US')}.`));
  }
  const windowOk = checkDays(s.window, 'window', ctx.year, out);

  const codes = new Map<string, number>();
  const provinceGroup = new Map<string, number>();
  s.paymentGroups.forEach((g, i) => {
    const f = `paymentGroups.${i}`;
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(g.code)) {
      out.push(error('GROUP_CODE_FORMAT', `${f}.code`, 'Mã nhóm gồm 1–16 chữ, số, - hoặc _.', 'A group code is 1–16 letters, digits, - or _.'));
    } else if (codes.has(g.code)) {
      out.push(error('GROUP_CODE_REPEATED', `${f}.code`, `Mã nhóm ${g.code} đã dùng cho nhóm ${codes.get(g.code)! + 1}.`, `Group code ${g.code} is already used by group ${codes.get(g.code)! + 1}.`, { code: g.code }));
    } else codes.set(g.code, i);
    if (g.name.trim() === '' || g.name.length > 200) out.push(error('GROUP_NAME_REQUIRED', `${f}.name`, 'Cần tên nhóm (tối đa 200 ký tự).', 'The group needs a name (at most 200 characters).'));
    if (g.provinceCodes.length === 0) out.push(error('GROUP_PROVINCES_REQUIRED', `${f}.provinceCodes`, 'Nhóm cần ít nhất một mã tỉnh.', 'The group needs at least one province code.'));
    for (const p of g.provinceCodes) {
      if (!/^\d{2}$/.test(p) || (ctx.knownProvinceCodes && !ctx.knownProvinceCodes.has(p))) {
        out.push(error('PROVINCE_UNKNOWN', `${f}.provinceCodes`, `Không có tỉnh mã "${p}".`, `There is no province with code "${p}".`, { province: p }));
      } else if (provinceGroup.has(p) && provinceGroup.get(p) !== i) {
        out.push(error('PROVINCE_IN_TWO_GROUPS', `${f}.provinceCodes`, `Tỉnh ${p} đã thuộc nhóm ${provinceGroup.get(p)! + 1}: mỗi tỉnh nộp lệ phí trong một nhóm.`, `Province ${p} is already in group ${provinceGroup.get(p)! + 1}: each province pays in one group.`, { province: p }));
      } else provinceGroup.set(p, i);
    }
    if (checkDays(g, f, ctx.year, out) && windowOk && g.from <= s.window.to) {
      out.push(error('PAYMENT_BEFORE_WISHES_CLOSE', `${f}.from`, `Nhóm chỉ nộp lệ phí sau khi đăng ký nguyện vọng đóng (${s.window.to} 17:00).`, `A group pays only after the wishes close (${s.window.to} 17:00).`, { closes: s.window.to }));
    }
  });
  const deadline = s.enrolmentDeadline;
  if (deadline !== undefined && deadline !== null) {
    if (!isDay(deadline)) {
      out.push(error('DATE_INVALID', 'enrolmentDeadline', 'Ngày không hợp lệ (dạng năm-tháng-ngày).', 'Not a valid date (year-month-day).'));
    } else {
      // not held to the calendar year: a season that runs late (the demo's, placed around today) ends in the next
      // candidates confirm after the run, which follows the fees: the deadline comes after the last payment day
      const last = [s.window.to, ...s.paymentGroups.map((g) => g.to)].filter(isDay).sort().at(-1);
      if (last !== undefined && deadline <= last) {
        out.push(error('ENROLMENT_BEFORE_PAYMENTS_CLOSE', 'enrolmentDeadline', `Hạn xác nhận nhập học phải sau ngày nộp lệ phí cuối cùng (${last}).`, `The enrolment deadline must come after the last payment day (${last}).`, { last }));
      }
    }
  }
  if (ctx.departments && s.paymentGroups.length > 0) {
    // a group lists today's province or the exam department (paymentGroupOf tries both)
    const left = ctx.departments.filter((d) => !provinceGroup.has(d.code) && !(d.provinceCode !== null && provinceGroup.has(d.provinceCode))).map((d) => d.code);
    if (left.length > 0) {
      out.push(warning('PROVINCES_WITHOUT_GROUP', 'paymentGroups', `Thí sinh của ${left.length} tỉnh không thuộc nhóm nào sẽ không nộp được lệ phí: ${left.slice(0, 10).join(', ')}${left.length > 10 ? '…' : ''}.`, `Candidates of ${left.length} provinces in no group cannot pay: ${left.slice(0, 10).join(', ')}${left.length > 10 ? '…' : ''}.`, { count: left.length }));
    }
  }
  return out;
}

/**
 * Once the wish window has opened, candidates have filed under its rules: the cap, the teacher-training
 * positions and the floor stay as they were (a list valid when saved would become invalid), and the
 * window may only be lengthened, never made to close earlier.
 */
export function checkSettingsChange(before: AdmissionSettings, after: AdmissionSettings, now: Date, stored?: Pick<AdmissionInstants, 'window'>): Finding[] {
  // the stored instants when known: a window saved closing later than 17:00 is not shortened silently
  const opened = Date.parse(stored?.window.opensAt ?? opensAt(before.window.from)) <= now.getTime();
  if (!opened) return [];
  const out: Finding[] = [];
  const locked = (field: 'wishCap' | 'teacherTrainingMaxPosition' | 'combinationFloor') => {
    if (before[field] !== after[field]) {
      out.push(error('RULE_LOCKED_AFTER_OPENING', field, 'Đăng ký nguyện vọng đã mở: không thể đổi quy tắc này nữa.', 'Wish registration has opened: this rule can no longer change.'));
    }
  };
  locked('wishCap');
  locked('teacherTrainingMaxPosition');
  locked('combinationFloor');
  if (after.window.from !== before.window.from) {
    out.push(error('WINDOW_OPENED', 'window.from', 'Đăng ký nguyện vọng đã mở: không thể đổi ngày bắt đầu.', 'Wish registration has opened: its first day cannot change.'));
  }
  if (Date.parse(closesAt(after.window.to)) < Date.parse(stored?.window.closesAt ?? closesAt(before.window.to))) {
    out.push(error('WINDOW_SHORTENED', 'window.to', 'Đăng ký nguyện vọng đã mở: chỉ có thể kéo dài, không rút ngắn.', 'Wish registration has opened: it may be lengthened, not shortened.'));
  }
  return out;
}
