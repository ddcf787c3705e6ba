import type { OutboundMessage } from '../../core/messages.ts';
import { surveyTexts } from '../../core/surveys/survey-texts.ts';
import type { ChatAction } from './chat-driver.ts';
import {
  commentReply, complaintText, correctionText, customerName, factorReply, mistypedNumber, mobileNumber, optOutText, scoreText, smallTalk,
  surveyRefusal, typedNumber, unclearReply,
} from './customer-texts.ts';
import type { SimRandom } from './random.ts';
import { schedule, type SimContext } from './sim-context.ts';
import type { SimStore } from './world.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SURVEY = surveyTexts('zh-CN');

/** When a customer means to buy: days after the first visit, or never. */
export type BuyingIntent = { buys: true; afterDays: number } | { buys: false; why: 'elsewhere' | 'no_need' | 'wrong_number' };

/** A message as a customer receives it. */
export interface Received {
  message: OutboundMessage;
  /** The outbox's key: `reply:…` for an answer to what they wrote, else what the message is (`survey:…`, `thanks:…`). */
  dedupeKey: string;
  /** Telegram's id of the message, for a tap on its buttons. */
  messageId?: number;
}

/**
 * One walk-in customer: registers (or not) on the web chat or Telegram, with slips and
 * corrections; then answers what reaches them as people do — surveys late, in words, in Chinese
 * numerals, or not at all; now and then opts out or complains. Their traits are drawn once, from
 * their own generator, so one seed gives the same person.
 */
export class SimCustomer {
  readonly actor: string;
  readonly name: string;
  readonly digits: string;
  readonly phone: string;
  readonly channel: 'WEB' | 'TELEGRAM';
  readonly chatId: string;
  readonly intent: BuyingIntent;
  registered = false;
  optedOut = false;
  #script: string[] = [];
  /** Whether they go through with it (not declining the notice, not giving up half-way). */
  #finishes = false;
  #keyboardMessageId: number | null = null;
  /** Surveys (by key) this customer has made up their mind about. */
  readonly #surveys = new Map<string, 'answer' | 'ignore'>();
  #lastScore: number | null = null;

  constructor(private readonly ctx: SimContext, private readonly random: SimRandom, readonly store: SimStore, n: number) {
    this.name = customerName(random);
    this.digits = mobileNumber(n);
    this.phone = `+86${this.digits}`;
    this.actor = `customer:${this.digits}`;
    this.channel = random.chance(0.35) ? 'TELEGRAM' : 'WEB';
    this.chatId = this.channel === 'TELEGRAM' ? String(5_000_000_000 + n) : `sim-web-${n.toString(36)}-${random.int(100_000, 999_999)}`;
    this.intent = random.chance(0.3)
      ? { buys: true, afterDays: Math.round(random.exponential(20)) + 1 }
      : { buys: false, why: random.weighted({ elsewhere: 5, no_need: 4, wrong_number: 1 }) };
  }

  /** The customer scans the poster a few minutes after walking in; most go on to register. */
  walkIn(at: number): void {
    if (!this.random.chance(0.78)) return;
    const models = [...this.store.carModels.map((_, i) => String(i + 1)), '还没想好'];
    const phone = [...(this.random.chance(0.12) ? [mistypedNumber(this.random, this.digits)] : []), typedNumber(this.random, this.digits)];
    const script = this.random.chance(0.03) ? ['不同意'] : [
      this.random.pick(['1', '同意', '好的']), this.name, ...phone, this.random.pick(models), String(this.random.int(1, 5)),
      this.random.pick(['0', '1', '2', '1 3', '无']), this.random.chance(0.4) ? '1' : '2',
    ];
    this.#finishes = script.length > 1 && !this.random.chance(0.05);
    this.#script = this.#finishes ? script : script.slice(0, this.random.int(1, script.length - 1));
    if (!this.#finishes) this.ctx.facts.registrationsAbandoned[this.store.index] = (this.ctx.facts.registrationsAbandoned[this.store.index] ?? 0) + 1;
    const started = at + this.random.between(1, 10) * MINUTE;
    schedule(this.ctx, started, this.actor, `scans the QR code (${this.channel})`, () => this.#say({ kind: 'start', sourceCode: this.store.sourceCode }));
  }

  /** Reacts to a message the core sent them. */
  receive(received: Received, now: number): void {
    const { message, dedupeKey } = received;
    if (message.kind === 'text' && message.choices?.length && received.messageId !== undefined) this.#keyboardMessageId = received.messageId;
    if (this.optedOut) return;
    if (dedupeKey.startsWith('reply:')) {
      if (dedupeKey.endsWith(':0')) this.#onReply(message, now);
      return;
    }
    this.#onPushed(dedupeKey, now);
  }

  /** Replies, shown at once (web) or delivered through the outbox (Telegram): the next answer, or the survey's next question. */
  #onReply(message: OutboundMessage, now: number): void {
    if (message.kind === 'voucher' || this.#script.length === 0) {
      if (message.kind === 'voucher') this.registered = true;
      this.#surveyFollowUp(message.text, now);
      return;
    }
    const answer = this.#script.shift() as string;
    if (this.#script.length === 0 && this.#finishes) this.registered = true;
    const value = /^\d$/.test(answer) ? answer : null;
    const action: ChatAction = value && this.channel === 'TELEGRAM' && this.#keyboardMessageId !== null && this.random.chance(0.7)
      ? { kind: 'tap', value, messageId: this.#keyboardMessageId }
      : { kind: 'text', text: answer };
    schedule(this.ctx, now + this.random.between(4, 40) * SECOND, this.actor, `answers "${answer}"`, () => this.#say(action));
  }

  /** The survey's follow-up questions (which step disappointed, a comment, a hint to give a number). */
  #surveyFollowUp(text: string, now: number): void {
    const later = (minutes: number, what: string, reply: string) =>
      schedule(this.ctx, now + this.random.between(0.3, minutes) * MINUTE, this.actor, `${what} "${reply}"`, () => this.#say({ kind: 'text', text: reply }));
    if (text.startsWith(SURVEY.askFactor)) later(3, 'names the step', factorReply(this.random));
    else if (text === SURVEY.askComment) later(5, 'comments', commentReply(this.random));
    else if (text === SURVEY.hint && this.#lastScore !== null) later(10, 'gives a number', String(this.#lastScore));
  }

  /** Messages pushed to them: surveys are answered (or not), and any message may be the one that makes them opt out or complain. */
  #onPushed(dedupeKey: string, now: number): void {
    const survey = /^survey(?:-reminder)?:(.+)$/.exec(dedupeKey);
    if (survey) {
      this.#onSurvey(survey[1] as string, dedupeKey.startsWith('survey-reminder:'), now);
      return;
    }
    const marketing = /^(birthday|holiday)/.test(dedupeKey);
    if (this.random.chance(marketing ? 0.04 : 0.006)) {
      const text = optOutText(this.random);
      schedule(this.ctx, now + this.random.exponential(30 * MINUTE), this.actor, `opts out "${text}"`, () => this.optOut(text));
    } else if (this.random.chance(0.004)) {
      this.complainLater(now);
    } else if (/^predelivery/.test(dedupeKey) && this.random.chance(0.2)) {
      const text = smallTalk(this.random);
      schedule(this.ctx, now + this.random.exponential(20 * MINUTE), this.actor, `says "${text}"`, () => this.#say({ kind: 'text', text }));
    }
  }

  #onSurvey(surveyId: string, reminder: boolean, now: number): void {
    let decision = this.#surveys.get(surveyId);
    if (decision === 'answer') return;
    if (decision === undefined || (reminder && this.random.chance(0.3))) {
      decision = this.random.chance(reminder ? 0.3 : 0.68) ? 'answer' : 'ignore';
      this.#surveys.set(surveyId, decision);
    }
    if (decision === 'ignore') return;
    if (this.random.chance(0.04)) {
      const text = surveyRefusal(this.random);
      schedule(this.ctx, now + this.random.exponential(HOUR), this.actor, `refuses the survey "${text}"`, () => this.#say({ kind: 'text', text }));
      return;
    }
    const score = this.random.weighted({ 10: 40, 9: 24, 8: 13, 7: 7, 6: 6, 5: 4, 4: 2, 3: 2, 2: 1, 1: 1 });
    const at = now + Math.min(this.random.exponential(2 * HOUR), 20 * HOUR);
    const unclear = this.random.chance(0.1);
    const text = unclear ? unclearReply(this.random) : scoreText(this.random, Number(score));
    const tap = !unclear && this.channel === 'TELEGRAM' && this.#keyboardMessageId !== null && this.random.chance(0.6);
    schedule(this.ctx, at, this.actor, `scores ${score}${tap ? ' (button)' : ` "${text}"`}`, async () => {
      this.#lastScore = Number(score);
      if (!unclear) this.ctx.facts.scoresMeant.push({ phone: this.phone, score: Number(score), at: this.ctx.clock.now().getTime() });
      await this.#say(tap && this.#keyboardMessageId !== null ? { kind: 'tap', value: score, messageId: this.#keyboardMessageId } : { kind: 'text', text });
    });
    if (!unclear && this.random.chance(0.05)) {
      const corrected = Math.min(10, Number(score) + this.random.int(1, 3));
      const correction = correctionText(this.random, corrected);
      schedule(this.ctx, at + this.random.between(1, 8) * MINUTE, this.actor, `corrects "${correction}"`, async () => {
        this.ctx.facts.scoresMeant.push({ phone: this.phone, score: corrected, at: this.ctx.clock.now().getTime() });
        await this.#say({ kind: 'text', text: correction });
      });
    }
  }

  /** A complaint, some hours after what set it off. */
  complainLater(now: number): void {
    const text = complaintText(this.random);
    schedule(this.ctx, now + this.random.exponential(6 * HOUR), this.actor, `complains "${text}"`, async () => {
      this.ctx.facts.complaints.push({ phone: this.phone, at: this.ctx.clock.now().getTime() });
      await this.#say({ kind: 'text', text });
    });
  }

  /** Stops everything: from this message on, only answers to what they write may reach them. */
  async optOut(text: string): Promise<void> {
    if (this.optedOut) return;
    this.optedOut = true;
    this.ctx.facts.optOuts.push({ phone: this.phone, at: this.ctx.clock.now().getTime(), text });
    await this.#say({ kind: 'text', text });
  }

  /** A day within the next month on which an unhappy customer may complain unprompted. */
  maybeComplainUnprompted(now: number): void {
    if (this.random.chance(0.01)) this.complainLater(now + this.random.between(0, 30) * DAY);
  }

  async #say(action: ChatAction): Promise<void> {
    if (this.channel === 'TELEGRAM') {
      await this.ctx.driver.telegram(Number(this.chatId), this.name.slice(0, 1), action);
      return;
    }
    const replies = await this.ctx.driver.web(this.chatId, action);
    const now = this.ctx.clock.now().getTime();
    await this.ctx.meter.part('fakes', async () => {
      replies.forEach((message, i) => this.receive({ message, dedupeKey: `reply:WEB:${i}` }, now));
    });
  }
}
