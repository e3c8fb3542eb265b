// A place picker: type part of a name, without diacritics if you like, and choose from the list (the
// ARIA 1.2 combobox with a list box: arrow keys move, Enter chooses, Escape closes; a tap or a click
// chooses too; leaving without choosing keeps the earlier choice). No hover-only or drag-only control; each option is at least 44 px tall, so it works on a
// 360 px phone. The value is a code; the input shows the chosen name.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { searchByName } from '../../domain/places.ts';
import type { Finding } from '../../domain/messages.ts';
import { useI18n } from '../i18n.tsx';
import { fieldId } from './forms.tsx';

export interface ComboOption {
  code: string;
  name: string;
  /** a second line: the old province, the area */
  detail?: string;
}

const MAX_SHOWN = 30;

export function Combobox({
  field,
  label,
  hint,
  findings,
  options,
  value,
  onChange,
  loading,
}: {
  field: string;
  label: string;
  hint?: string;
  findings?: readonly Finding[];
  options: readonly ComboOption[];
  value: string;
  onChange: (code: string) => void;
  loading?: boolean;
}) {
  const { t, pick } = useI18n();
  const id = fieldId(field);
  const listId = `${id}-list${useId().replace(/:/g, '')}`;
  const chosen = options.find((o) => o.code === value);
  const [text, setText] = useState(chosen?.name ?? '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const box = useRef<HTMLDivElement>(null);

  // the chosen name appears once the options arrive (or the value changes from outside: "same as grade 10")
  useEffect(() => {
    if (!open) setText(chosen?.name ?? '');
  }, [chosen?.name, open]);

  const shown = useMemo(() => searchByName(options, open ? text : '', MAX_SHOWN), [options, text, open]);
  const err = findings?.some((f) => f.severity === 'error') ?? false;

  const choose = (o: ComboOption) => {
    onChange(o.code);
    setText(o.name);
    setOpen(false);
    setActive(-1);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, shown.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open) {
      const o = shown[active >= 0 ? active : 0];
      if (o) {
        e.preventDefault();
        choose(o);
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setText(chosen?.name ?? '');
    }
  };

  const describedBy = [hint ? `${id}-hint` : '', findings?.length ? `${id}-error` : '', `${id}-status`].filter(Boolean).join(' ');
  return (
    <div
      className={`form-group combobox${err ? ' form-group--error' : ''}`}
      ref={box}
      onBlur={(e) => {
        if (!box.current?.contains(e.relatedTarget as Node | null)) {
          setOpen(false);
          setText(chosen?.name ?? '');
        }
      }}
    >
      <label className="label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {findings && findings.length > 0 && (
        <span id={`${id}-error`}>
          {findings.map((f, i) => (
            <span key={i} className={f.severity === 'error' ? 'error-message' : 'warning-message'}>
              {f.severity === 'error' ? <span className="visually-hidden">{t('Lỗi:', 'Error:')} </span> : <strong>{t('Lưu ý:', 'Note:')} </strong>}
              {pick(f)}
            </span>
          ))}
        </span>
      )}
      <input
        id={id}
        name={field}
        className={`input${err ? ' input--error' : ''}`}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={err || undefined}
        aria-describedby={describedBy}
        value={text}
        placeholder={loading ? t('Đang tải danh sách…', 'Loading the list…') : t('Gõ tên, có dấu hoặc không', 'Type the name, with or without accents')}
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKey}
      />
      <span id={`${id}-status`} className="visually-hidden" aria-live="polite">
        {open ? t(`${shown.length} kết quả`, `${shown.length} results`) : chosen ? t(`Đã chọn ${chosen.name}`, `Chosen: ${chosen.name}`) : ''}
      </span>
      <ul className="combobox__list" id={listId} role="listbox" aria-label={label} hidden={!open || shown.length === 0}>
        {shown.map((o, i) => (
          <li
            key={o.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={o.code === value || i === active}
            className={`combobox__option${i === active ? ' combobox__option--active' : ''}`}
            tabIndex={-1}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o)}
          >
            {o.name}
            {o.detail && <span className="combobox__detail">{o.detail}</span>}
          </li>
        ))}
      </ul>
      {open && text.trim() !== '' && shown.length === 0 && !loading && (
        <p className="hint" role="status">
          {t('Không thấy tên này. Hãy thử gõ ít chữ hơn.', 'No match. Try typing fewer letters.')}
        </p>
      )}
    </div>
  );
}
