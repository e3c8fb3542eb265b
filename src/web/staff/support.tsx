// The support desk: find a candidate (by ID number, or name and date of birth), see the account and the
// dossier's status, trigger a password reset, log the call.
import { useState } from 'react';
import { STATUS_LABELS } from '../../domain/lifecycle.ts';
import { ApiError } from '../api/client.ts';
import { supportApi, type SupportHit } from '../api/endpoints.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { Button, ErrorSummary, NotificationBanner, StatusTag } from '../components/feedback.tsx';
import { DateInput, Radios, Select, TextInput, Textarea, partsToDate, type DateParts } from '../components/forms.tsx';

export function SupportPage() {
  const { t, pick } = useI18n();
  usePageTitle(t('Tổng đài hỗ trợ', 'Support desk'));
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [dob, setDob] = useState<DateParts>({ day: '', month: '', year: '' });
  const [results, setResults] = useState<SupportHit[] | null>(null);
  const [chosen, setChosen] = useState<SupportHit | null>(null);
  const [error, setError] = useState<Bilingual | null>(null);
  const [otp, setOtp] = useState<string | null>(null);
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState('');
  const [logged, setLogged] = useState(false);
  const [busy, setBusy] = useState(false);

  const wrap = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e : { vi: 'Có lỗi.', en: 'Something went wrong.' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h1>{t('Tổng đài hỗ trợ thí sinh', 'Candidate support desk')}</h1>
      <ErrorSummary findings={[]} message={error} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void wrap(async () => {
            setResults((await supportApi.search({ idNumber: idNumber.trim(), name: name.trim(), dateOfBirth: partsToDate(dob) })).results);
          });
        }}
      >
        <TextInput field="support-id" label={t('Số định danh (CCCD)', 'ID number (CCCD)')} width={20} inputMode="numeric" value={idNumber} onChange={setIdNumber} />
        <p>{t('hoặc', 'or')}</p>
        <TextInput field="support-name" label={t('Họ và tên', 'Full name')} value={name} onChange={setName} />
        <DateInput field="support-dob" label={t('Ngày sinh', 'Date of birth')} value={dob} onChange={setDob} />
        <Button type="submit" busy={busy}>
          {t('Tra cứu', 'Look up')}
        </Button>
      </form>
      {results && results.length === 0 && <p>{t('Không tìm thấy thí sinh trong phạm vi của bạn.', 'No candidate found within your scope.')}</p>}
      {results && results.length > 0 && (
        <ul>
          {results.map((r) => (
            <li key={r.candidateId}>
              <button type="button" className="link-button" style={{ color: 'var(--link)' }} onClick={() => setChosen(r)}>
                {r.fullName} · {r.idNumberMasked} {r.dateOfBirth ? `· ${r.dateOfBirth}` : ''}
              </button>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <>
          <h2>{chosen.fullName}</h2>
          <p>
            {t('Tài khoản', 'Account')}: {chosen.accountStatus} · {t('Hồ sơ', 'Dossier')}: {chosen.dossierStatus ? <StatusTag status={chosen.dossierStatus} label={STATUS_LABELS[chosen.dossierStatus]} /> : t('chưa khai', 'not started')}
          </p>
          <Button variant="warning" busy={busy} onClick={() => void wrap(async () => setOtp((await supportApi.resetPassword(chosen.userId, 'Tổng đài: thí sinh quên mật khẩu')).oneTimePassword))}>
            {t('Cấp lại mật khẩu', 'Reset the password')}
          </Button>
          {otp && (
            <NotificationBanner title={t('Mật khẩu tạm thời', 'One-time password')} kind="success">
              <p>
                <code>{otp}</code> · {t('Đọc cho thí sinh; thí sinh phải đổi khi đăng nhập.', 'Read it to the candidate; they must change it at sign-in.')}
              </p>
            </NotificationBanner>
          )}
        </>
      )}
      <h2>{t('Ghi nhận cuộc gọi', 'Log the call')}</h2>
      {logged && (
        <NotificationBanner title={t('Đã ghi nhận', 'Logged')} kind="success">
          <p>{t('Cuộc gọi đã được ghi nhận.', 'The call is logged.')}</p>
        </NotificationBanner>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void wrap(async () => {
            await supportApi.logCall({ ...(chosen ? { candidateId: chosen.candidateId } : {}), category, note, outcome });
            setLogged(true);
            setNote('');
          });
        }}
      >
        <Select
          field="call-category"
          label={t('Loại yêu cầu', 'Category')}
          value={category}
          onChange={setCategory}
          options={[
            { value: 'password', label: t('Mật khẩu, đăng nhập', 'Password, sign-in') },
            { value: 'dossier', label: t('Khai hồ sơ', 'Filling in') },
            { value: 'status', label: t('Trạng thái hồ sơ', 'Status') },
            { value: 'other', label: t('Khác', 'Other') },
          ]}
        />
        <Textarea field="call-note" label={t('Nội dung', 'Note')} value={note} onChange={setNote} />
        <Radios
          field="call-outcome"
          label={t('Kết quả', 'Outcome')}
          inline
          value={outcome}
          onChange={setOutcome}
          options={[
            { value: 'resolved', label: t('Đã giải quyết', 'Resolved') },
            { value: 'open', label: t('Cần theo dõi', 'Follow up') },
          ]}
        />
        <Button type="submit" busy={busy}>
          {t('Lưu cuộc gọi', 'Save the call')}
        </Button>
      </form>
      {error && <p className="hint">{pick({ vi: 'Tra cứu và ghi nhận cuộc gọi dùng API của tổng đài (đang xây dựng).', en: 'Look-up and call logging use the support API (being built).' })}</p>}
    </>
  );
}
