// One-time SMS codes (issue #13: proof before linking) against a model, over random hostile
// schedules (fast-check): chats and the form asking for codes to the same numbers at once, right
// and wrong guesses, replays of used and replaced codes, a code typed for another number or in
// another chat, malformed codes, bursts of guesses, and time passing past the expiry and the
// limits. A code proves a number only in the chat that asked for it, for that number, while it is
// the chat's newest, within 5 minutes and 5 tries, and once; codes to a number are limited to one
// a minute, five an hour and ten a day, and a chat to three an hour. Each code is one SMS intent,
// and its digits are stored nowhere.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PHONE_CODE_ID_VARIABLE, PHONE_CODE_RESEND_MS, PHONE_CODE_TRIES, PHONE_CODE_TTL_MS, PHONE_CODES_PER_DAY, PHONE_CODES_PER_HOUR,
  PHONE_CODES_PER_REQUESTER_PER_HOUR, SmsPhoneCodes,
} from '../../../core/registration/phone-codes.ts';
import type { CodeCheck } from '../../../core/registration/phone-proof.ts';
import { createTestCore, type TestCore } from '../../helpers/test-core.ts';

const PHONES = ['+8613800000001', '+8613800000002'];
const REQUESTERS = ['WEB:chat-a', 'TELEGRAM:4242', 'form:browser-c'];
const HOUR = 3600_000;
const DAY = 24 * HOUR;
let t: TestCore;
beforeAll(async () => {
  t = await createTestCore();
});
afterAll(async () => {
  await t.close();
});

type Guess = 'right' | 'wrong' | 'replay' | 'other_number' | 'other_chat' | 'malformed';
type Op =
  | { op: 'ask'; who: number; phone: number }
  | { op: 'type'; who: number; phone: number; guess: Guess; malformed: string }
  /** Someone guessing: `wrong` wrong codes, then the right one. */
  | { op: 'guessing'; who: number; phone: number; wrong: number }
  /** Codes asked for one number by each of `whos` in turn, a minute apart: the hour and day limits. */
  | { op: 'asking'; whos: number[]; phone: number }
  | { op: 'wait'; ms: number };

/** What the model knows of a code a requester received. */
interface Code { id: string; phone: string; digits: string; at: number; tries: number; used: boolean }

const pick = fc.integer({ min: 0, max: 1 });
const who = fc.integer({ min: 0, max: REQUESTERS.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('ask' as const), who, phone: pick }) },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('type' as const), who, phone: pick, guess: fc.constantFrom<Guess>('right', 'wrong', 'replay', 'other_number', 'other_chat', 'malformed'),
      malformed: fc.constantFrom('12345', '1234567', '12a456', '', ' 123456', '１２３４５６', '123456\u202e', "1' OR '1'='1"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('guessing' as const), who, phone: pick, wrong: fc.integer({ min: 1, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('asking' as const), whos: fc.array(who, { minLength: 2, maxLength: 8 }), phone: pick }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.constantFrom(PHONE_CODE_RESEND_MS, PHONE_CODE_RESEND_MS, PHONE_CODE_TTL_MS, HOUR, DAY)) }) },
);

/** How long the model says a requester must wait before another code to `phone`. */
function expectedWait(now: number, toNumber: number[], byRequester: number[]): number {
  const day = toNumber.filter((at) => at > now - DAY);
  const hour = day.filter((at) => at > now - HOUR);
  const mine = byRequester.filter((at) => at > now - HOUR);
  return Math.max(0,
    day.length > 0 ? day.at(-1)! + PHONE_CODE_RESEND_MS - now : 0,
    hour.length >= PHONE_CODES_PER_HOUR ? hour.at(-PHONE_CODES_PER_HOUR)! + HOUR - now : 0,
    day.length >= PHONE_CODES_PER_DAY ? day.at(-PHONE_CODES_PER_DAY)! + DAY - now : 0,
    mine.length >= PHONE_CODES_PER_REQUESTER_PER_HOUR ? mine.at(-PHONE_CODES_PER_REQUESTER_PER_HOUR)! + HOUR - now : 0);
}

describe('SMS one-time codes', () => {
  it('prove a number only in the chat that asked, while newest, fresh, within the tries and once; sends are limited', async () => {
    const codes = new SmsPhoneCodes('test-secret');
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 50 }), async (ops) => {
        await t.ctx.db.phoneCode.deleteMany();
        await t.ctx.db.messageIntent.deleteMany();
        let now = Date.parse('2026-12-01T02:00:00Z');
        const sentToNumber = new Map<string, number[]>();
        const askedBy = new Map<string, number[]>();
        const newest = new Map<string, Code>(); // per requester: the code that may still count
        const older: Code[] = []; // used or replaced: replays
        const everySent: string[] = [];
        const steps = ops.flatMap((o): Op[] => {
          if (o.op === 'asking') return o.whos.flatMap((w): Op[] => [{ op: 'ask', who: w, phone: o.phone }, { op: 'wait', ms: PHONE_CODE_RESEND_MS }]);
          if (o.op !== 'guessing') return [o];
          const typing = (guess: 'wrong' | 'right'): Op => ({ op: 'type', who: o.who, phone: o.phone, guess, malformed: '' });
          return [...Array.from({ length: o.wrong }, () => typing('wrong')), typing('right')];
        });
        for (const step of steps) {
          if (step.op === 'wait') { now += step.ms; continue; }
          if (step.op === 'guessing' || step.op === 'asking') continue; // expanded above
          const phone = PHONES[step.phone]!;
          const requester = REQUESTERS[step.who]!;
          if (step.op === 'ask') {
            const wait = expectedWait(now, sentToNumber.get(phone) ?? [], askedBy.get(requester) ?? []);
            const intentsBefore = await t.ctx.db.messageIntent.count();
            const outcome = await t.ctx.db.$transaction((tx) => codes.requestCode(tx, { phone, requester, storeId: t.setup.storeId, now: new Date(now) }));
            expect(outcome).toEqual(wait > 0 ? { queued: false, retryAfterMs: wait } : { queued: true });
            expect(await t.ctx.db.messageIntent.count()).toBe(intentsBefore + (wait > 0 ? 0 : 1));
            if (wait > 0) continue;
            // What the SMS carries: the digits derived from the intent's code id, as the sender does.
            const intent = await t.ctx.db.messageIntent.findFirstOrThrow({ orderBy: { enqueueSeq: 'desc' } });
            expect(intent).toMatchObject({ kind: 'phone_code', channel: 'SMS', address: phone, purpose: 'REPLY', customerId: null, expiresAt: new Date(now + PHONE_CODE_TTL_MS) });
            const id = (JSON.parse(intent.variables ?? '{}') as Record<string, string>)[PHONE_CODE_ID_VARIABLE]!;
            const replaced = newest.get(requester);
            if (replaced) older.push(replaced);
            newest.set(requester, { id, phone, digits: codes.digits(id, phone), at: now, tries: 0, used: false });
            everySent.push(codes.digits(id, phone));
            sentToNumber.set(phone, [...(sentToNumber.get(phone) ?? []), now]);
            askedBy.set(requester, [...(askedBy.get(requester) ?? []), now]);
            continue;
          }
          const mine = newest.get(requester);
          const typed = step.guess === 'malformed' ? step.malformed : guessFor(step.guess, { mine, phone, requester, newest, older });
          if (typed === null) continue;
          const live = mine !== undefined && mine.phone === phone && !mine.used && now < mine.at + PHONE_CODE_TTL_MS && mine.tries < PHONE_CODE_TRIES;
          let expected: CodeCheck = 'spent';
          if (live && /^\d{6}$/.test(typed)) {
            mine.tries += 1;
            mine.used = typed === mine.digits;
            expected = mine.used ? 'proven' : mine.tries < PHONE_CODE_TRIES ? 'wrong' : 'spent';
          } else if (live) expected = 'wrong';
          expect(await codes.checkCode(t.ctx.db, { phone, requester, code: typed, now: new Date(now) })).toBe(expected);
        }
        // Only ids are kept: no column of a code or of its message holds the digits sent.
        const stored = JSON.stringify([await t.ctx.db.phoneCode.findMany(), await t.ctx.db.messageIntent.findMany()], (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
        for (const digits of everySent) expect(stored).not.toMatch(new RegExp(`(^|[^0-9A-Za-z])${digits}([^0-9A-Za-z]|$)`));
      }),
      { numRuns: 120 },
    );
  }, 300_000);

  it('derives different digits for another number, another code and another key', () => {
    const codes = new SmsPhoneCodes('secret-one');
    const samples = new Set(Array.from({ length: 200 }, (_, i) => codes.digits(`code${i}`, PHONES[0]!)));
    expect(samples.size).toBeGreaterThan(190);
    expect([...samples].every((d) => /^\d{6}$/.test(d))).toBe(true);
    expect(codes.digits('code1', PHONES[1]!)).not.toBe(codes.digits('code1', PHONES[0]!));
    expect(new SmsPhoneCodes('secret-two').digits('code1', PHONES[0]!)).not.toBe(codes.digits('code1', PHONES[0]!));
  });
});

/** The code typed for a guess, or null when the schedule has none to type (no code of that kind yet). */
function guessFor(guess: Exclude<Guess, 'malformed'>, known: { mine: Code | undefined; phone: string; requester: string; newest: Map<string, Code>; older: Code[] }): string | null {
  const { mine, phone, requester, newest, older } = known;
  switch (guess) {
    case 'right':
      return mine?.phone === phone ? mine.digits : null;
    case 'wrong':
      return mine ? String((Number(mine.digits) + 1) % 1_000_000).padStart(6, '0') : '000000';
    case 'replay': {
      const old = older.filter((c) => c.phone === phone && c.digits !== mine?.digits).at(-1);
      return old?.digits ?? null;
    }
    case 'other_number':
      return mine && mine.phone !== phone ? mine.digits : null;
    case 'other_chat': {
      const theirs = [...newest.entries()].find(([r, c]) => r !== requester && c.phone === phone && c.digits !== mine?.digits)?.[1];
      return theirs?.digits ?? null;
    }
    default:
      return guess satisfies never;
  }
}
