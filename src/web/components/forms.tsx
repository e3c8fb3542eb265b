// Form components after govuk-frontend: every field has a visible label, an optional hint and its error
// messages, tied together with aria-describedby so a screen reader reads them with the field. Errors are
// domain Findings ({code, field, severity, vi, en}); the field id is derived from the finding's field path,
// so the error summary can link straight to it.
import { useId, type ChangeEvent, type ReactNode } from 'react';
import type { Finding } from '../../domain/messages.ts';
import { useI18n } from '../i18n.tsx';

/** `residence.grade10.schoolCode` → `residence-grade10-schoolCode`: a safe element id for a field path. */
export function fieldId(field: string): string {
  return field.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '');
}

export type FieldFindings = readonly Finding[] | undefined;

function Messages({ id, findings }: { id: string; findings: FieldFindings }) {
  const { pick, t } = useI18n();
  if (!findings || findings.length === 0) return null;
  return (
    <span id={id}>
      {findings.map((f, i) =>
        f.severity === 'error' ? (
          <span key={i} className="error-message">
            <span className="visually-hidden">{t('Lỗi:', 'Error:')} </span>
            {pick(f)}
          </span>
        ) : (
          <span key={i} className="warning-message">
            <strong>{t('Lưu ý:', 'Note:')}</strong> {pick(f)}
          </span>
        ),
      )}
    </span>
  );
}

const hasError = (f: FieldFindings) => Boolean(f?.some((x) => x.severity === 'error'));
const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(' ') || undefined;

interface BaseProps {
  field: string;
  label: ReactNode;
  hint?: ReactNode;
  findings?: FieldFindings;
}

export function TextInput({
  field,
  label,
  hint,
  findings,
  value,
  onChange,
  type = 'text',
  width,
  autoComplete,
  inputMode,
  spellCheck,
  maxLength,
  labelIsHeading,
}: BaseProps & {
  value: string;
  onChange: (v: string) => void;
  type?: 'text' | 'email' | 'tel' | 'password' | 'number' | 'search';
  width?: 2 | 4 | 10 | 20;
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'tel' | 'email';
  spellCheck?: boolean;
  maxLength?: number;
  labelIsHeading?: boolean;
}) {
  const id = fieldId(field);
  const err = hasError(findings);
  const labelEl = (
    <label className="label" htmlFor={id}>
      {label}
    </label>
  );
  return (
    <div className={`form-group${err ? ' form-group--error' : ''}`}>
      {labelIsHeading ? <h1 style={{ fontSize: 'inherit', margin: 0 }}>{labelEl}</h1> : labelEl}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <Messages id={`${id}-error`} findings={findings} />
      <input
        className={`input${width ? ` input--w${width}` : ''}${err ? ' input--error' : ''}`}
        id={id}
        name={field}
        type={type}
        value={value}
        autoComplete={autoComplete}
        inputMode={inputMode}
        spellCheck={spellCheck}
        maxLength={maxLength}
        aria-invalid={err || undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : false, findings?.length ? `${id}-error` : false)}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      />
    </div>
  );
}

export function Textarea({ field, label, hint, findings, value, onChange, rows = 4, maxLength }: BaseProps & { value: string; onChange: (v: string) => void; rows?: number; maxLength?: number }) {
  const id = fieldId(field);
  const err = hasError(findings);
  return (
    <div className={`form-group${err ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <Messages id={`${id}-error`} findings={findings} />
      <textarea
        className={`textarea${err ? ' textarea--error' : ''}`}
        id={id}
        name={field}
        rows={rows}
        value={value}
        maxLength={maxLength}
        aria-invalid={err || undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : false, findings?.length ? `${id}-error` : false)}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export interface Option {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

export function Select({ field, label, hint, findings, value, onChange, options, placeholder }: BaseProps & { value: string; onChange: (v: string) => void; options: Option[]; placeholder?: string }) {
  const id = fieldId(field);
  const err = hasError(findings);
  return (
    <div className={`form-group${err ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <Messages id={`${id}-error`} findings={findings} />
      <select
        className={`select${err ? ' select--error' : ''}`}
        id={id}
        name={field}
        value={value}
        aria-invalid={err || undefined}
        aria-describedby={describedBy(hint ? `${id}-hint` : false, findings?.length ? `${id}-error` : false)}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{placeholder ?? '—'}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {typeof o.label === 'string' ? o.label : o.value}
          </option>
        ))}
      </select>
    </div>
  );
}

function Fieldset({ legend, hint, id, findings, children, legendSize }: { legend: ReactNode; hint?: ReactNode; id: string; findings: FieldFindings; children: ReactNode; legendSize?: 'l' }) {
  const err = hasError(findings);
  return (
    <div className={`form-group${err ? ' form-group--error' : ''}`}>
      <fieldset className="fieldset" aria-describedby={describedBy(hint ? `${id}-hint` : false, findings?.length ? `${id}-error` : false)}>
        <legend className={`fieldset__legend${legendSize ? ` fieldset__legend--${legendSize}` : ''}`}>{legend}</legend>
        {hint && (
          <span className="hint" id={`${id}-hint`}>
            {hint}
          </span>
        )}
        <Messages id={`${id}-error`} findings={findings} />
        {children}
      </fieldset>
    </div>
  );
}

export function Radios({ field, label, hint, findings, value, onChange, options, inline }: BaseProps & { value: string; onChange: (v: string) => void; options: Option[]; inline?: boolean }) {
  const id = fieldId(field);
  const name = useId();
  return (
    <Fieldset legend={label} hint={hint} id={id} findings={findings}>
      <div className={inline ? 'radios--inline' : undefined}>
        {options.map((o, i) => {
          const oid = i === 0 ? id : `${id}-${i}`;
          return (
            <div className="radios__item" key={o.value}>
              <input className="radios__input" id={oid} name={name} type="radio" value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} aria-describedby={o.hint ? `${oid}-hint` : undefined} />
              <label className="radios__label" htmlFor={oid}>
                {o.label}
                {o.hint && (
                  <span className="item-hint" id={`${oid}-hint`}>
                    {o.hint}
                  </span>
                )}
              </label>
            </div>
          );
        })}
      </div>
    </Fieldset>
  );
}

export function Checkboxes({ field, label, hint, findings, values, onChange, options }: BaseProps & { values: readonly string[]; onChange: (v: string[]) => void; options: Option[] }) {
  const id = fieldId(field);
  return (
    <Fieldset legend={label} hint={hint} id={id} findings={findings}>
      {options.map((o, i) => {
        const oid = i === 0 ? id : `${id}-${i}`;
        const checked = values.includes(o.value);
        return (
          <div className="checkboxes__item" key={o.value}>
            <input
              className="checkboxes__input"
              id={oid}
              type="checkbox"
              value={o.value}
              checked={checked}
              onChange={() => onChange(checked ? values.filter((v) => v !== o.value) : [...values, o.value])}
              aria-describedby={o.hint ? `${oid}-hint` : undefined}
            />
            <label className="checkboxes__label" htmlFor={oid}>
              {o.label}
              {o.hint && (
                <span className="item-hint" id={`${oid}-hint`}>
                  {o.hint}
                </span>
              )}
            </label>
          </div>
        );
      })}
    </Fieldset>
  );
}

/** A single yes/no tick (a boolean field). */
export function Checkbox({ field, label, hint, findings, checked, onChange }: BaseProps & { checked: boolean; onChange: (v: boolean) => void }) {
  const id = fieldId(field);
  const err = hasError(findings);
  return (
    <div className={`form-group${err ? ' form-group--error' : ''}`}>
      <Messages id={`${id}-error`} findings={findings} />
      <div className="checkboxes__item">
        <input className="checkboxes__input" id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} aria-describedby={describedBy(hint ? `${id}-hint` : false, findings?.length ? `${id}-error` : false)} />
        <label className="checkboxes__label" htmlFor={id}>
          {label}
          {hint && (
            <span className="item-hint" id={`${id}-hint`}>
              {hint}
            </span>
          )}
        </label>
      </div>
    </div>
  );
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** `2008-03-14` ⇄ {day: '14', month: '3', year: '2008'}; incomplete parts stay as typed. */
export function dateToParts(iso: string | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' } : { day: '', month: '', year: '' };
}
export function partsToDate(p: DateParts): string {
  const d = p.day.trim();
  const m = p.month.trim();
  const y = p.year.trim();
  if (!d && !m && !y) return '';
  // the year is never padded: "8" stays a short year the rule refuses in words, not the year 0008
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Day, month and year apart (GOV.UK's date input). A date of birth by default; `autoComplete="off"` for any other date. */
export function DateInput({ field, label, hint, findings, value, onChange, autoComplete = 'bday' }: BaseProps & { value: DateParts; onChange: (v: DateParts) => void; autoComplete?: 'bday' | 'off' }) {
  const { t } = useI18n();
  const id = fieldId(field);
  const err = hasError(findings);
  const part = (k: keyof DateParts, lbl: string, w: 2 | 4, i: number, auto: string) => (
    <div className="date-input__item">
      <label className="label" htmlFor={i === 0 ? id : `${id}-${k}`}>
        {lbl}
      </label>
      <input
        className={`input input--w${w}${err ? ' input--error' : ''}`}
        id={i === 0 ? id : `${id}-${k}`}
        inputMode="numeric"
        autoComplete={autoComplete === 'off' ? 'off' : auto}
        maxLength={w}
        value={value[k]}
        onChange={(e) => onChange({ ...value, [k]: e.target.value.replace(/[^\d]/g, '') })}
      />
    </div>
  );
  return (
    <Fieldset legend={label} hint={hint} id={id} findings={findings}>
      <div className="date-input">
        {part('day', t('Ngày', 'Day'), 2, 0, 'bday-day')}
        {part('month', t('Tháng', 'Month'), 2, 1, 'bday-month')}
        {part('year', t('Năm', 'Year'), 4, 2, 'bday-year')}
      </div>
    </Fieldset>
  );
}

/** A spreadsheet to upload (XLSX or CSV), with its hint and the refusals of the file itself, GOV.UK's file upload pattern. */
export function SheetFileField({ id, label, hint, errors, onChange }: { id: string; label: string; hint: string; errors: Finding[]; onChange: (f: File | null) => void }) {
  const { t, pick } = useI18n();
  return (
    <div className={`form-group${errors.length ? ' form-group--error' : ''}`}>
      <label className="label" htmlFor={id}>
        {label}
      </label>
      <span className="hint" id={`${id}-hint`}>
        {hint}
      </span>
      {errors.length > 0 && (
        <span id={`${id}-error`}>
          {errors.map((f, i) => (
            <span key={i} className="error-message">
              <span className="visually-hidden">{t('Lỗi:', 'Error:')} </span>
              {pick(f)}
            </span>
          ))}
        </span>
      )}
      <input
        id={id}
        name="file"
        type="file"
        accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        aria-describedby={`${id}-hint${errors.length ? ` ${id}-error` : ''}`}
        aria-invalid={errors.length > 0 || undefined}
        onChange={(e) => onChange(e.target.files?.[0] ?? null)}
      />
    </div>
  );
}
