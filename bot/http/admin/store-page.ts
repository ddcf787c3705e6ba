import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../app-context.ts';
import { parseJourneySettings } from '../../../core/journeys/journey-settings.ts';
import { parseLeadSettings } from '../../../core/leads/lead-settings.ts';
import { addGiftStock, createCampaign, setCampaignEnd } from '../../../core/setup/campaigns.ts';
import { addGroupStore, groupStores, switchStore } from '../../../core/setup/group-stores.ts';
import { saveCarModels, saveSettings, saveStoreBasics, StoreSettingsError, type SettingsKind, type StoreBasics } from '../../../core/setup/store-settings.ts';
import { may, storeSubject } from '../../../core/staff/authorization.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { formText } from '../form-fields.ts';
import { html } from '../html.ts';
import { adminPage, formatTime } from './admin-layout.ts';
import { requireStaff, STAFF_SESSION_COOKIE } from './admin-auth.ts';
import { fieldError, refusePage, sendHtml } from './page-reply.ts';
import { settingsFromForm, settingsInputs } from './settings-fields.ts';

const TITLE = '门店设置';
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
type Flash = { ok: boolean; text: string };
/** What was typed into a refused form, per form, so it is shown again with the errors. */
type Refused = { form: string; errors: Record<string, string>; draft: Record<string, unknown> };

const BASICS: [keyof StoreBasics, string, number][] = [
  ['name', '门店名称', 40], ['address', '地址（客户消息里的交车地点）', 200], ['hotline', '服务热线', 20], ['timeZone', '时区（IANA，如 Asia/Shanghai）', 40],
  ['customerHoursStart', '客户消息时段：开始', 5], ['customerHoursEnd', '客户消息时段：结束', 5], ['staffHoursStart', '员工工作时间：开始', 5], ['staffHoursEnd', '员工工作时间：结束', 5],
];

async function storePage(ctx: AppContext, staff: StaffPrincipal, flash?: Flash, refused?: Refused): Promise<string> {
  const store = await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId }, include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } }, campaigns: { include: { gifts: true, qrSources: true }, orderBy: { startsAt: 'desc' } } } });
  const zone = store.timeZone;
  const errors = (form: string) => (refused?.form === form ? refused.errors : undefined);
  const draft = (form: string, key: string, fallback: string) => (refused?.form === form && typeof refused.draft[key] === 'string' ? (refused.draft[key] as string) : fallback);
  const stores = may(staff, 'store.group', storeSubject(staff)) ? await groupStores(ctx.db, staff) : [];
  const content = html`<form class="store-basics" method="post" action="/admin/store"><h2>门店信息与时段</h2>
${BASICS.map(([key, label, max]) => html`<label>${label}<input name="${key}" maxlength="${max}" value="${draft('basics', key, store[key])}"${key.endsWith('Start') || key.endsWith('End') ? html` type="time"` : ''}></label>${fieldError(errors('basics'), key)}`)}
<p>时段和时区在每条消息发出时读取：对所有未发出的消息立即生效。门店名称、热线和地址也会写进尚未发出的客户消息。</p>
<button type="submit">保存门店信息</button></form>
<form class="store-models" method="post" action="/admin/store/models"><h2>车型</h2><label>每行一个，按客户看到的顺序<textarea name="models" rows="6">${draft('models', 'models', store.carModels.map((m) => m.name).join('\n'))}</textarea></label>${fieldError(errors('models'), 'models')}<button type="submit">保存车型</button></form>
<h2>活动与礼品</h2>
<table class="campaigns"><thead><tr><th>活动</th><th>时间</th><th>礼品（剩余/总数）</th><th>二维码</th><th>操作</th></tr></thead><tbody>
${store.campaigns.map((c) => html`<tr data-campaign="${c.id}"><td>${c.name}</td><td>${formatTime(c.startsAt, zone)} – ${c.endsAt ? formatTime(c.endsAt, zone) : '不限'}</td>
<td>${c.gifts.map((g) => html`<span data-gift="${g.id}">${g.name}：${g.stockLeft}/${g.totalStock}</span><form method="post" action="/admin/store/gifts/${g.id}/stock" class="inline"><input name="units" inputmode="numeric" maxlength="7" placeholder="增加数量" aria-label="增加数量" required><button type="submit">补充库存</button></form>`)}</td>
<td>${c.qrSources.filter((q) => q.active).map((q) => q.label).join('、') || '—'}</td>
<td><form method="post" action="/admin/store/campaigns/${c.id}/end" class="inline"><input type="datetime-local" name="endsAt" aria-label="结束时间" value="${c.endsAt ? DateTime.fromJSDate(c.endsAt, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : ''}"><button type="submit">设置结束时间</button></form></td></tr>`)}
</tbody></table>${fieldError(errors('stock'), 'units')}${fieldError(errors('end'), 'endsAt')}
<form class="new-campaign" method="post" action="/admin/store/campaigns"><h3>新活动</h3>
<label>活动名称<input name="name" maxlength="40" value="${draft('campaign', 'name', '')}"></label>${fieldError(errors('campaign'), 'name')}
<label>开始<input type="datetime-local" name="startsAt" value="${draft('campaign', 'startsAt', '')}"></label>${fieldError(errors('campaign'), 'startsAt')}
<label>结束（可不填）<input type="datetime-local" name="endsAt" value="${draft('campaign', 'endsAt', '')}"></label>${fieldError(errors('campaign'), 'endsAt')}
<label>礼品<input name="giftName" maxlength="40" value="${draft('campaign', 'giftName', '')}"></label>${fieldError(errors('campaign'), 'giftName')}
<label>礼品数量<input name="stock" inputmode="numeric" maxlength="7" value="${draft('campaign', 'stock', '')}"></label>${fieldError(errors('campaign'), 'stock')}
<label class="check"><input type="checkbox" name="moveQrCodes" value="1" checked> 本店二维码改为登记这个活动</label>
<button type="submit">创建活动</button></form>
<form class="journey-settings" method="post" action="/admin/store/settings/journeySettings"><h2>客户消息的时间</h2>
${settingsInputs('journeySettings', refused?.form === 'journeySettings' ? refused.draft : parseJourneySettings(store.journeySettings), errors('journeySettings'))}
<p>修改后新安排的消息使用新时间；已经安排好的消息保持原时间。</p><button type="submit">保存消息时间</button></form>
<form class="lead-settings" method="post" action="/admin/store/settings/leadSettings"><h2>线索跟进规则</h2>
${settingsInputs('leadSettings', refused?.form === 'leadSettings' ? refused.draft : parseLeadSettings(store.leadSettings), errors('leadSettings'))}
<button type="submit">保存跟进规则</button></form>
${stores.length ? html`<h2>集团门店</h2><ul class="stores">${stores.map((s) => html`<li data-store="${s.id}">${s.name}${s.id === staff.storeId ? '（当前）' : html` <form method="post" action="/admin/stores/${s.id}/switch" class="inline"><button type="submit">切换到此门店</button></form>`}</li>`)}</ul>
<form class="new-store" method="post" action="/admin/stores"><label>新门店名称<input name="name" maxlength="40" value="${draft('store', 'name', '')}"></label>${fieldError(errors('store'), 'storeName')}
<label>时区<input name="timeZone" maxlength="40" value="${draft('store', 'timeZone', zone)}"></label>${fieldError(errors('store'), 'storeTimeZone')}<button type="submit">新增门店</button></form>` : ''}`;
  return adminPage({ title: `${TITLE}：${store.name}`, staff, content, ...(flash ? { flash } : {}) });
}

/** `/admin/store`: the store's identity, hours, models, campaigns and gift stock, message timings and lead rules; group admins add and switch stores. */
export function registerStorePage(app: FastifyInstance, ctx: AppContext): void {
  const guard = async (request: FastifyRequest, reply: FastifyReply, action: 'store.setup' | 'store.group' = 'store.setup') => {
    const staff = await requireStaff(ctx, request, reply);
    if (staff && !may(staff, action, storeSubject(staff))) {
      await refusePage(reply, staff, 403, { title: TITLE, text: action === 'store.group' ? '只有管理员可以新增门店和切换门店。' : '只有经理和管理员可以修改门店设置。', back: '/admin' });
      return null;
    }
    return staff;
  };
  const zoneOf = async (staff: StaffPrincipal) => (await ctx.db.store.findUniqueOrThrow({ where: { id: staff.storeId } })).timeZone;
  const local = (text: string, zone: string): Date => (DATETIME_LOCAL.test(text) ? DateTime.fromISO(text, { zone }).toJSDate() : new Date(Number.NaN));
  /** Runs a change and answers with the page: its flash on success, the form's errors on a refusal. */
  const save = async (reply: FastifyReply, staff: StaffPrincipal, form: string, draft: Record<string, unknown>, run: () => Promise<string>) => {
    try {
      const text = await run();
      return sendHtml(reply, 200, await storePage(ctx, staff, { ok: true, text }));
    } catch (error) {
      if (!(error instanceof StoreSettingsError)) throw error;
      return sendHtml(reply, error.fields.role ? 403 : 400, await storePage(ctx, staff, { ok: false, text: `未保存：${Object.values(error.fields).join('')}` }, { form, errors: error.fields, draft }));
    }
  };

  app.get('/admin/store', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    return sendHtml(reply, 200, await storePage(ctx, staff));
  });
  app.post('/admin/store', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const input = Object.fromEntries(BASICS.map(([key, , max]) => [key, formText(request.body, key, { max: max + 1 })])) as unknown as StoreBasics;
    return save(reply, staff, 'basics', { ...input }, async () => {
      const carried = await saveStoreBasics(ctx.db, ctx.clock, staff, input);
      return `门店信息已保存。${carried ? `${carried} 条尚未发出的客户消息已改用新的信息。` : ''}`;
    });
  });
  app.post('/admin/store/models', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const models = formText(request.body, 'models', { max: 2000, multiline: true });
    return save(reply, staff, 'models', { models }, async () => {
      await saveCarModels(ctx.db, ctx.clock, staff, models.split('\n'));
      return '车型已保存。';
    });
  });
  app.post<{ Params: { kind: string } }>('/admin/store/settings/:kind', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    if (request.params.kind !== 'journeySettings' && request.params.kind !== 'leadSettings') return refusePage(reply, staff, 404, { title: TITLE, text: '没有这组设置。', back: '/admin/store' });
    const kind: SettingsKind = request.params.kind;
    const values = settingsFromForm(kind, request.body);
    return save(reply, staff, kind, values, async () => {
      await saveSettings(ctx.db, ctx.clock, staff, kind, values);
      return kind === 'journeySettings' ? '消息时间已保存，新安排的消息按新时间发送。' : '跟进规则已保存。';
    });
  });
  app.post('/admin/store/campaigns', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const text = (name: string) => formText(request.body, name, { max: 41 });
    const draft = { name: text('name'), startsAt: text('startsAt'), endsAt: text('endsAt'), giftName: text('giftName'), stock: text('stock') };
    const zone = await zoneOf(staff);
    return save(reply, staff, 'campaign', draft, async () => {
      await createCampaign(ctx.db, ctx.clock, staff, {
        name: draft.name, startsAt: local(draft.startsAt, zone), endsAt: draft.endsAt ? local(draft.endsAt, zone) : null, giftName: draft.giftName,
        stock: /^\d{1,7}$/.test(draft.stock) ? Number(draft.stock) : Number.NaN, moveQrCodes: text('moveQrCodes') !== '',
      });
      return `活动“${draft.name}”已创建。`;
    });
  });
  app.post<{ Params: { id: string } }>('/admin/store/gifts/:id/stock', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const units = formText(request.body, 'units', { max: 8 });
    return save(reply, staff, 'stock', {}, async () => {
      const gift = await addGiftStock(ctx.db, ctx.clock, staff, request.params.id, /^\d{1,7}$/.test(units) ? Number(units) : Number.NaN);
      return `已补充库存：剩余 ${gift.stockLeft}，总数 ${gift.totalStock}。`;
    });
  });
  app.post<{ Params: { id: string } }>('/admin/store/campaigns/:id/end', async (request, reply) => {
    const staff = await guard(request, reply);
    if (!staff) return reply;
    const text = formText(request.body, 'endsAt', { max: 20 });
    const zone = await zoneOf(staff);
    return save(reply, staff, 'end', {}, async () => {
      await setCampaignEnd(ctx.db, ctx.clock, staff, request.params.id, text ? local(text, zone) : null);
      return text ? '活动结束时间已保存。' : '活动已改为不限结束时间。';
    });
  });
  app.post('/admin/stores', async (request, reply) => {
    const staff = await guard(request, reply, 'store.group');
    if (!staff) return reply;
    const draft = { name: formText(request.body, 'name', { max: 41 }), timeZone: formText(request.body, 'timeZone', { max: 41 }) };
    return save(reply, staff, 'store', draft, async () => {
      await addGroupStore(ctx.db, ctx.clock, staff, draft);
      return `门店“${draft.name}”已新增：切换到该门店后设置员工、活动和二维码。`;
    });
  });
  app.post<{ Params: { id: string } }>('/admin/stores/:id/switch', async (request, reply) => {
    const staff = await guard(request, reply, 'store.group');
    if (!staff) return reply;
    try {
      await switchStore(ctx.db, ctx.clock, staff, request.cookies[STAFF_SESSION_COOKIE] ?? '', request.params.id);
    } catch (error) {
      if (!(error instanceof StoreSettingsError)) throw error;
      return refusePage(reply, staff, 404, { title: TITLE, text: Object.values(error.fields).join(''), back: '/admin/store' });
    }
    return reply.redirect('/admin/store', 303);
  });
}
