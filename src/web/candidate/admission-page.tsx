// The candidate's admission result (issue 24, item 4): once the ministry publishes the run, the wish
// obtained (or none), and for every higher wish the programme's cut-off, the candidate's score and the
// reason; then the confirmation of enrolment (xác nhận nhập học) by the year's deadline. One column,
// readable at 360 px; before publication, when it comes.
import { useEffect, useState } from 'react';
import * as adm from '../../contracts/admission-run.ts';
import type { ResponseOf } from '../../contracts/operation.ts';
import { call } from '../api/call.ts';
import { ApiError } from '../api/client.ts';
import { useI18n } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, NotificationBanner, Spinner } from '../components/feedback.tsx';
import { SummaryList } from '../components/lists.tsx';

type Own = ResponseOf<typeof adm.ownAdmission>;
type Failure = { code: string; vi: string; en: string };

const points = (centi: number | null, lang: 'vi' | 'en') => (centi === null ? '—' : lang === 'vi' ? (centi / 100).toFixed(2).replace('.', ',') : (centi / 100).toFixed(2));
const failureOf = (e: unknown): Failure => (e instanceof ApiError ? { code: e.code, vi: e.vi, en: e.en } : { code: 'ERROR', vi: 'Đã có lỗi, xin thử lại.', en: 'Something went wrong; please try again.' });

export function AdmissionPage() {
  const { t, pick, lang, dateTime } = useI18n();
  usePageTitle(t('Kết quả xét tuyển', 'Admission result'));
  const [own, setOwn] = useState<Own | null>(null);
  const [failed, setFailed] = useState<Failure | null>(null);
  const [confirmError, setConfirmError] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const load = () => call(adm.ownAdmission, {}).then(setOwn, (e: unknown) => setFailed(failureOf(e)));
  useEffect(() => {
    void load();
  }, []);
  if (failed)
    return (
      <>
        <h1>{t('Kết quả xét tuyển', 'Admission result')}</h1>
        <NotificationBanner kind={failed.code === 'ADMISSION_NOT_PUBLISHED' ? 'info' : 'warning'} title={failed.code === 'ADMISSION_NOT_PUBLISHED' ? t('Chưa công bố', 'Not published yet') : t('Chưa tải được', 'Could not load')}>
          <p data-testid="admission-message">{pick(failed)}</p>
        </NotificationBanner>
      </>
    );
  if (!own) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  const a = own.admitted;
  const confirm = () => {
    setBusy(true);
    setConfirmError(null);
    call(adm.confirmEnrolment, {}, { noNetworkRetry: true })
      .then(() => load())
      .catch((e: unknown) => setConfirmError(failureOf(e)))
      .finally(() => setBusy(false));
  };
  return (
    <>
      <h1>{t('Kết quả xét tuyển', 'Admission result')}</h1>
      {a ? (
        <NotificationBanner kind="success" title={t('Trúng tuyển', 'Admitted')}>
          <p data-testid="admission-admitted">
            {t(`Nguyện vọng ${a.wish}: `, `Wish ${a.wish}: `)}
            <strong>{a.programme.name}</strong> ({a.programme.id}) — {t('điểm xét tuyển', 'score')} {points(a.score, lang)}
          </p>
        </NotificationBanner>
      ) : (
        <NotificationBanner kind="info" title={t('Không trúng tuyển', 'Not admitted')}>
          <p data-testid="admission-admitted">
            {own.inRun ? t('Bạn không trúng tuyển nguyện vọng nào trong đợt này.', 'You were not admitted to any wish in this round.') : t('Bạn không có nguyện vọng nào trong lần xét tuyển này.', 'You had no wish in this admission run.')}
          </p>
        </NotificationBanner>
      )}
      {own.change && (
        <NotificationBanner kind="info" title={t('Kết quả của bạn đã thay đổi so với lần công bố trước', 'Your result changed since the previous publication')}>
          <p data-testid="admission-change">
            {own.change.before
              ? t(`Lần công bố trước: nguyện vọng ${own.change.before.wish}, ${own.change.before.programme.name} (${own.change.before.programme.id}). `, `Previous publication: wish ${own.change.before.wish}, ${own.change.before.programme.name} (${own.change.before.programme.id}). `)
              : t('Lần công bố trước: không trúng tuyển nguyện vọng nào. ', 'Previous publication: not admitted to any wish. ')}
            {t(`Lý do: ${own.change.vi}`, `Why: ${own.change.en}`)}
          </p>
          {own.change.confirmedBefore && (
            <p data-testid="admission-change-enrolment">
              {t(
                `Xác nhận nhập học trước đây của bạn (${own.change.confirmedBefore.programme.name}) không còn hiệu lực với kết quả này.`,
                `Your earlier confirmation of enrolment (${own.change.confirmedBefore.programme.name}) does not hold for this result.`,
              )}
            </p>
          )}
        </NotificationBanner>
      )}
      {own.notObtained.length > 0 && (
        <>
          <h2>{a ? t('Các nguyện vọng cao hơn không đạt', 'Higher wishes not obtained') : t('Các nguyện vọng không đạt', 'Wishes not obtained')}</h2>
          <ul className="list" data-testid="admission-reasons">
            {own.notObtained.map((n) => (
              <li key={n.wish}>
                <strong>
                  {t(`NV${n.wish}`, `Wish ${n.wish}`)}: {n.programme.name}
                </strong>{' '}
                ({n.programme.id})
                <br />
                {t('Điểm chuẩn', 'Cut-off')} {points(n.cutoff, lang)} · {t('điểm của bạn', 'your score')} {points(n.score, lang)}
                <br />
                <span>{pick(n)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {a && (
        <>
          <h2>{t('Xác nhận nhập học', 'Confirm enrolment')}</h2>
          <SummaryList
            rows={[
              { key: t('Hạn xác nhận', 'Deadline'), value: own.enrolment.deadline ? dateTime(own.enrolment.deadline) : t('Chưa công bố', 'Not set') },
              { key: t('Trạng thái', 'Status'), value: <span data-testid="enrolment-status">{own.enrolment.confirmedAt ? t(`Đã xác nhận lúc ${dateTime(own.enrolment.confirmedAt)}`, `Confirmed at ${dateTime(own.enrolment.confirmedAt)}`) : t('Chưa xác nhận', 'Not confirmed')}</span> },
            ]}
          />
          {confirmError && (
            <NotificationBanner kind="error" title={t('Không xác nhận được', 'Could not confirm')} focus>
              <p data-testid="enrolment-error">{pick(confirmError)}</p>
            </NotificationBanner>
          )}
          {!own.enrolment.confirmedAt && own.enrolment.open && (
            <Button busy={busy} onClick={confirm} data-testid="confirm-enrolment">
              {t('Xác nhận nhập học', 'Confirm enrolment')}
            </Button>
          )}
          {!own.enrolment.confirmedAt && !own.enrolment.open && <p>{t('Đã hết hạn xác nhận nhập học.', 'The deadline to confirm enrolment has passed.')}</p>}
        </>
      )}
    </>
  );
}
