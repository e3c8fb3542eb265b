// The ministry's admission settings of a year (issue 23): the wish window (closing 17:00 local), the wish
// cap, the teacher-training positions, the combination floor, the fee per wish and the payment groups by
// province. Checked as the ministry saves with the same domain function the server runs
// (checkAdmissionSettings); a change to saved settings needs a reason, kept in the audit log.
import { useCallback, useEffect, useState } from 'react';
import * as api from '../../contracts/admission-settings.ts';
import * as admin from '../../contracts/admin.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { DateInput, TextInput, Textarea, dateToParts, partsToDate, type DateParts } from '../components/forms.tsx';
import { checkAdmissionSettings, type AdmissionSettings } from '../../domain/admission-settings.ts';
import { hasErrors, type Finding } from '../../domain/messages.ts';

type View = ResponseOf<typeof api.getAdmissionSettings>;
const UNEXPECTED: Bilingual = { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' };

interface GroupForm {
  code: string;
  name: string;
  provinces: string;
  from: DateParts;
  to: DateParts;
}
interface Form {
  wishCap: string;
  teacher: string;
  floor: string;
  fee: string;
  from: DateParts;
  to: DateParts;
  groups: GroupForm[];
  /** empty: no deadline */
  enrolment: DateParts;
  reason: string;
}

const text = (n: number | null) => (n === null ? '' : String(n));
function formOf(s: AdmissionSettings): Form {
  return {
    wishCap: text(s.wishCap),
    teacher: text(s.teacherTrainingMaxPosition),
    floor: text(s.combinationFloor),
    fee: String(s.feePerWishVnd),
    from: dateToParts(s.window.from),
    to: dateToParts(s.window.to),
    groups: s.paymentGroups.map((g) => ({ code: g.code, name: g.name, provinces: g.provinceCodes.join(', '), from: dateToParts(g.from), to: dateToParts(g.to) })),
    enrolment: dateToParts(s.enrolmentDeadline ?? undefined),
    reason: '',
  };
}

/** Empty is "none"; anything else that is not a number stays NaN, for the rule to name. */
const numberOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s.trim().replace(',', '.')));
function settingsOf(f: Form): AdmissionSettings {
  return {
    wishCap: numberOrNull(f.wishCap),
    teacherTrainingMaxPosition: numberOrNull(f.teacher),
    combinationFloor: numberOrNull(f.floor),
    feePerWishVnd: f.fee.trim() === '' ? NaN : Number(f.fee.replace(/[.\s]/g, '')),
    window: { from: partsToDate(f.from), to: partsToDate(f.to) },
    paymentGroups: f.groups.map((g) => ({
      code: g.code.trim(),
      name: g.name.trim(),
      provinceCodes: g.provinces
        .split(/[,;\s]+/)
        .map((p) => p.trim())
        .filter((p) => p !== ''),
      from: partsToDate(g.from),
      to: partsToDate(g.to),
    })),
    enrolmentDeadline: partsToDate(f.enrolment) || null,
  };
}

export function AdmissionSettingsPage() {
  const { t, pick, dateTime } = useI18n();
  usePageTitle(t('Thiết lập xét tuyển', 'Admission settings'));
  const [years, setYears] = useState<number[] | null>(null);
  const [year, setYear] = useState<number | null>(null);
  const [view, setView] = useState<View | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (y: number) => {
    const v = await call(api.getAdmissionSettings, { params: { year: y } });
    setView(v);
    setForm(formOf(v.settings ?? v.suggested));
  }, []);
  useEffect(() => {
    call(admin.listExamYears, {})
      .then(async (r) => {
        const list = r.years.map((y) => y.year).sort((a, b) => b - a);
        setYears(list);
        const first = r.years.filter((y) => y.status === 'published').map((y) => y.year).sort((a, b) => b - a)[0] ?? list[0];
        if (first !== undefined) {
          setYear(first);
          await load(first);
        }
      })
      .catch((e: unknown) => setMessage(e instanceof ApiError ? e : UNEXPECTED));
  }, [load]);

  if (!years || (year !== null && (!view || !form))) {
    return message ? <ErrorSummary findings={[]} message={message} /> : <Spinner label={{ vi: 'Đang tải…', en: 'Loading…' }} />;
  }
  if (year === null || !view || !form) return <p>{t('Chưa có kỳ thi nào.', 'There is no exam year yet.')}</p>;

  const at = (field: string) => findings.filter((f) => f.field === field);
  const set = (p: Partial<Form>) => setForm({ ...form, ...p });
  const setGroup = (i: number, p: Partial<GroupForm>) => set({ groups: form.groups.map((g, k) => (k === i ? { ...g, ...p } : g)) });
  const changing = view.settings !== null;

  const save = async () => {
    setSaved(false);
    setMessage(null);
    const s = settingsOf(form);
    // the same rule the server runs, before anything is sent
    const local = checkAdmissionSettings(s, { year, knownProvinceCodes: undefined }).filter((f) => f.severity === 'error');
    if (changing && form.reason.trim().length < 5) {
      local.push({ code: 'REASON_REQUIRED', field: 'reason', severity: 'error', vi: 'Cần ghi lý do thay đổi (ít nhất 5 ký tự).', en: 'A reason for the change is required (at least 5 characters).' });
    }
    if (hasErrors(local)) {
      setFindings(local);
      return;
    }
    setFindings([]);
    setBusy(true);
    try {
      const v = await call(api.saveAdmissionSettings, { params: { year }, body: { ...s, ...(changing ? { reason: form.reason.trim() } : {}) } });
      setView(v);
      setForm(formOf(v.settings ?? v.suggested));
      setSaved(true);
    } catch (e) {
      if (e instanceof ApiError && e.fields.length > 0) setFindings(e.fields);
      else setMessage(e instanceof ApiError ? e : UNEXPECTED);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>
        {t('Thiết lập xét tuyển', 'Admission settings')} {year}
      </h1>
      {years.length > 1 && (
        <p>
          {t('Năm khác:', 'Other years:')}{' '}
          {years
            .filter((y) => y !== year)
            .map((y) => (
              <Button
                key={y}
                variant="secondary"
                onClick={() => {
                  setYear(y);
                  setView(null);
                  setFindings([]);
                  load(y).catch((e: unknown) => setMessage(e instanceof ApiError ? e : UNEXPECTED));
                }}
              >
                {y}
              </Button>
            ))}
        </p>
      )}
      <ErrorSummary findings={findings} message={message} />
      {saved && (
        <NotificationBanner kind="success" title={t('Đã lưu', 'Saved')} focus>
          <p data-testid="settings-saved">{t('Thiết lập xét tuyển đã được lưu và ghi nhật ký.', 'The admission settings are saved and audited.')}</p>
        </NotificationBanner>
      )}
      {view.warnings.length > 0 && (
        <NotificationBanner kind="warning" title={t('Lưu ý', 'Note')}>
          {view.warnings.map((w) => (
            <p key={w.code}>{pick(w)}</p>
          ))}
        </NotificationBanner>
      )}
      {changing ? (
        <p>{t(`Lần sửa gần nhất: ${view.updatedAt ? dateTime(view.updatedAt) : '—'}. Sau khi đăng ký nguyện vọng mở, các quy tắc không đổi được và hạn chỉ có thể kéo dài.`, `Last changed: ${view.updatedAt ? dateTime(view.updatedAt) : '—'}. Once wish registration opens, the rules cannot change and the window can only be lengthened.`)}</p>
      ) : (
        <NotificationBanner title={t('Chưa có thiết lập', 'No settings yet')}>
          <p>{t('Năm này chưa có thiết lập xét tuyển; biểu mẫu điền sẵn quy tắc năm 2026 (Thông tư 06/2026).', 'This year has no admission settings; the form starts from the 2026 rules (Circular 06/2026).')}</p>
        </NotificationBanner>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>{t('Đăng ký nguyện vọng', 'Wish registration')}</h2>
        <DateInput field="window.from" autoComplete="off" label={t('Ngày mở (từ 00:00)', 'Opens (from 00:00)')} findings={at('window.from')} value={form.from} onChange={(v) => set({ from: v })} />
        <DateInput field="window.to" autoComplete="off" label={t('Ngày đóng (17:00 giờ Việt Nam)', 'Closes (17:00 Vietnam time)')} findings={at('window.to')} value={form.to} onChange={(v) => set({ to: v })} />
        <TextInput field="wishCap" width={4} inputMode="numeric" label={t('Số nguyện vọng tối đa', 'Most wishes a candidate may file')} hint={t('Để trống: không giới hạn (2022–2025). 2026: 15.', 'Empty: no cap (2022–2025). 2026: 15.')} findings={at('wishCap')} value={form.wishCap} onChange={(v) => set({ wishCap: v })} />
        <TextInput field="teacherTrainingMaxPosition" width={4} inputMode="numeric" label={t('Ngành sư phạm chỉ xét trong nguyện vọng 1 đến', 'Teacher training considered only in wishes 1 to')} hint={t('Để trống: mọi nguyện vọng. 2026: 5.', 'Empty: any position. 2026: 5.')} findings={at('teacherTrainingMaxPosition')} value={form.teacher} onChange={(v) => set({ teacher: v })} />
        <TextInput field="combinationFloor" width={4} inputMode="decimal" label={t('Ngưỡng tổng ba môn của tổ hợp (thang 30)', 'Least sum of a combination (on 30)')} hint={t('Để trống: không có. 2026: 15.', 'Empty: none. 2026: 15.')} findings={at('combinationFloor')} value={form.floor} onChange={(v) => set({ floor: v })} />
        <h2>{t('Lệ phí xét tuyển', 'Admission fee')}</h2>
        <TextInput field="feePerWishVnd" width={10} inputMode="numeric" label={t('Lệ phí mỗi nguyện vọng (đồng)', 'Fee per wish (VND)')} hint={t('2025: 15.000 đồng.', '2025: 15,000 VND.')} findings={at('feePerWishVnd')} value={form.fee} onChange={(v) => set({ fee: v })} />
        <h2>{t('Nhóm tỉnh nộp lệ phí', 'Payment groups by province')}</h2>
        <p className="hint">{t('Mỗi nhóm nộp lệ phí trong khung thời gian riêng, sau khi đăng ký nguyện vọng đóng; đóng lúc 17:00. Mã tỉnh: ', 'Each group pays in its own window after the wishes close; closing at 17:00. Province codes: ')}{view.provinces.map((p) => `${p.code} ${p.name}`).join('; ')}</p>
        {at('paymentGroups').map((f) => (
          <p key={f.code} className="error-message">
            {pick(f)}
          </p>
        ))}
        {form.groups.map((g, i) => (
          <fieldset key={i} className="fieldset" data-testid={`payment-group-${i}`}>
            <legend className="fieldset__legend">
              {t('Nhóm', 'Group')} {i + 1}
            </legend>
            <TextInput field={`paymentGroups.${i}.code`} width={4} label={t('Mã nhóm', 'Group code')} findings={at(`paymentGroups.${i}.code`)} value={g.code} onChange={(v) => setGroup(i, { code: v })} />
            <TextInput field={`paymentGroups.${i}.name`} width={20} label={t('Tên nhóm', 'Group name')} findings={at(`paymentGroups.${i}.name`)} value={g.name} onChange={(v) => setGroup(i, { name: v })} />
            <TextInput field={`paymentGroups.${i}.provinceCodes`} label={t('Mã tỉnh (cách nhau bởi dấu phẩy)', 'Province codes (comma-separated)')} findings={at(`paymentGroups.${i}.provinceCodes`)} value={g.provinces} onChange={(v) => setGroup(i, { provinces: v })} />
            <DateInput field={`paymentGroups.${i}.from`} autoComplete="off" label={t('Ngày bắt đầu nộp', 'Payment opens')} findings={at(`paymentGroups.${i}.from`)} value={g.from} onChange={(v) => setGroup(i, { from: v })} />
            <DateInput field={`paymentGroups.${i}.to`} autoComplete="off" label={t('Ngày hết hạn nộp (17:00)', 'Payment closes (17:00)')} findings={at(`paymentGroups.${i}.to`)} value={g.to} onChange={(v) => setGroup(i, { to: v })} />
            <Button variant="secondary" onClick={() => set({ groups: form.groups.filter((_, k) => k !== i) })}>
              {t(`Bỏ nhóm ${i + 1}`, `Remove group ${i + 1}`)}
            </Button>
          </fieldset>
        ))}
        <p>
          <Button
            variant="secondary"
            onClick={() => {
              const last = form.groups.at(-1);
              set({ groups: [...form.groups, { code: `N${form.groups.length + 1}`, name: `Nhóm ${form.groups.length + 1}`, provinces: '', from: last?.to ?? form.to, to: last?.to ?? form.to }] });
            }}
          >
            {t('Thêm nhóm', 'Add a group')}
          </Button>
        </p>
        <DateInput
          field="enrolmentDeadline"
          autoComplete="off"
          label={t('Hạn xác nhận nhập học (17:00 giờ Việt Nam)', 'Enrolment confirmation deadline (17:00 Vietnam time)')}
          hint={t('Thí sinh trúng tuyển xác nhận nhập học đến ngày này; sau ngày nộp lệ phí cuối cùng. Để trống: chưa đặt.', 'Admitted candidates confirm enrolment until this day; after the last payment day. Empty: not set yet.')}
          findings={at('enrolmentDeadline')}
          value={form.enrolment}
          onChange={(v) => set({ enrolment: v })}
        />
        {changing && <Textarea field="reason" label={t('Lý do thay đổi', 'Reason for the change')} hint={t('Ghi vào nhật ký cùng giá trị trước và sau.', 'Kept in the audit log with the values before and after.')} findings={at('reason')} value={form.reason} onChange={(v) => set({ reason: v })} maxLength={500} />}
        <Button type="submit" busy={busy}>
          {t('Lưu thiết lập', 'Save the settings')}
        </Button>
      </form>
    </>
  );
}
