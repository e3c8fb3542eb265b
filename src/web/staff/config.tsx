// The ministry's exam-year configuration: the scheme and the windows of a year, checked as you type with
// the same domain function the server runs (checkExamYear); the server's own check of the saved year;
// publishing a draft; changing a published year only with a reason (audited with the before and after);
// the year's score-review settings (window, fee per paper, how the fee is paid), checked before sending with
// the server's own rule (checkReviewSettings) and sent only when changed; and a new year created as a
// draft from the chosen one's windows, moved on.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { checkExamYear, type ExamYearWindows, type LocalWindow, type SchemeCode } from '../../domain/exam-year.ts';
import type { Finding } from '../../domain/messages.ts';
import { checkReviewSettings, reviewConfigOf, reviewSettingsOf, type ReviewSettings } from '../../domain/score-review.ts';
import { ApiError } from '../api/client.ts';
import { examYearApi, type ExamYearCheck, type ExamYearConfig } from '../api/endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { DateInput, Radios, Select, TextInput, Textarea, dateToParts, fieldId, partsToDate, type DateParts } from '../components/forms.tsx';
import { SummaryList } from '../components/lists.tsx';

const NAMES: Array<[keyof ExamYearWindows, Bilingual]> = [
  ['accountIssuing', { vi: 'Cấp tài khoản', en: 'Account issuing' }],
  ['trial', { vi: 'Đăng ký thử', en: 'Trial registration' }],
  ['official', { vi: 'Đăng ký chính thức', en: 'Official registration' }],
  ['correction', { vi: 'Điểm tiếp nhận rà soát, điều chỉnh', en: 'Points review and correct' }],
];
const SCHEMES: Record<SchemeCode, Bilingual> = {
  CT2018: { vi: 'Chương trình 2018 (từ 2025)', en: 'CT2018 (2025 on)' },
  CT2006: { vi: 'Chương trình 2006 (2017–2024)', en: 'CT2006 (2017–2024)' },
};
const REASON_MIN = 5;

/** The review settings as typed: numbers stay text until sent (a half-typed fee is not a number yet). */
interface ReviewForm {
  fixed: boolean;
  from: string;
  to: string;
  opensAt: string;
  closesAt: string;
  days: string;
  fee: string;
  payment: ReviewSettings['payment'];
}
function reviewFormOf(rules: Record<string, unknown>): ReviewForm {
  const s = reviewSettingsOf(reviewConfigOf(rules));
  return { fixed: s.window !== null, from: s.window?.from ?? '', to: s.window?.to ?? '', opensAt: s.window?.opensAt ?? '', closesAt: s.window?.closesAt ?? '', days: String(s.days), fee: String(s.feePerPaperVnd), payment: s.payment };
}
/** "30.000", "30 000" and "30000" are the same fee; anything else is not a number (the rule says so in words). */
const wholeNumber = (v: string): number => (/^\d[\d. ]*$/.test(v.trim()) ? Number(v.replace(/[. ]/g, '')) : NaN);
function reviewSettingsFrom(f: ReviewForm): ReviewSettings {
  return {
    window: f.fixed ? { from: f.from.trim(), to: f.to.trim(), ...(f.opensAt.trim() ? { opensAt: f.opensAt.trim() } : {}), ...(f.closesAt.trim() ? { closesAt: f.closesAt.trim() } : {}) } : null,
    days: wholeNumber(f.days),
    feePerPaperVnd: wholeNumber(f.fee),
    payment: f.payment,
  };
}
const UNEXPECTED: Bilingual = { vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' };

/** A local date moved by whole years (29 February becomes the 28th in a common year). */
function shiftDate(d: string, by: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  const y = Number(m[1]) + by;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return `${y}-${m[2]}-${m[2] === '02' && m[3] === '29' && !leap ? '28' : m[3]}`;
}
function shiftWindows(w: ExamYearWindows, by: number): ExamYearWindows {
  const s = (x: LocalWindow): LocalWindow => ({ ...x, from: shiftDate(x.from, by), to: shiftDate(x.to, by) });
  return { accountIssuing: s(w.accountIssuing), trial: s(w.trial), official: s(w.official), correction: s(w.correction) };
}
/** Drops empty optional times, so an emptied field is not sent as "" (the schema wants HH:MM or nothing). */
function cleanWindows(w: ExamYearWindows): ExamYearWindows {
  const c = (x: LocalWindow): LocalWindow => ({ from: x.from.trim(), to: x.to.trim(), ...(x.opensAt ? { opensAt: x.opensAt.trim() } : {}), ...(x.closesAt ? { closesAt: x.closesAt.trim() } : {}) });
  return { accountIssuing: c(w.accountIssuing), trial: c(w.trial), official: c(w.official), correction: c(w.correction) };
}

const WEEKDAYS: Bilingual[] = [
  { vi: 'Chủ nhật', en: 'Sunday' },
  { vi: 'Thứ Hai', en: 'Monday' },
  { vi: 'Thứ Ba', en: 'Tuesday' },
  { vi: 'Thứ Tư', en: 'Wednesday' },
  { vi: 'Thứ Năm', en: 'Thursday' },
  { vi: 'Thứ Sáu', en: 'Friday' },
  { vi: 'Thứ Bảy', en: 'Saturday' },
];
const DAY_MS = 86_400_000;
/** A complete local date as a day number (UTC midnight), or null while it is being typed. */
function dayOf(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).getUTCDate() === Number(m[3]) ? t : null;
}

/**
 * The year's windows as a picture: one bar per window on a common time line, in date order, with the
 * same facts in words beside it (the words are what a screen reader reads; the bars are decoration).
 */
function WindowsPicture({ windows }: { windows: ExamYearWindows }) {
  const { t, pick } = useI18n();
  const rows = NAMES.map(([n, label]) => ({ n, label, w: windows[n], from: dayOf(windows[n].from), to: dayOf(windows[n].to) })).filter((r) => r.from !== null && r.to !== null && r.to >= r.from) as Array<{ n: string; label: Bilingual; w: LocalWindow; from: number; to: number }>;
  if (rows.length === 0) return null;
  rows.sort((a, b) => a.from - b.from);
  const start = Math.min(...rows.map((r) => r.from));
  const span = Math.max(...rows.map((r) => r.to)) + DAY_MS - start;
  const day = (ms: number) => {
    const d = new Date(ms);
    return `${pick(WEEKDAYS[d.getUTCDay()]!)} ${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
  };
  return (
    <section aria-labelledby="picture-title" data-testid="windows-picture">
      <h2 id="picture-title">{t('Lịch của kỳ thi', "The year's calendar")}</h2>
      <ol className="timeline">
        {rows.map((r) => {
          const days = Math.round((r.to - r.from) / DAY_MS) + 1;
          return (
            <li key={r.n} className="timeline__row">
              <span className="timeline__label">
                <strong>{pick(r.label)}</strong>: {t('từ', 'from')} {r.w.opensAt ? `${r.w.opensAt} ` : ''}
                {day(r.from)} {t('đến', 'to')} {r.w.closesAt ? `${r.w.closesAt} ` : ''}
                {day(r.to)} ({t(`${days} ngày`, `${days} days`)})
              </span>
              <span className="timeline__track" aria-hidden="true">
                <span className="timeline__bar" style={{ marginLeft: `${((r.from - start) / span) * 100}%`, width: `${Math.max(1, ((r.to + DAY_MS - r.from) / span) * 100)}%` }} />
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

interface Problems {
  form: 'edit' | 'create';
  findings: Finding[];
  message: Bilingual | null;
}

export function ConfigPage() {
  const { t, pick, dateTime } = useI18n();
  usePageTitle(t('Cấu hình kỳ thi', 'Exam year'));
  const [years, setYears] = useState<ExamYearConfig[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [scheme, setScheme] = useState<SchemeCode>('CT2018');
  const [windows, setWindows] = useState<ExamYearWindows | null>(null);
  // the dates as typed, day, month and year apart (a half-typed year is not a date yet)
  const [typed, setTyped] = useState<Record<string, DateParts>>({});
  const [reason, setReason] = useState('');
  const [newYear, setNewYear] = useState('');
  const [problems, setProblems] = useState<Problems>({ form: 'edit', findings: [], message: null });
  const [done, setDone] = useState<Bilingual | null>(null);
  const [check, setCheck] = useState<ExamYearCheck | null>(null);
  const [busy, setBusy] = useState(false);
  const [review, setReview] = useState<ReviewForm | null>(null);
  // the review settings are sent only once touched, so saving the windows never writes the defaults down
  const [reviewTouched, setReviewTouched] = useState(false);

  const current = years?.find((y) => y.year === selected) ?? null;
  const published = current?.status === 'published';
  const choose = useCallback((y: ExamYearConfig) => {
    setSelected(y.year);
    setScheme(y.scheme);
    setWindows(y.windows);
    setTyped({});
    setReason('');
    setCheck(null);
    setReview(reviewFormOf(y.rules));
    setReviewTouched(false);
  }, []);
  const load = useCallback(
    async (want?: number) => {
      const list = (await examYearApi.list()).years.sort((a, b) => b.year - a.year);
      setYears(list);
      const y = list.find((x) => x.year === want) ?? list[0];
      if (y) choose(y);
    },
    [choose],
  );
  useEffect(() => {
    load().catch((e: unknown) => {
      setYears([]);
      setProblems({ form: 'edit', findings: [], message: e instanceof ApiError ? e : UNEXPECTED });
    });
  }, [load]);

  // instant feedback as the windows are typed, from the same rule the server applies
  const instant: Finding[] = useMemo(() => (windows && selected ? checkExamYear({ year: selected, windows: cleanWindows(windows) }).map((p) => ({ ...p, severity: 'error' as const })) : []), [windows, selected]);
  const reviewFindings: Finding[] = useMemo(() => (review && selected && windows && reviewTouched ? checkReviewSettings(selected, reviewSettingsFrom(review), cleanWindows(windows).correction) : []), [review, selected, windows, reviewTouched]);
  const setR = (p: Partial<ReviewForm>) => {
    if (!review) return;
    setReview({ ...review, ...p });
    setReviewTouched(true);
  };
  const at = (...fields: string[]) => (problems.form === 'edit' ? problems.findings.filter((p) => fields.includes(p.field)) : []);
  const setW = (n: keyof ExamYearWindows, p: Partial<LocalWindow>) => windows && setWindows({ ...windows, [n]: { ...windows[n], ...p } });

  const act = async (form: Problems['form'], fn: () => Promise<Bilingual | null>) => {
    setBusy(true);
    setDone(null);
    setProblems({ form, findings: [], message: null });
    try {
      setDone(await fn());
    } catch (e) {
      setProblems(e instanceof ApiError && e.fields.length > 0 ? { form, findings: e.fields, message: e.code === 'EXAM_YEAR_CHECK_FAILED' ? e : null } : { form, findings: [], message: e instanceof ApiError ? e : UNEXPECTED });
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    if (!current || !windows) return;
    const findings = [...instant, ...reviewFindings];
    if (published && reason.trim().length < REASON_MIN) {
      findings.push({ code: 'REASON_REQUIRED', field: 'reason', severity: 'error', vi: `Kỳ thi đã công bố: ghi lý do thay đổi (ít nhất ${REASON_MIN} ký tự).`, en: `The year is published: give the reason for the change (at least ${REASON_MIN} characters).` });
    }
    if (findings.length) {
      setDone(null);
      setProblems({ form: 'edit', findings, message: null });
      return;
    }
    void act('edit', async () => {
      const saved = await examYearApi.edit(current.year, {
        windows: cleanWindows(windows),
        ...(published ? { reason: reason.trim() } : { scheme }),
        ...(review && reviewTouched ? { reviews: reviewSettingsFrom(review) } : {}),
      });
      await load(saved.year);
      return { vi: `Đã lưu kỳ thi ${saved.year}.`, en: `The ${saved.year} exam year is saved.` };
    });
  };
  const runCheck = () => {
    if (!current) return;
    void act('edit', async () => {
      setCheck(await examYearApi.check(current.year));
      return null;
    });
  };
  const publish = () => {
    if (!current) return;
    void act('edit', async () => {
      const y = await examYearApi.publish(current.year);
      await load(y.year);
      return { vi: `Đã công bố kỳ thi ${y.year}.`, en: `The ${y.year} exam year is published.` };
    });
  };
  const create = () => {
    const n = Number(newYear.trim());
    if (!current || !Number.isInteger(n) || n < 2000 || n > 2100) {
      setProblems({ form: 'create', findings: [{ code: 'YEAR_INVALID', field: 'year', severity: 'error', vi: 'Ghi năm thi gồm 4 chữ số, ví dụ 2027.', en: 'Enter the exam year as 4 digits, e.g. 2027.' }], message: null });
      return;
    }
    void act('create', async () => {
      const y = await examYearApi.create({ year: n, scheme: current.scheme, windows: shiftWindows(current.windows, n - current.year) });
      setNewYear('');
      await load(y.year);
      return { vi: `Đã tạo bản nháp kỳ thi ${y.year}; hãy sửa các khung thời gian rồi công bố.`, en: `The ${y.year} exam year is created as a draft; adjust its windows, then publish it.` };
    });
  };

  if (years === null) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  return (
    <>
      <h1>{t('Cấu hình kỳ thi', 'Exam year configuration')}</h1>
      <ErrorSummary findings={problems.findings} message={problems.message} fieldIdOf={(f) => (problems.form === 'create' ? 'new-year' : fieldId(f))} />
      {done && (
        <NotificationBanner title={t('Đã lưu', 'Saved')} kind="success">
          <p data-testid="config-done">{pick(done)}</p>
        </NotificationBanner>
      )}
      {current && windows ? (
        <>
          {years.length > 1 && (
            <Select
              field="chosen-year"
              label={t('Năm thi', 'Exam year')}
              value={String(current.year)}
              onChange={(v) => {
                const y = years.find((x) => String(x.year) === v);
                if (y) choose(y);
              }}
              options={years.map((y) => ({ value: String(y.year), label: String(y.year) }))}
            />
          )}
          <SummaryList
            rows={[
              { key: t('Năm thi', 'Exam year'), value: String(current.year) },
              { key: t('Tình trạng', 'State'), value: published ? t(`Đã công bố (${dateTime(current.publishedAt)})`, `Published (${dateTime(current.publishedAt)})`) : t('Bản nháp, chưa công bố', 'Draft, not published') },
              ...(published ? [{ key: t('Phương án thi', 'Exam scheme'), value: pick(SCHEMES[current.scheme]) }] : []),
            ]}
          />
          <section aria-labelledby="check-title">
            <h2 id="check-title">{t('Kiểm tra mâu thuẫn', 'Check for contradictions')}</h2>
            <p>{t('Máy chủ kiểm tra kỳ thi đã lưu: các khung thời gian có đúng thứ tự, đúng năm và giờ đóng hợp lý không.', 'The server checks the saved year: are the windows in order, in the exam year, and closing at sensible times.')}</p>
            {check &&
              (check.ok ? (
                <NotificationBanner title={t('Kết quả kiểm tra', 'Check result')}>
                  <p data-testid="check-result">{t(`Kỳ thi ${check.year} không có mâu thuẫn nào.`, `The ${check.year} exam year has no contradictions.`)}</p>
                </NotificationBanner>
              ) : (
                <NotificationBanner title={t('Kết quả kiểm tra', 'Check result')} kind="warning">
                  <p data-testid="check-result">{t(`Kỳ thi ${check.year} còn ${check.findings.length} mâu thuẫn:`, `The ${check.year} exam year has ${check.findings.length} contradictions:`)}</p>
                  <ul>
                    {check.findings.map((f, i) => (
                      <li key={i}>{pick(f)}</li>
                    ))}
                  </ul>
                </NotificationBanner>
              ))}
            <Button variant="secondary" busy={busy} onClick={runCheck}>
              {t('Kiểm tra kỳ thi đã lưu', 'Check the saved year')}
            </Button>
          </section>
          {windows && <WindowsPicture windows={windows} />}
          <section aria-labelledby="edit-title">
            <h2 id="edit-title">{published ? t('Thay đổi kỳ thi đã công bố', 'Change the published year') : t('Sửa bản nháp', 'Edit the draft')}</h2>
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (!busy) save();
              }}
            >
              {!published && (
                <Radios field="scheme" label={t('Phương án thi', 'Exam scheme')} value={scheme} onChange={(v) => setScheme(v === 'CT2006' ? 'CT2006' : 'CT2018')} options={(['CT2018', 'CT2006'] as const).map((s) => ({ value: s, label: pick(SCHEMES[s]) }))} findings={at('scheme')} />
              )}
              {NAMES.map(([n, label]) => (
                <fieldset className="fieldset form-group" key={n}>
                  <legend className="fieldset__legend">{pick(label)}</legend>
                  <div className="grid grid--2">
                    <DateInput
                      field={`windows.${n}`}
                      label={t('Từ ngày', 'From')}
                      hint={t('Ví dụ: 1 4 2026', 'For example: 1 4 2026')}
                      value={typed[`${n}.from`] ?? dateToParts(windows[n].from)}
                      onChange={(v) => {
                        setTyped({ ...typed, [`${n}.from`]: v });
                        setW(n, { from: partsToDate(v) });
                      }}
                      findings={at(`windows.${n}`, `windows.${n}.from`)}
                      autoComplete="off"
                    />
                    <DateInput
                      field={`windows.${n}.to`}
                      label={t('Đến ngày', 'To')}
                      hint={t('Ví dụ: 10 4 2026', 'For example: 10 4 2026')}
                      value={typed[`${n}.to`] ?? dateToParts(windows[n].to)}
                      onChange={(v) => {
                        setTyped({ ...typed, [`${n}.to`]: v });
                        setW(n, { to: partsToDate(v) });
                      }}
                      findings={at(`windows.${n}.to`)}
                      autoComplete="off"
                    />
                    <TextInput field={`windows.${n}.opensAt`} label={t('Giờ mở (HH:MM, không bắt buộc)', 'Opens at (HH:MM, optional)')} width={4} value={windows[n].opensAt ?? ''} onChange={(v) => setW(n, { opensAt: v || undefined })} findings={at(`windows.${n}.opensAt`)} />
                    <TextInput field={`windows.${n}.closesAt`} label={t('Giờ đóng (HH:MM, không bắt buộc)', 'Closes at (HH:MM, optional)')} width={4} value={windows[n].closesAt ?? ''} onChange={(v) => setW(n, { closesAt: v || undefined })} findings={at(`windows.${n}.closesAt`)} />
                  </div>
                </fieldset>
              ))}
              {review && (
                <fieldset className="fieldset form-group" data-testid="review-settings">
                  <legend className="fieldset__legend">{t('Phúc khảo bài thi', 'Score reviews')}</legend>
                  <Radios
                    field="reviews.window"
                    label={t('Thời gian nhận đơn phúc khảo', 'When review requests are taken')}
                    value={review.fixed ? 'fixed' : 'relative'}
                    onChange={(v) => setR({ fixed: v === 'fixed' })}
                    options={[
                      { value: 'relative', label: t('Từ lúc Sở GD&ĐT công bố điểm, trong một số ngày', 'From when the department publishes the marks, for a number of days') },
                      { value: 'fixed', label: t('Cùng một khung thời gian cho cả nước', 'One window for the whole country') },
                    ]}
                    findings={at('reviews.window')}
                  />
                  {review.fixed ? (
                    <div className="grid grid--2">
                      <DateInput
                        field="reviews.window.from"
                        label={t('Từ ngày', 'From')}
                        hint={t('Ví dụ: 16 7 2026', 'For example: 16 7 2026')}
                        value={typed['reviews.from'] ?? dateToParts(review.from)}
                        onChange={(v) => {
                          setTyped({ ...typed, 'reviews.from': v });
                          setR({ from: partsToDate(v) });
                        }}
                        findings={at('reviews.window.from')}
                        autoComplete="off"
                      />
                      <DateInput
                        field="reviews.window.to"
                        label={t('Đến ngày', 'To')}
                        hint={t('Ví dụ: 25 7 2026', 'For example: 25 7 2026')}
                        value={typed['reviews.to'] ?? dateToParts(review.to)}
                        onChange={(v) => {
                          setTyped({ ...typed, 'reviews.to': v });
                          setR({ to: partsToDate(v) });
                        }}
                        findings={at('reviews.window.to')}
                        autoComplete="off"
                      />
                      <TextInput field="reviews.window.opensAt" label={t('Giờ mở (HH:MM, không bắt buộc)', 'Opens at (HH:MM, optional)')} width={4} value={review.opensAt} onChange={(v) => setR({ opensAt: v })} findings={at('reviews.window.opensAt')} />
                      <TextInput field="reviews.window.closesAt" label={t('Giờ đóng (HH:MM, không bắt buộc)', 'Closes at (HH:MM, optional)')} width={4} value={review.closesAt} onChange={(v) => setR({ closesAt: v })} findings={at('reviews.window.closesAt')} />
                    </div>
                  ) : (
                    <TextInput
                      field="reviews.days"
                      label={t('Số ngày nhận đơn', 'Days requests are taken')}
                      hint={t('Tính cả ngày công bố; hết hạn lúc 17:00 ngày cuối (2025: 10 ngày).', 'Counting the day of publication; closing at 17:00 on the last day (2025: 10 days).')}
                      width={4}
                      inputMode="numeric"
                      value={review.days}
                      onChange={(v) => setR({ days: v })}
                      findings={at('reviews.days')}
                    />
                  )}
                  <TextInput
                    field="reviews.feePerPaperVnd"
                    label={t('Lệ phí một bài thi (đồng)', 'Fee per paper (VND)')}
                    width={10}
                    inputMode="numeric"
                    value={review.fee}
                    onChange={(v) => setR({ fee: v })}
                    findings={at('reviews.feePerPaperVnd')}
                  />
                  <Radios
                    field="reviews.payment"
                    label={t('Cách nộp lệ phí', 'How the fee is paid')}
                    value={review.payment}
                    onChange={(v) => setR({ payment: v === 'at_point' ? 'at_point' : 'online' })}
                    options={[
                      {
                        value: 'online',
                        label: t('Trực tuyến qua cổng thanh toán', 'Online through the payment gateway'),
                        hint: t('Sở GD&ĐT chỉ xử lý đơn đã nộp lệ phí. Khi chưa cấu hình cổng thanh toán, lệ phí nộp tại điểm tiếp nhận.', 'The department handles only paid requests. Without a configured payment gateway the fee is paid at the point.'),
                      },
                      { value: 'at_point', label: t('Tại điểm tiếp nhận hồ sơ', 'At the registration point') },
                    ]}
                    findings={at('reviews.payment')}
                  />
                </fieldset>
              )}
              {published && (
                <Textarea
                  field="reason"
                  label={t('Lý do thay đổi', 'Reason for the change')}
                  hint={t('Bắt buộc vì kỳ thi đã công bố. Lưu vào nhật ký cùng giá trị trước và sau khi sửa.', 'Required because the year is published. Kept in the audit log with the values before and after.')}
                  rows={3}
                  maxLength={1000}
                  value={reason}
                  onChange={setReason}
                  findings={at('reason')}
                />
              )}
              <div className="button-group">
                <Button type="submit" busy={busy}>
                  {t('Kiểm tra và lưu', 'Check and save')}
                </Button>
                {!published && (
                  <Button variant="secondary" busy={busy} onClick={publish}>
                    {t('Công bố kỳ thi', 'Publish the year')}
                  </Button>
                )}
              </div>
            </form>
          </section>
        </>
      ) : (
        <p>{t('Chưa có kỳ thi nào.', 'No exam year yet.')}</p>
      )}
      {current && (
        <section aria-labelledby="create-title">
          <h2 id="create-title">{t('Tạo kỳ thi mới', 'Create a new exam year')}</h2>
          <p>{t(`Bản nháp mới lấy phương án thi và các khung thời gian của kỳ thi ${current.year}, dời sang năm mới.`, `The new draft takes the scheme and windows of ${current.year}, moved to the new year.`)}</p>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!busy) create();
            }}
          >
            <TextInput field="new-year" label={t('Năm thi mới', 'New exam year')} width={4} inputMode="numeric" value={newYear} onChange={setNewYear} findings={problems.form === 'create' ? problems.findings : []} />
            <Button type="submit" variant="secondary" busy={busy}>
              {t('Tạo bản nháp', 'Create the draft')}
            </Button>
          </form>
        </section>
      )}
    </>
  );
}
