import type { ComponentChildren } from 'preact';
import type { FieldErrors } from './form-schema.ts';

/** The message beside a refused field; its id lets the field point at it (aria-describedby). */
function FieldError({ name, id, error }: { name: string; id: string; error: string | undefined }) {
  return error ? (
    <p class="field-error" id={`error-${id}`} data-error={name}>
      {error}
    </p>
  ) : null;
}

interface FieldProps {
  name: string;
  label: string;
  errors?: FieldErrors | undefined;
  hint?: string;
  /** Tells fields of the same name apart when a page has several such forms (their ids). */
  scope?: string;
}

const idOf = (name: string, scope: string | undefined) => (scope ? `${scope}-${name}` : name);

/** The frame of every field: its label, the control, a hint, and after a refusal what is wrong. */
function FieldFrame({ name, label, errors, hint, scope, children }: FieldProps & { children: ComponentChildren }) {
  const error = errors?.[name];
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={`field-${idOf(name, scope)}`}>{label}</label>
      {children}
      {hint ? <p class="hint">{hint}</p> : null}
      <FieldError name={name} id={idOf(name, scope)} error={error} />
    </div>
  );
}

/** The attributes that tie a control to its label and, after a refusal, to its message. */
function controlOf({ name, errors, scope }: FieldProps) {
  const error = errors?.[name];
  return {
    id: `field-${idOf(name, scope)}`,
    name,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `error-${idOf(name, scope)}` : undefined,
  };
}

interface InputProps extends FieldProps {
  value?: string | undefined;
  type?: 'text' | 'tel' | 'date' | 'datetime-local' | 'number' | 'search';
  placeholder?: string;
  maxLength?: number;
  min?: string;
  list?: string;
  required?: boolean;
  autofocus?: boolean;
}

/** A labelled input that shows what was typed and, after a refusal, what is wrong with it. */
export function TextField({
  value,
  type = 'text',
  placeholder,
  maxLength,
  min,
  list,
  required,
  autofocus,
  ...field
}: InputProps) {
  return (
    <FieldFrame {...field}>
      <input
        {...controlOf(field)}
        type={type}
        value={value ?? ''}
        placeholder={placeholder}
        maxLength={maxLength}
        min={min}
        list={list}
        required={required}
        autofocus={autofocus}
      />
    </FieldFrame>
  );
}

interface SelectProps extends FieldProps {
  value?: string | undefined;
  options: readonly { value: string; label: string }[];
}

/** A labelled choice, the typed (or current) value selected. */
export function SelectField({ value, options, ...field }: SelectProps) {
  return (
    <FieldFrame {...field}>
      <select {...controlOf(field)}>
        {options.map((option) => (
          <option value={option.value} selected={option.value === value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

interface TextAreaProps extends FieldProps {
  value?: string | undefined;
  maxLength?: number;
  rows?: number;
  required?: boolean;
}

/** A labelled multi-line text. */
export function TextAreaField({ value, maxLength, rows, required, ...field }: TextAreaProps) {
  return (
    <FieldFrame {...field}>
      <textarea {...controlOf(field)} maxLength={maxLength} rows={rows ?? 4} required={required}>
        {value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

interface FormProps {
  action: string;
  method?: 'get' | 'post';
  /** Per field, the label the summary names it by. */
  labels?: Record<string, string>;
  errors?: FieldErrors | undefined;
  class?: string;
  submit?: string;
  children?: ComponentChildren;
}

/**
 * A form with, after a refusal, a summary at its top naming each field to fix (the fields carry
 * their own messages); `submit` adds the submit button.
 */
export function Form({ action, method = 'post', labels = {}, errors, class: className, submit, children }: FormProps) {
  const wrong = Object.keys(errors ?? {});
  return (
    <form class={className ? `form ${className}` : 'form'} method={method} action={action}>
      {wrong.length > 0 ? (
        <p class="form-error" role="alert">
          请修改：{wrong.map((name) => labels[name] ?? name).join('、')}
        </p>
      ) : null}
      {children}
      {submit ? <button type="submit">{submit}</button> : null}
    </form>
  );
}

/** A hidden value the form sends back. */
export function Hidden({ name, value }: { name: string; value: string }) {
  return <input type="hidden" name={name} value={value} />;
}
