// A staff member's own two-step verification (/account/two-step): whether it is on, and setting it up
// (the QR code and key shown once, a code to confirm, the recovery codes shown once); and the known devices
// (browsers that may pass a sign-in lock on the account), each of which the owner can revoke.
import { useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { mfaApi, type EnrolmentKey } from '../api/session-api.ts';
import type { z } from 'zod';
import type { knownDevice } from '../../contracts/mfa.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { usePageTitle } from '../router.tsx';
import { TextInput } from '../components/forms.tsx';
import { Button, ErrorSummary } from '../components/feedback.tsx';
import { QrCode, RecoveryCodes } from './second-step.tsx';

export function TwoStepPage() {
  const { t } = useI18n();
  usePageTitle(t('Xác thực hai lớp', 'Two-step verification'));
  const [status, setStatus] = useState<{ enrolled: boolean; required: boolean; recoveryCodesLeft: number } | null>(null);
  const [key, setKey] = useState<EnrolmentKey | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = (e: unknown) => {
    if (e instanceof ApiError) {
      setMessage(e.fields.length ? null : e);
      setFindings(e.fields);
    } else setMessage(NETWORK_ERROR);
  };
  useEffect(() => {
    mfaApi.status().then(setStatus).catch(fail);
  }, []);

  return (
    <div className="grid grid--sidebar">
      <div>
        <ErrorSummary findings={findings} message={message} />
        <h1>{t('Xác thực hai lớp', 'Two-step verification')}</h1>
        {status && (
          <p data-testid="mfa-status">
            {status.enrolled
              ? t(`Đang bật. Còn ${status.recoveryCodesLeft} mã khôi phục.`, `On. ${status.recoveryCodesLeft} recovery codes left.`)
              : status.required
                ? t('Vai trò của bạn bắt buộc xác thực hai lớp.', 'Your role must use two-step verification.')
                : t('Chưa bật. Bạn có thể bật để bảo vệ tài khoản tốt hơn.', 'Off. You can turn it on to protect your account better.')}
          </p>
        )}
        {codes && <RecoveryCodes codes={codes} />}
        {status && !status.enrolled && !codes && !key && (
          <Button
            busy={busy}
            onClick={() => {
              setBusy(true);
              mfaApi
                .start()
                .then(setKey)
                .catch(fail)
                .finally(() => setBusy(false));
            }}
          >
            {t('Bật xác thực hai lớp', 'Turn on two-step verification')}
          </Button>
        )}
        {key && !codes && (
          <>
            <p>{t('Quét mã QR bằng ứng dụng xác thực hoặc nhập khoá, rồi nhập mã 6 chữ số.', 'Scan the QR code with an authenticator app or type the key, then enter the 6-digit code.')}</p>
            <QrCode qr={key.qr} label={t('Mã QR của khoá xác thực', 'QR code of the authentication key')} />
            <p>
              {t('Khoá (nhập tay)', 'Key (to type by hand)')}: <code>{key.secret}</code>
            </p>
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                if (busy) return;
                setBusy(true);
                mfaApi
                  .confirm(code.trim())
                  .then((r) => {
                    setCodes(r.recoveryCodes);
                    setStatus({ enrolled: true, required: status?.required ?? false, recoveryCodesLeft: r.recoveryCodes.length });
                  })
                  .catch(fail)
                  .finally(() => setBusy(false));
              }}
            >
              <TextInput field="code" label={t('Mã xác thực', 'Verification code')} value={code} onChange={setCode} autoComplete="one-time-code" width={10} findings={findings.filter((f) => f.field === 'code')} />
              <Button type="submit" busy={busy}>
                {t('Xác nhận', 'Confirm')}
              </Button>
            </form>
          </>
        )}
        <KnownDevices />
      </div>
    </div>
  );
}

type Device = z.infer<typeof knownDevice>;

/** The account's known devices, each with a button that revokes it. */
export function KnownDevices() {
  const { t, dateTime } = useI18n();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const load = () =>
    mfaApi
      .devices()
      .then((r) => setDevices(r.devices))
      .catch((e: unknown) => setMessage(e instanceof ApiError ? e : NETWORK_ERROR));
  useEffect(() => {
    void load();
  }, []);
  return (
    <section aria-labelledby="known-devices-heading" data-testid="known-devices">
      <h2 id="known-devices-heading">{t('Thiết bị đã biết', 'Known devices')}</h2>
      <p>
        {t(
          'Trình duyệt bạn đã đăng nhập thành công. Khi tài khoản bị khoá tạm vì nhiều lần đăng nhập sai từ nơi khác, các trình duyệt này vẫn đăng nhập được. Thu hồi thiết bị bạn không còn dùng hoặc bị mất.',
          'Browsers you signed in from. While the account is locked for a while by failed sign-ins from elsewhere, these browsers can still sign in. Revoke any device you no longer use or have lost.',
        )}
      </p>
      <ErrorSummary findings={[]} message={message} />
      {done && (
        <p role="status" className="panel">
          {t('Đã thu hồi thiết bị.', 'The device was revoked.')}
        </p>
      )}
      {devices && devices.length === 0 && <p>{t('Chưa có thiết bị nào.', 'No devices yet.')}</p>}
      {devices && devices.length > 0 && (
        <ul className="list">
          {devices.map((d) => (
            <li key={d.id} data-testid="known-device">
              <strong>{d.userAgent ?? t('Trình duyệt không rõ', 'Unknown browser')}</strong>
              {d.current && <> ({t('trình duyệt này', 'this browser')})</>}
              <br />
              {t('Lần đầu', 'First used')}: {dateTime(d.createdAt)}; {t('lần gần nhất', 'last used')}: {dateTime(d.lastUsedAt)}{' '}
              <Button
                variant="secondary"
                busy={busy === d.id}
                onClick={() => {
                  setBusy(d.id);
                  setDone(null);
                  setMessage(null);
                  mfaApi
                    .revokeDevice(d.id)
                    .then(() => {
                      setDone(d.id);
                      return load();
                    })
                    .catch((e: unknown) => setMessage(e instanceof ApiError ? e : NETWORK_ERROR))
                    .finally(() => setBusy(null));
                }}
              >
                {t('Thu hồi', 'Revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
