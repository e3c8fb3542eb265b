// Error summary, notification banner, confirmation panel, warning text and the button that refuses a
// second click while the first is still working (govuk-frontend's data-prevent-double-click).
import { useEffect, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { useI18n, type Bilingual } from '../i18n.tsx';
import { fieldId } from './forms.tsx';

/**
 * The list of problems at the top of the page, focused when it appears so a screen reader announces it;
 * each entry links to its field (and focuses it, as govuk-frontend does).
 */
export function ErrorSummary({ findings, message, fieldIdOf = fieldId }: { findings: readonly Finding[]; message?: Bilingual | null; fieldIdOf?: (field: string) => string }) {
  const { t, pick } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const errors = findings.filter((f) => f.severity === 'error');
  const key = errors.map((f) => f.code + f.field).join('|') + (message?.en ?? '');
  useEffect(() => {
    if (errors.length > 0 || message) ref.current?.focus();
    // focus again whenever the set of problems changes
  }, [key]);
  if (errors.length === 0 && !message) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 className="error-summary__title" id="error-summary-title">
        {t('Có lỗi cần sửa', 'There is a problem')}
      </h2>
      {message && <p>{pick(message)}</p>}
      {errors.length > 0 && (
        <ul className="error-summary__list">
          {errors.map((f, i) => {
            const id = fieldIdOf(f.field);
            return (
              <li key={i}>
                <a
                  href={`#${id}`}
                  onClick={(e) => {
                    const el = document.getElementById(id);
                    if (!el) return;
                    e.preventDefault();
                    const group = el.closest('.form-group');
                    (group?.querySelector('legend, label') ?? el).scrollIntoView();
                    el.focus({ preventScroll: true });
                  }}
                >
                  {pick(f)}
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

export function NotificationBanner({ title, children, kind = 'info', focus }: { title: ReactNode; children: ReactNode; kind?: 'info' | 'success' | 'warning' | 'error'; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  const id = useRef(`nb-${Math.random().toString(36).slice(2)}`).current;
  return (
    <div className={`notification notification--${kind}`} role={kind === 'success' || kind === 'error' ? 'alert' : 'region'} aria-labelledby={id} tabIndex={focus ? -1 : undefined} ref={ref}>
      <h2 className="notification__header" id={id}>
        {title}
      </h2>
      <div className="notification__content">{children}</div>
    </div>
  );
}

export function Panel({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <div className="panel">
      <h1 className="panel__title">{title}</h1>
      {children && <div className="panel__body">{children}</div>}
    </div>
  );
}

export function WarningText({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="warning-text">
      <span className="warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong>
        <span className="visually-hidden">{t('Cảnh báo', 'Warning')} </span>
        {children}
      </strong>
    </div>
  );
}

/**
 * A button that ignores further clicks while `busy` (or for a second after a click, as govuk-frontend
 * does), so a double click on Submit sends one request.
 */
export function Button({ variant, busy, children, onClick, type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'secondary' | 'warning'; busy?: boolean }) {
  const [cooling, setCooling] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const blocked = busy || cooling;
  return (
    <button
      type={type}
      className={`button${variant ? ` button--${variant}` : ''}`}
      aria-disabled={blocked || undefined}
      data-prevent-double-click="true"
      {...rest}
      onClick={(e) => {
        if (blocked) {
          e.preventDefault();
          return;
        }
        setCooling(true);
        timer.current = window.setTimeout(() => setCooling(false), 1000);
        onClick?.(e);
      }}
    >
      {children}
    </button>
  );
}

export function StatusTag({ status, label }: { status: string; label: Bilingual }) {
  const { pick } = useI18n();
  const cls = status === 'verified' ? 'tag--green' : status === 'returned' ? 'tag--red' : status === 'submitted' ? '' : 'tag--grey';
  return <strong className={`tag ${cls}`}>{pick(label)}</strong>;
}

export function Spinner({ label }: { label: Bilingual }) {
  const { pick } = useI18n();
  return (
    <p role="status" aria-live="polite">
      {pick(label)}…
    </p>
  );
}
