// Exactly one WeCom template per consultant task, whatever happens between the claim and the
// record: fast-check generates schedules of rounds that crash after taking the lease or right
// after WeCom made the template (before the msgid is recorded), answers that are lost after WeCom
// acted, "busy" refusals, two instances running at once, and clock jumps past the lease; texts and
// customers collide on purpose (the lookup after a crash must adopt the right template). After the
// schedule, rounds run undisturbed until nothing is left to create.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { createTemplates, TEMPLATE_LEASE_MS, type TemplatePoint, type TemplateTaskDeps } from '../../../bot/channels/wecom/template-tasks/template-create.ts';
import { silentLogger } from '../../../core/logger.ts';
import { linkStaffAccount } from '../../../core/staff/link-staff-account.ts';
import { FakeWecomServer } from '../../fakes/fake-wecom-server.ts';
import { queueText } from '../../helpers/intents.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { WECOM_TEST } from '../../helpers/test-wecom.ts';

class Crash extends Error {}

let t: TestApp;
let fake: FakeWecomServer;
let deps: TemplateTaskDeps;
let staffId: string;
/** What the next add_msg_template exchanges do: answer, or act and lose the answer. */
let loseAnswers: boolean[] = [];
let crashAt: TemplatePoint | null = null;
let run = 0;

beforeAll(async () => {
  t = await createTestApp();
  fake = new FakeWecomServer({ corpId: WECOM_TEST.corpId, secrets: [WECOM_TEST.secret], now: () => t.clock.now().getTime() });
  const apiBase = await fake.start();
  const losing: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (String(input).includes('/add_msg_template') && loseAnswers.shift() === true) {
      await response.text(); // WeCom acted; the answer never arrives
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    }
    return response;
  };
  const api = new WecomApiClient({ corpId: WECOM_TEST.corpId, secret: WECOM_TEST.secret, apiBase, clock: t.clock, fetch: losing });
  const onPoint = (point: TemplatePoint) => {
    if (point === crashAt) {
      crashAt = null;
      throw new Crash(`crashed ${point}`);
    }
  };
  deps = { db: t.ctx.db, clock: t.clock, logger: silentLogger, api, storeId: t.setup.storeId, onPoint };
  const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张伟', role: 'CONSULTANT' } });
  await linkStaffAccount(t.ctx.db, t.clock, { staffId: t.setup.adminStaffId, storeId: t.setup.storeId, role: 'ADMIN' }, { staffId: staff.id, channel: 'WECOM', externalId: 'zhangwei' });
  staffId = staff.id;
});
afterAll(async () => {
  await fake.close();
  await t.close();
});

const TEXTS = ['您的新车将于周五14:00交付，请携带身份证。', '祝您生日快乐！'];

/** A hand-over task for the `customer`-th customer of this run (created on first use), with one of the texts. */
async function handOverTask(customers: Map<number, string>, customer: number, text: string, n: number): Promise<{ taskId: string; externalUserId: string }> {
  const externalUserId = `wmRun${run}C${customer}`;
  let customerId = customers.get(customer);
  if (!customerId) {
    customerId = (await t.ctx.db.customer.create({ data: { name: `客户${run}-${customer}`, phone: `+86139${String(run * 10 + customer).padStart(8, '0')}` } })).id;
    await t.ctx.db.channelIdentity.create({ data: { customerId, channel: 'WECOM', externalId: externalUserId } });
    fake.contacts.customerAdds({ userId: 'zhangwei', externalUserId, welcomeCode: false });
    customers.set(customer, customerId);
  }
  const key = `reminder:${run}:${n}`;
  await queueText(t.ctx.db, t.setup.storeId, key, t.clock.now(), { customerId, message: { kind: 'text', text } });
  const intent = await t.ctx.db.messageIntent.update({ where: { dedupeKey: key }, data: { state: 'SENT', nextAttemptAt: null } });
  const task = await t.ctx.db.staffTask.create({ data: { storeId: t.setup.storeId, staffId, customerId, intentId: intent.id, kind: 'forward:test', text: `请转达：${text}`, createdAt: t.clock.now() } });
  return { taskId: task.id, externalUserId };
}

/** One round; a crash is the process dying there (what it committed stays, the rest never happens). */
async function round(): Promise<void> {
  try {
    await createTemplates(deps);
  } catch (error) {
    if (!(error instanceof Crash)) throw error;
  }
}

const step = fc.record({
  crash: fc.constantFrom<TemplatePoint | null>(null, null, 'after-lease', 'after-call'),
  lose: fc.boolean(),
  busy: fc.boolean(),
  parallel: fc.boolean(),
  advanceMs: fc.constantFrom(0, 30_000, TEMPLATE_LEASE_MS + 1_000, 6 * 60_000),
});

describe('WeCom template tasks under crashes and replays', () => {
  it('make exactly one template per task, recorded with its msgid, and ask the consultant once', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ customer: fc.integer({ min: 0, max: 1 }), text: fc.constantFrom(...TEXTS) }), { minLength: 1, maxLength: 3 }),
      fc.array(step, { minLength: 1, maxLength: 8 }),
      async (taskSpecs, steps) => {
        run += 1;
        const customers = new Map<number, string>();
        const tasks = [];
        for (const [n, spec] of taskSpecs.entries()) tasks.push({ ...spec, ...(await handOverTask(customers, spec.customer, spec.text, n)) });
        for (const s of steps) {
          crashAt = s.crash;
          loseAnswers = [s.lose];
          if (s.busy) fake.script('externalcontact/add_msg_template', { errcode: 45009 });
          await (s.parallel ? Promise.all([round(), round()]) : round());
          fake.script('externalcontact/add_msg_template'); // nothing left over for the next step
          t.clock.advance(s.advanceMs);
        }
        crashAt = null;
        loseAnswers = [];
        const ids = tasks.map((task) => task.taskId);
        const unsettled = async () => ids.length - (await t.ctx.db.wecomTemplateTask.count({ where: { staffTaskId: { in: ids }, state: { not: 'CREATING' } } }));
        for (let i = 0; i < 20 && (await unsettled()) > 0; i += 1) {
          t.clock.advance(6 * 60_000);
          await round();
        }
        let waiting = 0;
        for (const task of tasks) {
          const row = await t.ctx.db.wecomTemplateTask.findUniqueOrThrow({ where: { staffTaskId: task.taskId } });
          const made = [...fake.templates.tasks.values()].filter((m) => m.msgid === row.msgid);
          if (row.state === 'FAILED') {
            // Given up after MAX_TEMPLATE_CALLS busy answers: nothing was made for it.
            expect(row.msgid).toBeNull();
            continue;
          }
          waiting += 1;
          expect(row.state).toBe('WAITING');
          expect(made).toMatchObject([{ text: task.text, externalUserIds: [task.externalUserId], sender: 'zhangwei' }]);
          expect(await t.ctx.db.messageIntent.count({ where: { dedupeKey: `wecom-template-ask:${task.taskId}` } })).toBe(1);
        }
        // No template without its task: the run's customers got exactly one per waiting task.
        const runTemplates = [...fake.templates.tasks.values()].filter((m) => m.externalUserIds.some((id) => id.startsWith(`wmRun${run}C`)));
        expect(runTemplates).toHaveLength(waiting);
        expect(fake.violations).toEqual([]);
      },
    ), { numRuns: 40 });
  });
});
