import type { Flash } from './flash.ts';

/** The outcome of the last action, at the top of the page (announced to screen readers). */
export function FlashMessage({ flash }: { flash: Flash }) {
  return (
    <p class={`flash ${flash.ok ? 'ok' : 'err'}`} role="status">
      {flash.text}
    </p>
  );
}
