// The one text sanitizer (issue #13, finding 7): control and bidi characters never get through,
// lone surrogates are refused, width and spaces are normalized, CJK, its punctuation and emoji
// are kept exactly, and cleaning twice changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeText, TextRefusedError } from '../../../core/text/sanitize-text.ts';

/** What clean text never contains; written out independently of the sanitizer's own tables. */
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u2060\uFEFF]|\p{Cs}/u;
const FORBIDDEN_ONE_LINE = /[\n\t]/;

const hostileChar = fc.constantFrom(
  '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\r', '\n', '\t', '\u2028', '\u2029',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u200b', '\u2060', '\ufeff',
  '\u3000', '\u00a0', '\u2003', ' ', '  ', 'Ａ', 'ｚ', '０', '９', '，', '！', '？', '（', '）', '：', '；', '。', '、', '…', '①', 'ℹ️',
  'e\u0301', '\u0301', '豈', '\u{2F800}', '张', '伟', '汉EV', '😀', '👨‍👩‍👧', '🇨🇳', '1️⃣', "'; DROP TABLE Customer; --", '<script>', '%', '_',
);
const wellFormed = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), hostileChar), { maxLength: 30 }).map((parts) => parts.join(''));
const options = fc.record({ multiline: fc.boolean() });

describe('sanitizeText', () => {
  it('is idempotent and never lets a forbidden code point through', () => {
    fc.assert(fc.property(wellFormed, options, (raw, opts) => {
      const clean = sanitizeText(raw, opts);
      expect(sanitizeText(clean, opts)).toBe(clean);
      expect(clean).not.toMatch(FORBIDDEN);
      if (!opts.multiline) expect(clean).not.toMatch(FORBIDDEN_ONE_LINE);
      expect(clean).not.toMatch(/ {2}|^\s|\s$/u);
      expect(clean).not.toMatch(/[\u3000\u00a0\u2003ＡｚＡ０９]/u);
    }), { numRuns: 2000 });
  });

  it('keeps CJK text, its full-width punctuation and emoji exactly as typed', () => {
    const keep = fc.array(fc.constantFrom('张', '伟', '汉', '先生', '，', '！', '？', '（', '）', '：', '；', '。', '、', '《', '》', '…', '😀', '👨‍👩‍👧', '🇨🇳', '1️⃣', 'ℹ️', '①', '豈', 'é'), { minLength: 1, maxLength: 20 }).map((p) => p.join(''));
    fc.assert(fc.property(keep, options, (text, opts) => {
      expect(sanitizeText(text, opts)).toBe(text);
    }), { numRuns: 500 });
  });

  it('removes what a hostile or careless typist inserts between the visible characters, and nothing else', () => {
    const invisible = fc.constantFrom('\u0000', '\u0007', '\u001b', '\u202e', '\u2066', '\u200f', '\u061c', '\u200b', '\ufeff', '\u009b');
    const visible = fc.array(fc.constantFrom('张', '伟', 'A', 'b', '7', '，', '😀', '👨‍👩‍👧'), { minLength: 1, maxLength: 12 });
    fc.assert(fc.property(visible, fc.array(invisible, { maxLength: 12 }), fc.boolean(), (chars, noise, multiline) => {
      const raw = chars.map((c, i) => `${noise[i] ?? ''}${c}`).join('');
      expect(sanitizeText(raw, { multiline })).toBe(chars.join(''));
    }));
  });

  it('refuses lone surrogates, naming the rule, wherever they are', () => {
    const lone = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '😀'.slice(0, 1), '😀'.slice(1));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 10 }), lone, fc.string({ unit: 'grapheme', maxLength: 10 }), (before, half, after) => {
      expect(() => sanitizeText(`${before}${half}${after}`)).toThrow(TextRefusedError);
      try {
        sanitizeText(`${before}${half}${after}`);
      } catch (error) {
        expect((error as TextRefusedError).rule).toBe('lone_surrogate');
        expect((error as TextRefusedError).message).toContain('broken character');
      }
    }));
  });

  it('reads examples as a person would expect', () => {
    expect(sanitizeText('  张\u3000伟 \u0000\u0007\u001b[31m ')).toBe('张 伟 [31m');
    expect(sanitizeText('\u202e13812345678')).toBe('13812345678');
    expect(sanitizeText('ＢＹＤ　汉ＥＶ，谢谢！')).toBe('BYD 汉EV，谢谢！');
    expect(sanitizeText('第一行\r\n第二行\t完', { multiline: true })).toBe('第一行\n第二行\t完');
    expect(sanitizeText('第一行\r\n第二行\t完')).toBe('第一行 第二行 完');
    expect(sanitizeText('Jose\u0301')).toBe('José');
    expect(sanitizeText('ℹ️ ① … 豈')).toBe('ℹ️ ① … 豈');
  });
});
