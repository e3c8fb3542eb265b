// Sign in with the personal number (CCCD) or a staff login and the password the school handed out.
import { holdOneTimePassword } from './just-typed.ts';
import { useEffect, useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { sessionApi } from '../api/session-api.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { navigate, useLocation, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { TextInput } from '../components/forms.tsx';
import { Button, ErrorSummary } from '../components/feedback.tsx';
import { homeFor } from '../components/layout.tsx';
import { vneidApi } from '../api/vneid.ts';
import { VNEID_REFUSALS, isVneidRefusal } from '../../domain/vneid.ts';
import { RecoveryCodes, SecondStepForm } from './second-step.tsx';
import type { SessionResponse } from '../api/session-api.ts';

export function SignInPage() {
  const { t } = useI18n();
  usePageTitle(t('Đăng nhập', 'Sign in'));
  const { accept } = useSession();
  const { query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const [second, setSecond] = useState<{ next: 'code' | 'enrol'; challenge: string } | null>(null);
  const [shownCodes, setShownCodes] = useState<{ codes: string[]; s: SessionResponse } | null>(null);
  // the VNeID button shows only when the server has it configured
  const [vneidStart, setVneidStart] = useState<string | null>(null);
  useEffect(() => {
    vneidApi
      .methods()
      .then((m) => setVneidStart(m.vneid.enabled ? m.vneid.startUrl : null))
      .catch(() => setVneidStart(null));
  }, []);
  // a refused VNeID sign-in comes back here with its reason
  const vneidError = query.get('vneid_error');
  const vneidMessage = vneidError && isVneidRefusal(vneidError) ? { code: vneidError, ...VNEID_REFUSALS[vneidError] } : null;

  const enter = (s: SessionResponse) => {
    accept(s);
    const next = query.get('next');
    navigate(s.user.mustChangePassword ? '/change-password' : next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(s.user.role), { replace: true });
  };

  const submit = async () => {
    const local: Finding[] = [];
    if (username.trim() === '')
      local.push({ code: 'REQUIRED', field: 'username', severity: 'error', vi: 'Nhập số định danh cá nhân (CCCD) hoặc tên đăng nhập.', en: 'Enter your personal identification number or username.' });
    if (password === '') local.push({ code: 'REQUIRED', field: 'password', severity: 'error', vi: 'Nhập mật khẩu.', en: 'Enter your password.' });
    setFindings(local);
    setMessage(null);
    if (local.length) return;
    setBusy(true);
    try {
      const s = await sessionApi.signIn(username.trim(), password);
      if ('challenge' in s) setSecond({ next: s.next, challenge: s.challenge });
      else {
        if (s.user.mustChangePassword) holdOneTimePassword(password);
        enter(s);
      }
    } catch (e) {
      if (e instanceof ApiError) {
        setMessage(e.fields.length ? null : e);
        setFindings(e.fields.length ? e.fields : []);
      } else setMessage(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  };

  if (shownCodes)
    return (
      <div className="grid grid--sidebar">
        <div>
          <RecoveryCodes codes={shownCodes.codes} />
          <Button onClick={() => enter(shownCodes.s)}>{t('Tôi đã lưu các mã, tiếp tục', 'I have saved the codes, continue')}</Button>
        </div>
      </div>
    );
  if (second)
    return (
      <div className="grid grid--sidebar">
        <SecondStepForm next={second.next} challenge={second.challenge} onSignedIn={(s, codes) => (codes ? setShownCodes({ codes, s }) : enter(s))} />
      </div>
    );

  return (
    <div className="grid grid--sidebar">
      <div>
        <ErrorSummary findings={findings} message={message ?? vneidMessage} />
        <h1>{t('Đăng nhập', 'Sign in')}</h1>
        <p>{t('Dùng tài khoản do trường (điểm tiếp nhận) cấp cho bạn.', 'Use the account your school (registration point) gave you.')}</p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!busy) void submit();
          }}
        >
          <TextInput
            field="username"
            label={t('Số định danh cá nhân (CCCD) hoặc tên đăng nhập', 'Personal identification number (CCCD) or username')}
            hint={t('12 chữ số trên thẻ căn cước, ví dụ 001208100001', 'The 12 digits on your ID card, for example 001208100001')}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            spellCheck={false}
            width={20}
            findings={findings.filter((f) => f.field === 'username')}
          />
          <TextInput
            field="password"
            label={t('Mật khẩu', 'Password')}
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            width={20}
            findings={findings.filter((f) => f.field === 'password')}
          />
          <Button type="submit" busy={busy}>
            {t('Đăng nhập', 'Sign in')}
          </Button>
        </form>
        {vneidStart && (
          <section aria-labelledby="vneid-heading">
            <h2 id="vneid-heading">{t('Thí sinh tự do', 'Free candidates')}</h2>
            <p>{t('Thí sinh tự do đăng nhập bằng tài khoản định danh điện tử VNeID mức 2.', 'Free candidates sign in with a level 2 VNeID electronic identity.')}</p>
            <a className="button button--secondary" href={vneidStart} data-testid="vneid-sign-in">
              {t('Đăng nhập bằng VNeID', 'Sign in with VNeID')}
            </a>
          </section>
        )}
        <details className="details">
          <summary>{t('Tôi quên mật khẩu', 'I forgot my password')}</summary>
          <div className="details__text">
            {t(
              'Liên hệ trường (điểm tiếp nhận) hoặc tổng đài hỗ trợ để được cấp lại mật khẩu. Bạn sẽ đổi mật khẩu ở lần đăng nhập tới.',
              'Contact your school (registration point) or the support desk for a new password. You will change it at your next sign-in.',
            )}
          </div>
        </details>
      </div>
    </div>
  );
}
