import { DateTime } from 'luxon';
import { normalizePhone } from '../customers/phone.ts';
import type { FollowUpWay } from '../leads/log-follow-up.ts';

/** Grades a consultant may type in a staff command. */
export const COMMAND_GRADES = ['N', 'H', 'A', 'B', 'C'] as const;
export type CommandGrade = (typeof COMMAND_GRADES)[number];

/** Which lead a command is about: a number of the /today list (from 1), or a customer's phone (E.164). */
export type LeadRef = { by: 'number'; n: number } | { by: 'phone'; phone: string };

/** A wall-clock time in the store's time zone; the runner turns it into an instant. */
export interface LocalDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, or null when only a date was given. */
  time: string | null;
}

export type CommandName = 'help' | 'today' | 'follow_up' | 'grade' | 'order' | 'delivered' | 'lost' | 'pending' | 'approve' | 'reject' | 'stale' | 'reassign' | 'add_lead';

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'today' }
  | { kind: 'follow_up'; lead: LeadRef; way: FollowUpWay; grade: CommandGrade; note: string; next?: LocalDateTime }
  | { kind: 'grade'; lead: LeadRef; grade: CommandGrade }
  | { kind: 'order'; lead: LeadRef; model: string; deliveryAt: LocalDateTime & { time: string } }
  | { kind: 'delivered'; lead: LeadRef }
  | { kind: 'lost'; lead: LeadRef; level: 1 | 2 | 3; reason: string; competitorModel?: string }
  | { kind: 'pending' }
  /** For approve and reject, a number refers to the 待审 (pending) list. */
  | { kind: 'approve'; lead: LeadRef; note?: string }
  | { kind: 'reject'; lead: LeadRef; grade: CommandGrade; next: LocalDateTime; note?: string }
  | { kind: 'stale' }
  /** A number refers to the 久未成交 (stale) list. */
  | { kind: 'reassign'; lead: LeadRef; consultantName: string }
  /** A lead who phoned or wrote in; `serviceConsent` when the customer agreed on the call. */
  | { kind: 'add_lead'; name: string; phone: string; source: 'phone' | 'online' | 'referral' | 'other'; grade: CommandGrade; model: string; serviceConsent: boolean; next?: LocalDateTime }
  | { kind: 'invalid'; command: CommandName; usage: string; example: string; problem: string }
  | { kind: 'unknown' };

const ENGLISH: Record<string, CommandName> = {
  help: 'help', today: 'today', followup: 'follow_up', follow_up: 'follow_up', grade: 'grade', order: 'order', delivered: 'delivered',
  lost: 'lost', pending: 'pending', approve: 'approve', reject: 'reject', stale: 'stale', reassign: 'reassign', newlead: 'add_lead', new_lead: 'add_lead',
};
const CHINESE: Record<string, CommandName> = {
  帮助: 'help', 今日: 'today', 今天: 'today', 跟进: 'follow_up', 定级: 'grade', 订单: 'order', 交车: 'delivered',
  战败: 'lost', 待审: 'pending', 待审批: 'pending', 批准: 'approve', 驳回: 'reject', 久未成交: 'stale', 转交: 'reassign', 新线索: 'add_lead',
};

const WAYS: Record<string, FollowUpWay> = {
  call: 'call', visit: 'visit', chat: 'chat', test_drive: 'test_drive', testdrive: 'test_drive', 'test-drive': 'test_drive',
  电话: 'call', 到店: 'visit', 微信: 'chat', 试驾: 'test_drive',
};

/** What to type after the command word, and an example, per command. */
const FORMS: Record<Exclude<CommandName, 'help' | 'today' | 'pending' | 'stale'>, { args: string; example: string }> = {
  follow_up: { args: '<编号或手机号> <方式> <级别> <跟进内容> [下次跟进 YYYY-MM-DD 或 YYYY-MM-DD HH:MM]', example: '3 电话 A 约周六来店试驾 2026-11-28 10:00' },
  grade: { args: '<编号或手机号> <级别>', example: '3 H' },
  order: { args: '<编号或手机号> <车型> <交车时间 YYYY-MM-DD HH:MM>', example: '3 汉EV 2026-12-20 14:00' },
  delivered: { args: '<编号或手机号>', example: '3' },
  lost: { args: '<编号或手机号> <级别 1/2/3> <原因> [竞品 <车型>]', example: '3 2 已在别家买了 竞品 Model Y' },
  approve: { args: '<待审编号或手机号> [说明]', example: '1' },
  reject: { args: '<待审编号或手机号> <级别> <下次跟进 YYYY-MM-DD [HH:MM]> [说明]', example: '1 B 2026-12-01 客户还在比较，继续跟' },
  reassign: { args: '<久未成交编号或手机号> <顾问姓名>', example: '1 张伟' },
  add_lead: { args: '<姓名> <手机号> <来源 电话/网络/转介绍/其他> [级别] [车型] [同意] [下次 YYYY-MM-DD [HH:MM]]', example: '王芳 13812345678 电话 A 城市SUV 同意 下次 2026-11-28' },
};

const WAY_HINT = '电话、到店、微信、试驾（或 call、visit、chat、test_drive）';
const GRADE_HINT = 'N、H、A、B、C';

class Mistake extends Error {}

const nfkc = (s: string): string => s.normalize('NFKC');

/**
 * Reads a staff member's message as a command. Pure: the lead is a reference the runner
 * resolves, times are wall-clock times in the store's zone. A known command with a mistake
 * comes back as `invalid` with the problem, the correct form and an example.
 */
export function parseStaffCommand(text: string): ParsedCommand {
  const tokens = text.trim().split(/\s+/u).filter((t) => t.length > 0);
  const head = tokens[0];
  if (head === undefined) return { kind: 'unknown' };
  const word = nfkc(head);
  const command = word.startsWith('/') ? (ENGLISH[word.slice(1).toLowerCase()] ?? CHINESE[word.slice(1)]) : CHINESE[word];
  if (!command) return { kind: 'unknown' };
  if (command === 'help') return { kind: 'help' };
  if (command === 'today') return { kind: 'today' };
  if (command === 'pending') return { kind: 'pending' };
  if (command === 'stale') return { kind: 'stale' };
  const args = tokens.slice(1);
  try {
    switch (command) {
      case 'follow_up': return parseFollowUp(args);
      case 'grade': return parseGrade(args);
      case 'order': return parseOrder(args);
      case 'delivered': return parseDelivered(args);
      case 'lost': return parseLost(args);
      case 'approve': return parseApprove(args);
      case 'reject': return parseReject(args);
      case 'reassign': return parseReassign(args);
      case 'add_lead': return parseAddLead(args);
      default: return command satisfies never;
    }
  } catch (error) {
    if (!(error instanceof Mistake)) throw error;
    const form = FORMS[command];
    return { kind: 'invalid', command, usage: `${word} ${form.args}`, example: `${word} ${form.example}`, problem: error.message };
  }
}

function parseFollowUp(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const [wayText, gradeText, ...more] = rest;
  if (wayText === undefined) throw new Mistake('缺少跟进方式');
  const way = WAYS[nfkc(wayText).toLowerCase()];
  if (!way) throw new Mistake(`跟进方式“${wayText}”不对，可用：${WAY_HINT}`);
  if (gradeText === undefined) throw new Mistake('缺少级别');
  const grade = readGrade(gradeText);
  const { next, noteTokens } = takeTrailingNext(more);
  const note = noteTokens.join(' ').trim();
  if (note.length === 0) throw new Mistake('缺少跟进内容（客户说了什么、约了什么）');
  if (note.length > 500) throw new Mistake('跟进内容太长（最多 500 字）');
  return next ? { kind: 'follow_up', lead, way, grade, note, next } : { kind: 'follow_up', lead, way, grade, note };
}

function parseGrade(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const [gradeText, ...extra] = rest;
  if (gradeText === undefined) throw new Mistake('缺少级别');
  const grade = readGrade(gradeText);
  if (extra.length > 0) throw new Mistake(`多了“${extra.join(' ')}”；写跟进内容请用 跟进 命令`);
  return { kind: 'grade', lead, grade };
}

function parseOrder(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  if (rest.length === 0) throw new Mistake('缺少车型和交车时间');
  const last = rest[rest.length - 1] ?? '';
  const beforeLast = rest[rest.length - 2];
  const time = readTime(last);
  const date = beforeLast === undefined ? null : readDate(beforeLast);
  if (time === null || date === null) {
    if (looksLikeDate(last) || (beforeLast !== undefined && looksLikeDate(beforeLast))) {
      throw new Mistake('交车时间不对，要写日期和时间，如 2026-12-20 14:00');
    }
    throw new Mistake('缺少交车时间（日期和时间，如 2026-12-20 14:00）');
  }
  const model = rest.slice(0, -2).join(' ').trim();
  if (model.length === 0) throw new Mistake('缺少车型');
  if (model.length > 60) throw new Mistake('车型太长（最多 60 字）');
  return { kind: 'order', lead, model, deliveryAt: { date, time } };
}

function parseDelivered(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  if (rest.length > 0) throw new Mistake(`多了“${rest.join(' ')}”；只需写编号或手机号`);
  return { kind: 'delivered', lead };
}

const COMPETITOR_WORDS = new Set(['竞品', 'competitor']);

function parseLost(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const [levelText, ...more] = rest;
  if (levelText === undefined) throw new Mistake('缺少战败级别：1 号码错误或空号，2 已在别处购车，3 暂无需求');
  const level = Number(nfkc(levelText).replace(/级$/u, ''));
  if (level !== 1 && level !== 2 && level !== 3) throw new Mistake(`战败级别“${levelText}”不对，只能是 1（号码错误或空号）、2（已在别处购车）、3（暂无需求）`);
  const at = more.findIndex((t) => COMPETITOR_WORDS.has(nfkc(t).toLowerCase()));
  const reason = (at < 0 ? more : more.slice(0, at)).join(' ').trim();
  const competitorModel = at < 0 ? '' : more.slice(at + 1).join(' ').trim();
  if (reason.length === 0) throw new Mistake('缺少原因（客户怎么说的）');
  if (reason.length > 200) throw new Mistake('原因太长（最多 200 字）');
  if (at >= 0 && competitorModel.length === 0) throw new Mistake('“竞品”后面要写车型');
  if (competitorModel.length > 60) throw new Mistake('竞品车型太长（最多 60 字）');
  return competitorModel ? { kind: 'lost', lead, level, reason, competitorModel } : { kind: 'lost', lead, level, reason };
}

function parseApprove(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const note = rest.join(' ').trim();
  if (note.length > 200) throw new Mistake('说明太长（最多 200 字）');
  return note ? { kind: 'approve', lead, note } : { kind: 'approve', lead };
}

function parseReject(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const [gradeText, dateText, ...more] = rest;
  if (gradeText === undefined) throw new Mistake('缺少退回后的级别');
  const grade = readGrade(gradeText);
  if (dateText === undefined) throw new Mistake('缺少下次跟进日期，如 2026-12-01');
  const date = readDate(dateText);
  if (date === null) throw new Mistake(`下次跟进日期“${dateText}”不对，如 2026-12-01`);
  const timeText = more[0];
  const time = timeText !== undefined && TIME.test(nfkc(timeText)) ? readTime(timeText) : null;
  if (timeText !== undefined && TIME.test(nfkc(timeText)) && time === null) throw new Mistake(`时间“${timeText}”不对，如 10:00`);
  const note = more.slice(time === null ? 0 : 1).join(' ').trim();
  if (note.length > 200) throw new Mistake('说明太长（最多 200 字）');
  const next = { date, time };
  return note ? { kind: 'reject', lead, grade, next, note } : { kind: 'reject', lead, grade, next };
}

function parseReassign(args: string[]): ParsedCommand {
  const { lead, rest } = takeLead(args);
  const consultantName = rest.join(' ').trim();
  if (consultantName.length === 0) throw new Mistake('缺少要转给的顾问姓名');
  return { kind: 'reassign', lead, consultantName };
}

const SOURCES: Record<string, 'phone' | 'online' | 'referral' | 'other'> = {
  电话: 'phone', 来电: 'phone', phone: 'phone', 网络: 'online', 线上: 'online', online: 'online', 转介绍: 'referral', referral: 'referral', 其他: 'other', other: 'other',
};
const CONSENT_WORDS = new Set(['同意', 'consent']);

function parseAddLead(args: string[]): ParsedCommand {
  const [name, ...afterName] = args;
  if (name === undefined) throw new Mistake('缺少客户姓名');
  const { phone, rest } = takePhone(afterName);
  const [sourceText, ...more] = rest;
  if (sourceText === undefined) throw new Mistake('缺少来源：电话、网络、转介绍或其他');
  const source = SOURCES[nfkc(sourceText).toLowerCase()];
  if (!source) throw new Mistake(`来源“${sourceText}”不对，可用：电话、网络、转介绍、其他`);
  const gradeToken = more[0] !== undefined && (COMMAND_GRADES as readonly string[]).includes(nfkc(more[0]).toUpperCase().replace(/级$/u, '')) ? more.shift() : undefined;
  const grade = gradeToken === undefined ? 'N' : readGrade(gradeToken);
  const { next, noteTokens } = takeTrailingNext(more);
  const serviceConsent = noteTokens.some((t) => CONSENT_WORDS.has(nfkc(t).toLowerCase()));
  const model = noteTokens.filter((t) => !CONSENT_WORDS.has(nfkc(t).toLowerCase())).join(' ').trim();
  if (model.length > 60) throw new Mistake('车型太长（最多 60 字）');
  return { kind: 'add_lead', name, phone, source, grade, model, serviceConsent, ...(next ? { next } : {}) };
}

/** A phone number at the start, possibly typed with spaces. */
function takePhone(args: string[]): { phone: string; rest: string[] } {
  let phoneish = 0;
  while (phoneish < Math.min(args.length, 5) && PHONE_TOKEN.test(nfkc(args[phoneish] ?? ''))) phoneish += 1;
  for (let k = phoneish; k >= 1; k -= 1) {
    const phone = normalizePhone(args.slice(0, k).join(' '));
    if (phone) return { phone, rest: args.slice(k) };
  }
  throw new Mistake(args[0] === undefined ? '缺少手机号' : `“${args[0]}”不是有效的手机号`);
}

const PHONE_TOKEN = /^[+\d\-().]+$/;

/** The lead reference at the start: a phone (possibly typed with spaces) or a 1–4 digit list number. */
function takeLead(args: string[]): { lead: LeadRef; rest: string[] } {
  const first = args[0];
  if (first === undefined) throw new Mistake('缺少客户：写今日列表里的编号或客户手机号');
  try {
    const { phone, rest } = takePhone(args);
    return { lead: { by: 'phone', phone }, rest };
  } catch (error) {
    if (!(error instanceof Mistake)) throw error;
  }
  const number = /^[#＃]?(\d{1,4})$/u.exec(nfkc(first));
  if (number) {
    const n = Number(number[1]);
    if (n === 0) throw new Mistake('编号从 1 开始（见 今日 列表）');
    return { lead: { by: 'number', n }, rest: args.slice(1) };
  }
  throw new Mistake(`“${first}”既不是今日列表里的编号，也不是手机号`);
}

function readGrade(text: string): CommandGrade {
  const grade = nfkc(text).toUpperCase().replace(/级$/u, '');
  if ((COMMAND_GRADES as readonly string[]).includes(grade)) return grade as CommandGrade;
  throw new Mistake(`级别“${text}”不对，可用：${GRADE_HINT}`);
}

const DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2})$/;

function looksLikeDate(text: string): boolean {
  return /^\d{4}[-/.]\d/.test(nfkc(text));
}

/** A real calendar date as YYYY-MM-DD, or null when the text is not one. */
function readDate(text: string): string | null {
  const match = DATE.exec(nfkc(text));
  if (!match) return null;
  const date = `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
  return DateTime.fromISO(date, { zone: 'UTC' }).isValid ? date : null;
}

/** A wall-clock time as HH:MM, or null. */
function readTime(text: string): string | null {
  const match = TIME.exec(nfkc(text));
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

const NEXT_WORDS = new Set(['next', '下次']);

/** An optional next follow-up at the end of a note: `[next|下次] YYYY-MM-DD [HH:MM]`. */
function takeTrailingNext(tokens: string[]): { next?: LocalDateTime; noteTokens: string[] } {
  let end = tokens.length;
  let time: string | null = null;
  const last = tokens[end - 1];
  if (last !== undefined && TIME.test(nfkc(last))) {
    const beforeLast = tokens[end - 2];
    if (beforeLast !== undefined && looksLikeDate(beforeLast)) {
      time = readTime(last);
      if (time === null) throw new Mistake(`下次跟进时间“${last}”不对，如 10:00`);
      end -= 1;
    }
  }
  const dateText = tokens[end - 1];
  if (dateText === undefined || !looksLikeDate(dateText)) {
    if (time === null && last !== undefined && NEXT_WORDS.has(nfkc(last).toLowerCase())) throw new Mistake('“下次”后面要写日期，如 2026-11-28 或 2026-11-28 10:00');
    return { noteTokens: tokens };
  }
  const date = readDate(dateText);
  if (date === null) throw new Mistake(`下次跟进日期“${dateText}”不对，如 2026-11-28`);
  end -= 1;
  const keyword = tokens[end - 1];
  if (keyword !== undefined && NEXT_WORDS.has(nfkc(keyword).toLowerCase())) end -= 1;
  return { next: { date, time }, noteTokens: tokens.slice(0, end) };
}
