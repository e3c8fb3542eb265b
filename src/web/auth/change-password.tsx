// Change the password: required at the first sign-in with the school-issued one. The length rule is
// checked here for instant feedback; the server's policy (common passwords, not the username) decides.
import { useState } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { ApiError, NETWORK_ERROR } from '../api/client.ts';
import { sessionApi } from '../api/session-api.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { navigate, usePageTitle } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Checkbox, TextInput } from '../components/forms.tsx';
import { takeOneTimePassword } from './just-typed.ts';
import { Button, ErrorSummary, NotificationBanner } from '../components/feedback.tsx';
import { homeFor } from '../components/layout.tsx';
import { PASSWORD_MIN as MIN } from '../../contracts/accounts.ts';

export function ChangePasswordPage() {
  const { t } = useI18n();
  usePageTitle(t('Đổi mật khẩu', 'Change your password'));
  const { user, accept } = useSession();
  // the one-time password typed a moment ago on the sign-in page: not asked again
  const [held] = useState(() => takeOneTimePassword());
  const [askCurrent, setAskCurrent] = useState(held === null);
  const [current, setCurrent] = useState(held ?? '');
  const [next, setNext] = useState('');
  const [show, setShow] = useState(false);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [message, setMessage] = useState<Bilingual | null>(null);
  const [busy, setBusy] = useState(false);
  const first = user?.mustChangePassword ?? false;

  const submit = async () => {
    const f: Finding[] = [];
    if (!current) f.push({ code: 'REQUIRED', field: 'currentPassword', severity: 'error', vi: 'Nhập mật khẩu hiện tại.', en: 'Enter your current password.' });
    if ([...next.normalize('NFC')].length < MIN)
      f.push({ code: 'PASSWORD_TOO_SHORT', field: 'newPassword', severity: 'error', vi: `Mật khẩu mới cần ít nhất ${MIN} ký tự.`, en: `The new password needs at least ${MIN} characters.` });
    else if (next === current) f.push({ code: 'PASSWORD_UNCHANGED', field: 'newPassword', severity: 'error', vi: 'Mật khẩu mới phải khác mật khẩu hiện tại.', en: 'The new password must differ from the current one.' });
    setFindings(f);
    setMessage(null);
    if (f.length) return;
    setBusy(true);
    try {
      const s = await sessionApi.changePassword(current, next);
      accept(s);
      navigate(`${homeFor(s.user.role)}${s.user.role === 'candidate' ? '?passwordChanged=1' : ''}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError) {
        // the held password was refused (changed meanwhile): ask for it after all
        if (e.fields.some((x) => x.field === 'currentPassword')) setAskCurrent(true);
        setFindings(e.fields);
        setMessage(e.fields.length ? null : e);
      } else setMessage(NETWORK_ERROR);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <ErrorSummary findings={findings} message={message} />
      {first && (
        <NotificationBanner title={t('Việc cần làm trước', 'Before you start')}>
          <p>{t('Đây là lần đăng nhập đầu tiên: hãy đặt mật khẩu riêng của bạn.', 'This is your first sign-in: set your own password.')}</p>
        </NotificationBanner>
      )}
      <h1>{t('Đổi mật khẩu', 'Change your password')}</h1>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        {askCurrent ? (
          <TextInput
            field="currentPassword"
            label={first ? t('Mật khẩu do trường cấp', 'Password from your school') : t('Mật khẩu hiện tại', 'Current password')}
            type={show ? 'text' : 'password'}
            autoComplete="current-password"
            width={20}
            value={current}
            onChange={setCurrent}
            findings={findings.filter((x) => x.field === 'currentPassword')}
          />
        ) : (
          <p className="inset" data-testid="otp-kept">
            {t('Bạn vừa đăng nhập bằng mật khẩu do trường cấp, nên không cần nhập lại.', 'You have just signed in with the password from your school, so you need not type it again.')}
          </p>
        )}
        <TextInput
          field="newPassword"
          label={t('Mật khẩu mới', 'New password')}
          hint={t(`Ít nhất ${MIN} ký tự. Nên dùng một cụm từ dễ nhớ với bạn, khó đoán với người khác, ví dụ “mùa hè xanh 2026”.`, `At least ${MIN} characters. A phrase you remember and others cannot guess works well, e.g. “blue summer days 2026”.`)}
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          width={20}
          value={next}
          onChange={setNext}
          findings={findings.filter((x) => x.field === 'newPassword')}
        />
        <Checkbox field="showPassword" label={t('Hiện mật khẩu', 'Show password')} checked={show} onChange={setShow} />
        <Button type="submit" busy={busy}>
          {t('Lưu mật khẩu mới', 'Save new password')}
        </Button>
      </form>
    </div>
  );
}
