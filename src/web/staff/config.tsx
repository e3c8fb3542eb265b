// The ministry's exam-year configuration: scheme and windows, checked for contradictions with the same
// domain function the server runs (checkExamYear) before saving and publishing.
import { useEffect, useMemo, useState } from 'react';
import { checkExamYear, type ExamYearWindows, type LocalWindow } from '../../domain/exam-year.ts';
import type { Finding } from '../../domain/messages.ts';
import { ApiError } from '../api/client.ts';
import { examYearApi, type ExamYearConfig } from '../api/endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner } from '../components/feedback.tsx';
import { Radios, TextInput } from '../components/forms.tsx';

const NAMES: Array<[keyof ExamYearWindows, Bilingual]> = [
  ['accountIssuing', { vi: 'Cấp tài khoản', en: 'Account issuing' }],
  ['trial', { vi: 'Đăng ký thử', en: 'Trial registration' }],
  ['official', { vi: 'Đăng ký chính thức', en: 'Official registration' }],
  ['correction', { vi: 'Điểm tiếp nhận rà soát, điều chỉnh', en: 'Points review and correct' }],
];
const empty: LocalWindow = { from: '', to: '' };

export function ConfigPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Cấu hình kỳ thi', 'Exam year'));
  const year0 = new Date().getFullYear();
  const [cfg, setCfg] = useState<ExamYearConfig>({ year: year0, scheme: 'CT2018', published: false, windows: { accountIssuing: empty, trial: empty, official: { ...empty, closesAt: '17:00' }, correction: empty } });
  const [shown, setShown] = useState(false);
  const [error, setError] = useState<Bilingual | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    examYearApi
      .list()
      .then((r) => {
        const latest = r.years.sort((a, b) => b.year - a.year)[0];
        if (latest) setCfg(latest);
      })
      .catch(() => {});
  }, []);
  const problems: Finding[] = useMemo(() => checkExamYear(cfg).map((p) => ({ ...p, severity: 'error' as const })), [cfg]);
  const at = (f: string) => (shown ? problems.filter((p) => p.field === f || p.field.startsWith(`${f}.`)) : []);
  const setW = (n: keyof ExamYearWindows, p: Partial<LocalWindow>) => setCfg({ ...cfg, windows: { ...cfg.windows, [n]: { ...cfg.windows[n], ...p } } });

  const save = async () => {
    setShown(true);
    setSaved(false);
    if (problems.length) return;
    setBusy(true);
    try {
      setCfg(await examYearApi.save(cfg));
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('Cấu hình kỳ thi', 'Exam year configuration')}</h1>
      <ErrorSummary findings={shown ? problems : []} message={error} fieldIdOf={(f) => f.replace(/[^A-Za-z0-9_-]+/g, '-')} />
      {saved && (
        <NotificationBanner title={t('Đã lưu', 'Saved')} kind="success">
          <p>{t('Cấu hình kỳ thi đã được lưu.', 'The exam year is saved.')}</p>
        </NotificationBanner>
      )}
      <p>
        {t('Năm thi', 'Exam year')}: <strong>{cfg.year}</strong> · {cfg.published ? t('Đã công bố', 'Published') : t('Chưa công bố', 'Not published')}
      </p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Radios
          field="scheme"
          label={t('Phương án thi', 'Exam scheme')}
          value={cfg.scheme}
          onChange={(v) => setCfg({ ...cfg, scheme: v as ExamYearConfig['scheme'] })}
          options={[
            { value: 'CT2018', label: t('Chương trình 2018 (từ 2025)', 'CT2018 (2025 on)') },
            { value: 'CT2006', label: t('Chương trình 2006 (2017–2024)', 'CT2006 (2017–2024)') },
          ]}
        />
        {NAMES.map(([n, label]) => (
          <fieldset className="fieldset form-group" key={n}>
            <legend className="fieldset__legend">{pick(label)}</legend>
            <div className="grid grid--2">
              <TextInput field={`windows.${n}`} label={t('Từ ngày (YYYY-MM-DD)', 'From (YYYY-MM-DD)')} width={10} value={cfg.windows[n].from} onChange={(v) => setW(n, { from: v })} findings={at(`windows.${n}`).filter((p) => !p.field.endsWith('closesAt'))} />
              <TextInput field={`windows.${n}.to`} label={t('Đến ngày (YYYY-MM-DD)', 'To (YYYY-MM-DD)')} width={10} value={cfg.windows[n].to} onChange={(v) => setW(n, { to: v })} />
              <TextInput field={`windows.${n}.opensAt`} label={t('Giờ mở (HH:MM, không bắt buộc)', 'Opens at (HH:MM, optional)')} width={4} value={cfg.windows[n].opensAt ?? ''} onChange={(v) => setW(n, { opensAt: v || undefined })} />
              <TextInput field={`windows.${n}.closesAt`} label={t('Giờ đóng (HH:MM, không bắt buộc)', 'Closes at (HH:MM, optional)')} width={4} value={cfg.windows[n].closesAt ?? ''} onChange={(v) => setW(n, { closesAt: v || undefined })} findings={at(`windows.${n}.closesAt`)} />
            </div>
          </fieldset>
        ))}
        <div className="button-group">
          <Button type="submit" busy={busy}>
            {t('Kiểm tra và lưu', 'Check and save')}
          </Button>
          {!cfg.published && (
            <Button variant="secondary" busy={busy} onClick={() => void examYearApi.publish(cfg.year).then(setCfg).catch((e: unknown) => setError(e instanceof ApiError ? e : null))}>
              {t('Công bố', 'Publish')}
            </Button>
          )}
        </div>
      </form>
    </>
  );
}
