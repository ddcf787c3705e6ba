/**
 * The one cleaning every human-entered text goes through at the boundary (names, chat
 * messages, staff commands, complaint text, notes and forms on the admin pages), before it
 * is stored or shown to staff:
 * - a lone UTF-16 surrogate (half of an emoji, only possible through a JSON `\ud83d` escape or
 *   a broken client) is refused: {@link TextRefusedError}, rule `lone_surrogate`;
 * - control characters (C0, DEL, C1) are removed; in multi-line text line breaks (`\r\n` and
 *   `\r` become `\n`, as do U+2028/U+2029) and tabs stay; in one-line text they become spaces;
 * - bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), which can
 *   make a name read backwards on a staff screen, and invisible zero-width characters that make
 *   two names look alike (U+200B, U+2060, U+FEFF) are removed; ZWJ and ZWNJ (U+200C/U+200D) and
 *   variation selectors stay, because emoji and some scripts are built with them;
 * - full-width letters and digits (ＡＢＣ１２３) become ASCII, every Unicode space (the
 *   ideographic space U+3000, no-break spaces…) becomes a plain space, runs of spaces become one
 *   and the ends are trimmed;
 * - canonical composition (NFC): `e` + U+0301 is stored as `é`.
 *
 * Deliberately not NFKC: it would turn Chinese punctuation（，！？：；（））into ASCII, `…`
 * into `...`, `①` into `1` and the ℹ️ emoji into `i`; nor NFC over CJK compatibility
 * ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F), which NFC silently swaps for another code point.
 * Full-width punctuation and CJK text are kept exactly as typed.
 *
 * Idempotent: cleaning cleaned text changes nothing.
 */
export function sanitizeText(raw: string, options: { multiline?: boolean } = {}): string {
  if (LONE_SURROGATE.test(raw)) throw new TextRefusedError('lone_surrogate', 'contains a broken character (half of an emoji, a lone UTF-16 surrogate): please type it again');
  const multiline = options.multiline === true;
  const lines = raw.replace(/\r\n?|[\u2028\u2029]/g, '\n');
  const breaks = multiline ? lines : lines.replace(/[\n\t]/g, ' ');
  const visible = breaks.replace(multiline ? REMOVED_MULTILINE : REMOVED_ONE_LINE, '');
  const narrowed = visible.replace(FULL_WIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(SPACES, ' ');
  const composed = narrowed.replace(OUTSIDE_COMPATIBILITY_IDEOGRAPHS, (run) => run.normalize('NFC'));
  const collapsed = composed.replace(/ {2,}/g, ' ');
  return multiline ? collapsed.replace(/ *\n */g, '\n').trim() : collapsed.trim();
}

/**
 * The first `max` UTF-16 units of a text, never cutting an emoji (a surrogate pair) in half:
 * that would store a lone surrogate.
 */
export function cutText(text: string, max: number): string {
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Why a text was refused; `rule` names the rule, `message` says what to do. */
export class TextRefusedError extends Error {
  /** `field`: the form or body field the text came from, when the caller knows it. */
  constructor(readonly rule: 'lone_surrogate', message: string, readonly field?: string) {
    super(message);
    this.name = 'TextRefusedError';
  }
}

/** In a `u` regex a surrogate code point can only match when it is unpaired. */
const LONE_SURROGATE = /\p{Cs}/u;
const BIDI_AND_INVISIBLE = '\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C\\u200B\\u2060\\uFEFF';
const REMOVED_ONE_LINE = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F${BIDI_AND_INVISIBLE}]`, 'g');
const REMOVED_MULTILINE = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F${BIDI_AND_INVISIBLE}]`, 'g');
const FULL_WIDTH_ALNUM = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g;
const SPACES = /\p{Zs}/gu;
const OUTSIDE_COMPATIBILITY_IDEOGRAPHS = /[^\uF900-\uFAFF\u{2F800}-\u{2FA1F}]+/gu;

