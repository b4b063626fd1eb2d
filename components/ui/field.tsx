import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const CONTROL =
  "block w-full rounded-lg border px-3 py-2 text-base shadow-sm focus:ring-2 focus:outline-none aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/30";
const CONTROL_OK = "border-slate-300 focus:border-brand-600 focus:ring-brand-600/30";

/** Per-field messages under a control: shown in red and tied to it with aria-describedby. */
function describedBy(id: string, hint: unknown, errors: readonly string[]) {
  const ids = [errors.length ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

/**
 * A field's message as a sentence. Messages are written for the API, without
 * a subject ("is required"): under a field the label is the subject ("Key
 * name is required"). Others start with a capital, except one that starts
 * with a URI or a name.
 */
function sentence(message: string, label: ReactNode) {
  if (/^(is|are|must|may|cannot|can|needs?|has)\s/.test(message)) return `${typeof label === "string" ? label : "This field"} ${message}`;
  return /^[a-z]+(\s|$)/.test(message) ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

function FieldShell({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors: readonly string[];
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {errors.length > 0 && (
        <ul id={`${id}-error`} className="space-y-0.5 text-sm text-red-700">
          {errors.map((message) => (
            <li key={message} className="break-words">
              {sentence(message, label)}
            </li>
          ))}
        </ul>
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A labelled input: the label is tied to the input for screen readers and larger tap targets. */
export function Field({
  label,
  name,
  type = "text",
  required = true,
  hint,
  errors = [],
  ...props
}: {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  errors?: readonly string[];
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name">) {
  const id = props.id ?? `field-${name}`;
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      <input
        {...props}
        id={id}
        name={name}
        type={type}
        required={required}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        className={`${CONTROL} ${CONTROL_OK}`}
      />
    </FieldShell>
  );
}

/** A labelled multi-line input; `mono` for lists of URIs, one per line. */
export function TextAreaField({
  label,
  name,
  hint,
  errors = [],
  mono = false,
  ...props
}: {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  errors?: readonly string[];
  mono?: boolean;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">) {
  const id = props.id ?? `field-${name}`;
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      <textarea
        rows={3}
        {...props}
        id={id}
        name={name}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        className={`${CONTROL} ${CONTROL_OK} ${mono ? "font-mono text-sm" : ""}`}
      />
    </FieldShell>
  );
}

/** A labelled select. */
export function SelectField({
  label,
  name,
  hint,
  errors = [],
  options,
  ...props
}: {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  errors?: readonly string[];
  options: readonly { value: string; label: string }[];
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name">) {
  const id = props.id ?? `field-${name}`;
  return (
    <FieldShell id={id} label={label} hint={hint} errors={errors}>
      <select
        {...props}
        id={id}
        name={name}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={describedBy(id, hint, errors)}
        className={`${CONTROL} ${CONTROL_OK} bg-surface`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/**
 * A labelled checkbox. `marker` adds a hidden input naming the box so that
 * an unchecked box is still submitted as "false" (lib/dashboard/app-form.ts).
 */
export function CheckboxField({
  label,
  name,
  hint,
  errors = [],
  marker,
  ...props
}: {
  label: ReactNode;
  name: string;
  hint?: ReactNode;
  errors?: readonly string[];
  marker?: string;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "type">) {
  const id = props.id ?? `field-${name}`;
  return (
    <div className="space-y-1">
      {marker && <input type="hidden" name={marker} value={name} />}
      <div className="flex items-start gap-3">
        <input
          {...props}
          id={id}
          name={name}
          type="checkbox"
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={describedBy(id, hint, errors)}
          className="mt-0.5 size-5 shrink-0 rounded border-slate-300 accent-brand-600"
        />
        <div className="min-w-0 space-y-0.5">
          <label htmlFor={id} className="block text-sm font-medium text-slate-700">
            {label}
          </label>
          {hint && (
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              {hint}
            </p>
          )}
        </div>
      </div>
      {errors.length > 0 && (
        <ul id={`${id}-error`} className="space-y-0.5 text-sm text-red-700">
          {errors.map((message) => (
            <li key={message}>{sentence(message, label)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
