import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueText } from '../../helpers/intents.ts';
import { followRedirect, signIn as signInAs } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
let session: string;

const signIn = (staffId: string) => signInAs(t, staffId);

beforeEach(async () => {
  t = await createTestApp();
  session = await signIn(t.setup.adminStaffId);
  const now = t.clock.now();
  await queueText(t.ctx.db, t.setup.storeId, 'ok-1', now);
  await queueText(t.ctx.db, t.setup.storeId, 'dead-1', now);
  await queueText(t.ctx.db, t.setup.storeId, 'unknown-1', now);
  await t.ctx.db.messageIntent.update({ where: { dedupeKey: 'dead-1' }, data: { state: 'DEAD', nextAttemptAt: null, attempts: 6, lastError: 'gave up after 6 attempts: <502>' } });
  const unknown = await t.ctx.db.messageIntent.update({ where: { dedupeKey: 'unknown-1' }, data: { state: 'UNKNOWN', nextAttemptAt: null, lastError: 'no answer' } });
  await t.ctx.db.alert.create({ data: { storeId: t.setup.storeId, kind: 'intent_unknown', message: 'test (unknown-1): no answer', intentId: unknown.id, createdAt: now } });
});
afterEach(async () => {
  await t.close();
});

const get = (cookie = session) => t.app.inject({ method: 'GET', url: '/admin/outbox', cookies: { sc_staff: cookie } });
const act = (key: string, action: string) =>
  t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: key } }).then((intent) =>
    t.app.inject({ method: 'POST', url: `/admin/outbox/${intent.id}/${action}`, cookies: { sc_staff: session } })).then((response) => followRedirect(t.app, response, session));

describe('outbox admin page', () => {
  it('shows counts by state, the dead and unknown messages with their error, and open alerts', async () => {
    const response = await get();
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('data-state="PENDING"><strong>1</strong>');
    expect(response.body).toContain('data-state="DEAD"><strong>1</strong>');
    expect(response.body).toContain('data-state="UNKNOWN"><strong>1</strong>');
    expect(response.body).toContain('gave up after 6 attempts: &lt;502>');
    expect(response.body).toContain('test (unknown-1): no answer');
  });

  it('retries a dead message from scratch', async () => {
    const response = await act('dead-1', 'retry');
    expect(response.statusCode).toBe(200);
    expect(await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: 'dead-1' } })).toMatchObject({ state: 'PENDING', attempts: 0, nextAttemptAt: t.clock.now() });
  });

  it('cancels an unknown message and resolves its alert', async () => {
    expect((await act('unknown-1', 'cancel')).statusCode).toBe(200);
    expect((await t.ctx.db.messageIntent.findUniqueOrThrow({ where: { dedupeKey: 'unknown-1' } })).state).toBe('CANCELLED');
    expect(await t.ctx.db.alert.count({ where: { resolvedAt: null } })).toBe(0);
    expect((await get()).body).toContain('没有未处理的提醒');
  });

  it('refuses actions that do not fit the state', async () => {
    expect((await act('ok-1', 'retry')).statusCode).toBe(409);
    await t.ctx.db.messageIntent.update({ where: { dedupeKey: 'ok-1' }, data: { state: 'SENDING' } });
    expect((await act('ok-1', 'cancel')).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: '/admin/outbox/nope/retry', cookies: { sc_staff: session } })).statusCode).toBe(404);
  });

  it('is for admins and managers only', async () => {
    const desk = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '前台小王', role: 'FRONT_DESK' } });
    expect((await get(await signIn(desk.id))).statusCode).toBe(403);
    expect((await get('')).statusCode).toBe(401);
  });
});

describe('hand-over tasks on the outbox page', () => {
  it('lists the messages to forward by hand and marks them done', async () => {
    const task = await t.ctx.db.staffTask.create({ data: { storeId: t.setup.storeId, kind: 'forward:visit_thanks', text: '请转达给王芳：<感谢光临>', createdAt: t.clock.now() } });
    const page = await get();
    expect(page.body).toContain('&lt;感谢光临>');
    expect(page.body).toContain(`data-task="${task.id}"`);
    const done = await followRedirect(t.app, await t.app.inject({ method: 'POST', url: `/admin/tasks/${task.id}/done`, cookies: { sc_staff: session } }), session);
    expect(done.statusCode).toBe(200);
    expect((await t.ctx.db.staffTask.findUniqueOrThrow({ where: { id: task.id } })).doneAt).not.toBeNull();
    expect((await t.app.inject({ method: 'POST', url: `/admin/tasks/${task.id}/done`, cookies: { sc_staff: session } })).statusCode).toBe(404);
  });
});
