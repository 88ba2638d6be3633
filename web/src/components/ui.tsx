// Small shared pieces: messages, form fields, the instrument select, a stat tile, the confirm dialog.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ApiError } from '../lib/api';
import { errorMessage, instrumentName, useI18n } from '../i18n/i18n';
import { INSTRUMENTS } from '../lib/types';

export function Alert({ kind = 'error', children }: { kind?: 'error' | 'info' | 'success'; children: ReactNode }) {
  if (!children) return null;
  return (
    <p className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

/** Shows the localised message for an API error (or any error). */
export function ErrorText({ error }: { error: unknown }) {
  const { lang } = useI18n();
  if (!error) return null;
  const code = error instanceof ApiError ? error.code : typeof error === 'string' ? error : 'server_error';
  const fields = error instanceof ApiError ? error.fields : [];
  return (
    <div className="alert alert-error" role="alert">
      <p>{errorMessage(lang, code)}</p>
      {fields.length > 0 && (
        // The server explains each field (in English); showing it beats guessing what was wrong.
        <ul>
          {fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The labelled *Instrument* select; `anyLabel` adds a first option with the value "" (a filter's "all"). */
export function InstrumentSelect(props: { value: string; onChange: (v: string) => void; anyLabel?: string }) {
  const { t, lang } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('practice.instrument')}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.anyLabel !== undefined && <option value="">{props.anyLabel}</option>}
        {INSTRUMENTS.map((i) => (
          <option key={i} value={i}>
            {instrumentName(lang, i)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Field(props: {
  label: string;
  hint?: string;
  type?: string;
  value: string;
  onChange: (v: string) => void;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  inputMode?: 'text' | 'numeric' | 'email';
  name?: string;
  min?: string | number;
  max?: string | number;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        required={props.required}
        minLength={props.minLength}
        maxLength={props.maxLength}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        aria-describedby={hintId}
      />
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

/** A labelled figure: the <label> names the <output>, so tests and screen readers find it by name. */
export function Stat({ label, value, big }: { label: string; value: ReactNode; big?: boolean }) {
  const id = useId();
  return (
    <div className={big ? 'stat stat-big' : 'stat'}>
      <label htmlFor={id} className="stat-label">
        {label}
      </label>
      <output id={id} className="stat-value">
        {value}
      </output>
    </div>
  );
}

/** A modal dialog on the native <dialog> element (focus trap and Escape for free). */
export function Dialog({ open, title, children, onClose }: { open: boolean; title: string; children: ReactNode; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} onCancel={onClose} className="dialog">
      <h2 id={id}>{title}</h2>
      {children}
    </dialog>
  );
}

export function Spinner() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
