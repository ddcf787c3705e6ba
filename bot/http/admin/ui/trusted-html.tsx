import type { SafeHtml } from '../../html.ts';

/**
 * Markup built with the escaping `html` template (a channel's section of a page, not yet a
 * component) placed as it is: SafeHtml is already escaped, so nothing typed by a person is
 * interpreted as markup.
 */
export function TrustedHtml({ markup }: { markup: SafeHtml }) {
  return <div class="legacy" dangerouslySetInnerHTML={{ __html: markup.value }} />;
}
