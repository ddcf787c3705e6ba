import type { ComponentChildren } from 'preact';

interface ConfirmButtonProps {
  action: string;
  /** The button: what it does ("取消订单"). */
  label: string;
  /** What happens and that it cannot be undone, shown before the second press. */
  question: string;
  confirm?: string;
  /** Fields the action needs (a reason…), asked together with the confirmation. */
  children?: ComponentChildren;
}

/**
 * A destructive action in two presses, without a script: the first opens the question (and any
 * field it needs), the second posts. On a phone a stray tap cancels nothing.
 */
export function ConfirmButton({ action, label, question, confirm, children }: ConfirmButtonProps) {
  return (
    <details class="confirm">
      <summary class="button danger-outline">{label}</summary>
      <form method="post" action={action} class="confirm-form">
        <p>{question}</p>
        {children}
        <button type="submit" class="danger">
          {confirm ?? `确认${label}`}
        </button>
      </form>
    </details>
  );
}
