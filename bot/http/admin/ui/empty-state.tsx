import type { ComponentChildren } from 'preact';

/** What a list shows when it has nothing: the reason, and what to do next when there is something. */
export function EmptyState({ text, children }: { text: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p>{text}</p>
      {children}
    </div>
  );
}
