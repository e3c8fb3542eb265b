// Who is signed in, and keeping them signed in kindly: a warning two minutes before the idle timeout with
// a button to stay, and when a session has ended anyway, a sign-in dialog over the page so nothing on it
// (and nothing in the saved drafts) is lost. Also the "server busy, retrying" notice from the API client.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError, onApiEvent, setCsrfToken } from './api/client.ts';
import { sessionApi, type SessionResponse, type SessionUser } from './api/session-api.ts';
import { useI18n } from './i18n.tsx';
import { navigate } from './router.tsx';

interface SessionCtx {
  user: SessionUser | null;
  loading: boolean;
  /** set after a successful sign-in or password change */
  accept: (s: SessionResponse) => void;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
}

const Ctx = createContext<SessionCtx | null>(null);

export function useSession(): SessionCtx {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

const WARN_BEFORE_MS = 2 * 60 * 1000;
/**
 * How long before the idle limit to warn: two minutes, or half the limit when it is short (a one-minute
 * limit would otherwise warn at once, and forever). Either way more than the server's touch interval (a
 * quarter of the limit, at most a minute) plus a tick, so the warning comes before the server ends it.
 */
export const warnBeforeMs = (limitMs: number): number => Math.min(WARN_BEFORE_MS, limitMs / 2);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);
  const [expired, setExpired] = useState(false);
  const [idleMinutes, setIdleMinutes] = useState(30);
  const lastActivity = useRef(Date.now());
  const [warn, setWarn] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);

  const accept = useCallback((s: SessionResponse) => {
    setCsrfToken(s.csrfToken);
    setUser(s.user);
    setIdleMinutes(s.idleMinutes);
    lastActivity.current = Date.now();
    setExpired(false);
    setWarn(false);
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await sessionApi.me());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setUser(null);
      } else throw e;
    }
  }, [accept]);

  useEffect(() => {
    refresh()
      .catch(() => {})
      .finally(() => setLoading(false));
  }, [refresh]);

  useEffect(
    () =>
      onApiEvent((e) => {
        if (e.type === 'activity') lastActivity.current = Date.now();
        if (e.type === 'busy') setBusy(e.retryInSeconds);
        if (e.type === 'recovered') setBusy(null);
        if (e.type === 'unauthenticated') setExpired(true);
      }),
    [],
  );

  // Idle timer: warn before the server would end the session for inactivity.
  useEffect(() => {
    if (!user) return;
    const id = window.setInterval(() => {
      const idleFor = Date.now() - lastActivity.current;
      const limit = idleMinutes * 60 * 1000;
      if (idleFor >= limit) {
        setWarn(false);
        setExpired(true);
      } else if (idleFor >= limit - warnBeforeMs(limit)) setWarn(true);
    }, 1000);
    return () => window.clearInterval(id);
  }, [user, idleMinutes]);

  const signOut = useCallback(async () => {
    try {
      await sessionApi.signOut();
    } catch {}
    setCsrfToken(null);
    setUser(null);
    setExpired(false);
  }, []);

  return (
    <Ctx.Provider value={{ user, loading, accept, signOut, refresh }}>
      {busy !== null && <BusyNotice seconds={busy} />}
      {children}
      {user && warn && !expired && <TimeoutWarning endsAt={lastActivity.current + idleMinutes * 60 * 1000} onStay={() => void refresh().then(() => setWarn(false))} onSignOut={() => void signOut()} />}
      {user && expired && <ReSignIn username={user.username} onDone={accept} onGiveUp={() => void signOut()} />}
    </Ctx.Provider>
  );
}

function BusyNotice({ seconds }: { seconds: number }) {
  const { t } = useI18n();
  return (
    <div className="notification notification--warning" role="status" aria-live="polite" style={{ margin: 0 }}>
      <p className="notification__header">{t('Hệ thống đang đông', 'The service is busy')}</p>
      <div className="notification__content">
        <p>
          {t(
            `Đừng lo: những gì bạn đã nhập vẫn được giữ trên máy này. Chúng tôi sẽ tự thử lại sau ${seconds} giây.`,
            `Don’t worry: what you typed is kept on this device. We will try again in ${seconds} seconds.`,
          )}
        </p>
      </div>
    </div>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog: focus moves in, Tab and Shift+Tab stay inside, Escape does `onEscape`, focus returns after. */
function Dialog({ title, children, labelId, onEscape }: { title: string; children: ReactNode; labelId: string; onEscape?: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    ref.current?.focus();
    return () => prev?.focus?.();
  }, []);
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={labelId}
        tabIndex={-1}
        ref={ref}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && onEscape) {
            e.preventDefault();
            onEscape();
            return;
          }
          if (e.key !== 'Tab' || !ref.current) return;
          const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
          const first = items[0];
          const last = items[items.length - 1];
          if (!first || !last) return;
          const active = document.activeElement;
          if (e.shiftKey && (active === first || active === ref.current)) {
            e.preventDefault();
            last.focus();
          } else if (!e.shiftKey && active === last) {
            e.preventDefault();
            first.focus();
          }
        }}
      >
        <h2 id={labelId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** "1 phút 30 giây" / "1 minute 30 seconds" */
function spell(ms: number, t: (vi: string, en: string) => string): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const vi = [m ? `${m} phút` : '', s || !m ? `${s} giây` : ''].filter(Boolean).join(' ');
  const en = [m ? `${m} minute${m === 1 ? '' : 's'}` : '', s || !m ? `${s} second${s === 1 ? '' : 's'}` : ''].filter(Boolean).join(' ');
  return t(vi, en);
}

function TimeoutWarning({ endsAt, onStay, onSignOut }: { endsAt: number; onStay: () => void; onSignOut: () => void }) {
  const { t } = useI18n();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const left = endsAt - now;
  // the screen shows every second; a screen reader hears it every 20 seconds, not a flood
  const spoken = spell(Math.ceil(Math.max(0, left) / 20_000) * 20_000, t);
  return (
    <Dialog title={t('Bạn vẫn đang làm chứ?', 'Are you still there?')} labelId="timeout-title" onEscape={onStay}>
      <p>
        <span aria-hidden="true" data-testid="timeout-countdown">
          {t(`Phiên làm việc sẽ hết hạn sau ${spell(left, t)} vì lâu không thao tác.`, `Your session will end in ${spell(left, t)} because of inactivity.`)}
        </span>
        <span className="visually-hidden" aria-live="polite" aria-atomic="true">
          {t(`Phiên làm việc sẽ hết hạn sau khoảng ${spoken}.`, `Your session will end in about ${spoken}.`)}
        </span>{' '}
        {t('Những gì bạn đã nhập vẫn được giữ.', 'What you typed is kept.')}
      </p>
      <div className="button-group">
        <button type="button" className="button" onClick={onStay}>
          {t('Tiếp tục làm việc', 'Stay signed in')}
        </button>
        <button type="button" className="link-button link-button--link target" onClick={onSignOut}>
          {t('Đăng xuất', 'Sign out')}
        </button>
      </div>
    </Dialog>
  );
}

function ReSignIn({ username, onDone, onGiveUp }: { username: string; onDone: (s: SessionResponse) => void; onGiveUp: () => void }) {
  const { t, pick } = useI18n();
  const [password, setPassword] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={t('Phiên làm việc đã hết hạn', 'Your session has ended')} labelId="expired-title">
      <p>{t('Những gì bạn đã nhập vẫn được giữ trên máy này. Hãy nhập lại mật khẩu để tiếp tục đúng chỗ đang làm.', 'What you typed is kept on this device. Enter your password again to carry on where you were.')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (busy) return;
          setBusy(true);
          sessionApi
            .signIn(username, password)
            // a staff account with a second factor finishes on the sign-in page
            .then((s) => ('challenge' in s ? navigate('/sign-in') : onDone(s)))
            .catch((x: unknown) => setErr(x instanceof ApiError ? x : null))
            .finally(() => setBusy(false));
        }}
      >
        <p>
          {t('Tài khoản', 'Account')}: <strong>{username}</strong>
        </p>
        {err && (
          <p className="error-message" role="alert">
            {pick(err)}
          </p>
        )}
        <div className="form-group">
          <label className="label" htmlFor="resignin-password">
            {t('Mật khẩu', 'Password')}
          </label>
          <input className="input" id="resignin-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <div className="button-group">
          <button type="submit" className="button" aria-disabled={busy || undefined}>
            {t('Đăng nhập lại', 'Sign in again')}
          </button>
          <button type="button" className="link-button link-button--link target" onClick={onGiveUp}>
            {t('Về trang đăng nhập', 'Go to sign-in page')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
