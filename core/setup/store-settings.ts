import { IANAZone } from 'luxon';
import { type z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { journeySettingsSchema } from '../journeys/journey-settings.ts';
import { leadSettingsSchema } from '../leads/lead-settings.ts';
import { may, storeSubject, type Principal } from '../staff/authorization.ts';

/** A store change that cannot be saved: per field, what to fix (Chinese). */
export class StoreSettingsError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super(Object.values(fields).join(' '));
    this.name = 'StoreSettingsError';
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The store's identity and hours, as the form sends them. */
export interface StoreBasics {
  name: string;
  address: string;
  hotline: string;
  timeZone: string;
  customerHoursStart: string;
  customerHoursEnd: string;
  staffHoursStart: string;
  staffHoursEnd: string;
}

/** Checks every field of the basics at once. */
export function validateBasics(input: StoreBasics): StoreBasics {
  const errors: Record<string, string> = {};
  const trimmed = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, v.trim()])) as unknown as StoreBasics;
  if (trimmed.name.length < 1 || trimmed.name.length > 40) errors.name = '门店名称：1–40 个字。';
  if (trimmed.address.length > 200) errors.address = '地址：最多 200 个字。';
  if (!/^[\d\-+ ]{0,20}$/.test(trimmed.hotline)) errors.hotline = '服务热线：只能有数字、空格、- 和 +，例如 400-800-1234。';
  if (!IANAZone.isValidZone(trimmed.timeZone)) errors.timeZone = '时区：请填写 IANA 时区名，例如 Asia/Shanghai。';
  for (const [start, end, label] of [['customerHoursStart', 'customerHoursEnd', '客户消息时段'], ['staffHoursStart', 'staffHoursEnd', '员工工作时间']] as const) {
    if (!HHMM.test(trimmed[start]) || !HHMM.test(trimmed[end])) errors[start] = `${label}：请填写 HH:MM，例如 08:00。`;
    else if (trimmed[start] >= trimmed[end]) errors[start] = `${label}：开始时间必须早于结束时间。`;
  }
  if (Object.keys(errors).length > 0) throw new StoreSettingsError(errors);
  return trimmed;
}

/** The fields customers read in messages: a change is carried into the messages not yet sent. */
const CARRIED = ['name', 'hotline', 'address'] as const;

/**
 * Saves the store's name, address, hotline, time zone and hours, audited. Hours and the time
 * zone are read when each message is sent, so they apply to every message not yet sent; a new
 * name, hotline or address is also written into the customer messages still waiting (where the
 * old text appears whole). Returns how many waiting messages were updated.
 */
export async function saveStoreBasics(db: Database, clock: Clock, actor: Principal, input: StoreBasics): Promise<number> {
  requireSetup(actor);
  const after = validateBasics(input);
  return db.$transaction(async (tx) => {
    const before = await tx.store.findUniqueOrThrow({ where: { id: actor.storeId } });
    await tx.store.update({ where: { id: actor.storeId }, data: after });
    const changed = (Object.keys(after) as (keyof StoreBasics)[]).filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return 0;
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'store.settings', entity: 'Store', entityId: actor.storeId, at: clock.now(), details: { before: pick(before, changed), after: pick(after, changed) } });
    const replacements = CARRIED.filter((k) => changed.includes(k) && before[k].trim().length >= 2).map((k) => [before[k].trim(), after[k]] as const);
    return carryIntoWaitingMessages(tx, actor.storeId, replacements);
  });
}

const pick = (row: object, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]]));

/** Replaces old texts with new ones in the store's customer messages not yet sent; returns how many changed. */
async function carryIntoWaitingMessages(tx: DatabaseTx, storeId: string, replacements: readonly (readonly [string, string])[]): Promise<number> {
  if (replacements.length === 0) return 0;
  const waiting = await tx.messageIntent.findMany({ where: { storeId, state: { in: ['PENDING', 'FAILED_RETRYING'] }, purpose: { in: ['SERVICE', 'MARKETING'] } }, select: { id: true, payload: true } });
  let updated = 0;
  for (const intent of waiting) {
    const message = JSON.parse(intent.payload) as { text?: string };
    if (typeof message.text !== 'string') continue;
    const text = replacements.reduce((t, [from, to]) => t.split(from).join(to), message.text);
    if (text === message.text) continue;
    await tx.messageIntent.update({ where: { id: intent.id }, data: { payload: JSON.stringify({ ...message, text }) } });
    updated += 1;
  }
  return updated;
}

/**
 * Sets the store's car models from a list (one per line, in the order customers see them): new
 * names are added, missing ones are hidden from the forms (kept for the visits that name them).
 */
export async function saveCarModels(db: Database, clock: Clock, actor: Principal, names: string[]): Promise<void> {
  requireSetup(actor);
  const list = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
  const bad = list.find((n) => n.length > 30 || /[<>{}]/.test(n));
  if (list.length === 0) throw new StoreSettingsError({ models: '车型：至少填写一个车型，每行一个。' });
  if (bad) throw new StoreSettingsError({ models: `车型“${bad.slice(0, 30)}”：最多 30 个字，不能含尖括号或花括号。` });
  await db.$transaction(async (tx) => {
    const before = (await tx.carModel.findMany({ where: { storeId: actor.storeId, active: true }, orderBy: { sortOrder: 'asc' } })).map((m) => m.name);
    await tx.carModel.updateMany({ where: { storeId: actor.storeId }, data: { active: false } });
    for (const [sortOrder, name] of list.entries()) {
      await tx.carModel.upsert({ where: { storeId_name: { storeId: actor.storeId, name } }, create: { storeId: actor.storeId, name, sortOrder }, update: { sortOrder, active: true } });
    }
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'store.models', entity: 'Store', entityId: actor.storeId, at: clock.now(), details: { before, after: list } });
  });
}

/** Which JSON settings of the store a form edits, with the schema that validates them. */
const SETTINGS = { journeySettings: journeySettingsSchema, leadSettings: leadSettingsSchema } as const;
export type SettingsKind = keyof typeof SETTINGS;

/**
 * Saves the store's journey timings or lead rules (cadences, daily minimum, stale and pool
 * months) after validating them all; every bad key is named. Messages planned after this use
 * them; those already planned keep their times.
 */
export async function saveSettings(db: Database, clock: Clock, actor: Principal, kind: SettingsKind, values: Record<string, unknown>): Promise<void> {
  requireSetup(actor);
  const result = (SETTINGS[kind] as z.ZodType).safeParse(values);
  if (!result.success) {
    throw new StoreSettingsError(Object.fromEntries(result.error.issues.map((issue) => [issue.path.join('.'), `${issue.path.join('.')}：${issueText(issue)}`])));
  }
  await db.$transaction(async (tx) => {
    const before = await tx.store.findUniqueOrThrow({ where: { id: actor.storeId } });
    const json = JSON.stringify(result.data);
    await tx.store.update({ where: { id: actor.storeId }, data: { [kind]: json } });
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: `store.${kind}`, entity: 'Store', entityId: actor.storeId, at: clock.now(), details: { before: JSON.parse(before[kind] || '{}'), after: result.data } });
  });
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return `不能小于 ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `不能大于 ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type') return '请填写整数';
  if (issue.code === 'invalid_format') return '请填写 HH:MM，例如 10:00';
  return issue.message;
}

/** Refuses anyone who does not set the store up. */
export function requireSetup(actor: Principal): void {
  if (!may(actor, 'store.setup', storeSubject(actor))) throw new StoreSettingsError({ role: '只有经理和管理员可以修改门店设置。' });
}
