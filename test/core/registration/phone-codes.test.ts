// One-time SMS codes (issue #13: proof before linking) against a model, over random schedules of
// sends, right and wrong guesses, replays of old codes, provider failures and time passing
// (fast-check): a code proves the number only while it is the newest, within 5 minutes, within 5
// tries, and once; sends are limited to one a minute and five an hour per number.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_CODE_RESEND_MS, PHONE_CODE_TRIES, PHONE_CODE_TTL_MS, PHONE_CODES_PER_HOUR, phoneCodeProof } from '../../../core/registration/phone-codes.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const PHONES = ['+8613800000001', '+8613800000002'];
let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => {
  await t.close();
});

type Op =
  | { op: 'send'; phone: number; providerUp: boolean }
  | { op: 'verify'; phone: number; guess: 'right' | 'wrong' | 'old' }
  | { op: 'wait'; ms: number }
  /** Someone guessing: `wrong` wrong codes, then the right one. */
  | { op: 'guessing'; phone: number; wrong: number };

describe('SMS one-time codes', () => {
  it('prove a number only while newest, fresh, within the tries and once; sends are limited', async () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 3, arbitrary: fc.record({ op: fc.constant('send' as const), phone: fc.integer({ min: 0, max: 1 }), providerUp: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('verify' as const), phone: fc.integer({ min: 0, max: 1 }), guess: fc.constantFrom('right' as const, 'wrong' as const, 'old' as const) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('guessing' as const), phone: fc.integer({ min: 0, max: 1 }), wrong: fc.integer({ min: 1, max: 8 }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.constantFrom(PHONE_CODE_TTL_MS, 3600_000)) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        await t.ctx.db.phoneCode.deleteMany();
        let now = Date.parse('2026-12-01T02:00:00Z');
        let providerUp = true;
        const delivered: { phone: string; code: string }[] = [];
        const proof = phoneCodeProof(t.ctx.db, async (phone, code) => {
          if (!providerUp) return false;
          delivered.push({ phone, code });
          return true;
        });
        // The model: per number, the codes it received (newest last) and what became of the newest.
        const model = new Map<string, { sentAt: number[]; newest: { code: string; at: number; tries: number; used: boolean } | null; old: string[] }>();
        const of = (phone: string) => model.get(phone) ?? model.set(phone, { sentAt: [], newest: null, old: [] }).get(phone)!;
        const steps = ops.flatMap((o): Op[] => (o.op === 'guessing'
          ? [...Array.from({ length: o.wrong }, () => ({ op: 'verify' as const, phone: o.phone, guess: 'wrong' as const })), { op: 'verify' as const, phone: o.phone, guess: 'right' as const }]
          : [o]));
        for (const step of steps) {
          if (step.op === 'wait') { now += step.ms; continue; }
          if (step.op === 'guessing') continue; // expanded above
          const phone = PHONES[step.phone]!;
          const m = of(phone);
          if (step.op === 'send') {
            providerUp = step.providerUp;
            const lastHour = m.sentAt.filter((at) => now - at < 3600_000);
            const expected = lastHour.length >= PHONE_CODES_PER_HOUR || lastHour.some((at) => now - at < PHONE_CODE_RESEND_MS) ? 'too_soon' : providerUp ? 'sent' : 'unavailable';
            expect(await proof.sendCode(phone, new Date(now))).toBe(expected);
            if (expected === 'sent') {
              if (m.newest) m.old.push(m.newest.code);
              m.sentAt.push(now);
              m.newest = { code: delivered.at(-1)!.code, at: now, tries: 0, used: false };
            }
            continue;
          }
          const newest = m.newest;
          const guess = step.guess === 'right' ? newest?.code : step.guess === 'old' ? m.old.at(-1) : String((Number(newest?.code ?? '0') + 1) % 1_000_000).padStart(6, '0');
          if (guess === undefined || (step.guess === 'old' && guess === newest?.code)) continue;
          const live = newest !== null && !newest.used && now < newest.at + PHONE_CODE_TTL_MS;
          const expected = live && newest.tries < PHONE_CODE_TRIES && guess === newest.code;
          if (live && newest.tries < PHONE_CODE_TRIES) newest.tries += 1;
          if (expected) newest.used = true;
          expect(await proof.verify(phone, guess, new Date(now))).toBe(expected);
        }
        const codes = new Set(delivered.map((d) => d.code));
        for (const row of await t.ctx.db.phoneCode.findMany()) expect(Object.values(row).some((value) => codes.has(String(value)))).toBe(false); // only hashes kept
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
