// The second step of a staff sign-in: a code from the authenticator app (or a recovery code), or, for a
// role that must have a second factor and has none yet, setting it up: the QR code and the key shown once,
// a code to confirm, then the recovery codes shown once.
import { useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { mfaApi, type EnrolmentKey, type SessionResponse } from '../api/session-api.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { TextInput } from '../components/forms.tsx';
import { Button, ErrorSummary } from '../components/feedback.tsx';

export function QrCode({ qr, label }: { qr: EnrolmentKey['qr']; label: string }) {
  // an inline SVG: no data: URL, nothing fetched, drawn at 4 px a module with a quiet zone
  return (
    <svg role="img" aria-label={label} width={(qr.size + 8) * 4} height={(qr.size + 8) * 4} viewBox={`-4 -4 ${qr.size + 8} ${qr.size + 8}`} shapeRendering="crispEdges" data-testid="mfa-qr">
      <rect x={-4} y={-4} width={qr.size + 8} height={qr.size + 8} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  const { t } = useI18n();
  return (
    <div className="panel" data-testid="mfa-recovery-codes">
      <h2>{t('Mã khôi phục', 'Recovery codes')}</h2>
      <p>{t('Lưu các mã này ở nơi an toàn. Mỗi mã dùng được một lần khi bạn mất điện thoại. Chúng chỉ hiện lần này.', 'Keep these codes somewhere safe. Each works once if you lose your phone. They are shown only this once.')}</p>
      <ul className="list" style={{ fontFamily: 'monospace' }}>
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}

export function SecondStepForm({ next, challenge, onSignedIn }: { next: 'code' | 'enrol'; challenge: string; onSignedIn: (s: SessionResponse, recoveryCodes?: string[]) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [key, setKey] = useState<EnrolmentKey | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (next !== 'enrol') return;
    mfaApi
      .startAtSignIn(challenge)
      .then(setKey)
      .catch((e: unknown) => setMessage(e instanceof ApiError ? e : NETWORK_ERROR));
  }, [next, challenge]);

  const submit = async () => {
    setMessage(null);
    if (code.trim() === '') {
      setFindings([{ code: 'REQUIRED', field: 'code', severity: 'error', vi: 'Nhập mã xác thực.', en: 'Enter the verification code.' }]);
      return;
    }
    setFindings([]);
    setBusy(true);
    try {
      if (next === 'code') onSignedIn(await mfaApi.secondStep(challenge, code.trim()));
      else {
        const s = await mfaApi.confirmAtSignIn(challenge, code.trim());
        onSignedIn(s, s.recoveryCodes);
      }
    } catch (e) {
      if (e instanceof ApiError) {
        setMessage(e.fields.length ? null : e);
        setFindings(e.fields);
      } else setMessage(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <ErrorSummary findings={findings} message={message} />
      <h1>{next === 'code' ? t('Xác thực hai lớp', 'Two-step verification') : t('Bật xác thực hai lớp', 'Set up two-step verification')}</h1>
      {next === 'enrol' && (
        <>
          <p>
            {t(
              'Tài khoản của bạn bắt buộc xác thực hai lớp. Quét mã QR bằng ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…) hoặc nhập khoá bên dưới, rồi nhập mã 6 chữ số ứng dụng hiện ra.',
              'Your account must use two-step verification. Scan the QR code with an authenticator app (Google Authenticator, Microsoft Authenticator…) or type the key below, then enter the 6-digit code the app shows.',
            )}
          </p>
          {key && (
            <>
              <QrCode qr={key.qr} label={t('Mã QR của khoá xác thực', 'QR code of the authentication key')} />
              <p>
                {t('Khoá (nhập tay)', 'Key (to type by hand)')}: <code data-testid="mfa-secret">{key.secret}</code>
              </p>
            </>
          )}
        </>
      )}
      {next === 'code' && <p>{t('Nhập mã 6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục nếu bạn mất điện thoại.', 'Enter the 6-digit code from your authenticator app, or a recovery code if you lost your phone.')}</p>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <TextInput field="code" label={t('Mã xác thực', 'Verification code')} value={code} onChange={setCode} autoComplete="one-time-code" spellCheck={false} width={10} findings={findings.filter((f) => f.field === 'code')} />
        <Button type="submit" busy={busy}>
          {t('Xác nhận', 'Confirm')}
        </Button>
      </form>
    </div>
  );
}
