/** HTML that is already safe to emit (escaped, or written by us). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Marks markup we produced ourselves (e.g. a QR code SVG) as safe. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

type Interpolation = SafeHtml | string | number | null | undefined | false | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
}

/**
 * Tagged template for HTML: every interpolated value is escaped unless it is SafeHtml, so
 * whatever a customer typed is shown as text, never as markup.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** A complete mobile-friendly page with the shared stylesheet and an optional script. */
export function page(opts: { title: string; lang?: string; body: SafeHtml; script?: string; bodyClass?: string }): string {
  return html`<!doctype html>
<html lang="${opts.lang ?? 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
</head>
<body class="${opts.bodyClass ?? ''}">
${opts.body}
${opts.script ? html`<script src="/assets/${opts.script}" defer></script>` : ''}
</body>
</html>`.value;
}
