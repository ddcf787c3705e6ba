// The admin side of WeCom: staff matched to WeCom userids on /admin/staff, the 「联系我」 codes and
// 微信客服 links on /admin/qr-codes beside the other channels' links, and signing in from the WeCom
// workbench by OAuth.
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WecomApiClient } from '../../../bot/channels/wecom/wecom-api-client.ts';
import { syncContactWays } from '../../../bot/channels/wecom/wecom-contact-ways.ts';
import { signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openWecom, WECOM_TEST, type WecomTestbed } from '../../helpers/test-wecom.ts';

let t: TestApp;
let w: WecomTestbed;
let cookie: string;

beforeEach(async () => {
  t = await createTestApp();
  w = await openWecom(t, { WECOM_KF_OPEN_KFID: 'wkSTORE1' });
  w.fake.kf.addAccount('wkSTORE1', '展厅客服');
  cookie = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await w.close();
  await t.close();
});

async function consultantWithAccount(userId: string): Promise<string> {
  const staff = await t.ctx.db.staff.create({ data: { storeId: t.setup.storeId, name: '张伟', role: 'CONSULTANT' } });
  const linked = await w.app.inject({ method: 'POST', url: `/admin/staff/${staff.id}/accounts/wecom`, cookies: { sc_staff: cookie }, payload: { externalId: userId } });
  expect(linked.statusCode).toBe(303);
  return staff.id;
}

describe('WeCom on the admin pages', () => {
  it('links a staff member to the WeCom userid typed on /admin/staff, and refuses a malformed one', async () => {
    const staffId = await consultantWithAccount('zhangwei');
    expect(await t.ctx.db.staffChannelLink.findMany({ where: { staffId } })).toMatchObject([{ channel: 'WECOM', externalId: 'zhangwei' }]);
    w.fake.app.setDirectory([{ userid: 'lina', name: '李娜', department: [1] }, { userid: 'zhangwei', name: '张伟', department: [1, 2] }]);
    const page = await w.app.inject({ method: 'GET', url: '/admin/staff', cookies: { sc_staff: cookie } });
    expect(page.body).toContain('value="zhangwei"');
    // The picker: the directory's members (user/list_id + user/get) as the input's suggestions.
    expect(page.body).toMatch(/<datalist id="accounts-wecom"><option value="lina">李娜<\/option><option value="zhangwei">张伟<\/option><\/datalist>/);
    const bad = await w.app.inject({ method: 'POST', url: `/admin/staff/${staffId}/accounts/wecom`, cookies: { sc_staff: cookie }, payload: { externalId: 'has spaces <b>' } });
    expect(bad.statusCode).toBe(400);
  });

  it('shows each QR source\'s contact-me code once a consultant is linked, made once and kept', async () => {
    const before = await w.app.inject({ method: 'GET', url: '/admin/qr-codes', cookies: { sc_staff: cookie } });
    expect(before.body).toContain('企业微信账号');
    await consultantWithAccount('zhangwei');
    for (let i = 0; i < 2; i += 1) {
      const page = await w.app.inject({ method: 'GET', url: '/admin/qr-codes', cookies: { sc_staff: cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(w.fake.contacts.contactWays[0]?.qrCode ?? 'no contact way');
    }
    expect(w.fake.contacts.contactWays).toHaveLength(1);
    const download = await w.app.inject({ method: 'GET', url: '/admin/qr-codes/showroom/wecom.png', cookies: { sc_staff: cookie } });
    expect(download.statusCode).toBe(302);
    expect(download.headers.location).toBe(w.fake.contacts.contactWays[0]?.qrCode);
  });

  it('keeps a printed contact-me code adding the right consultants: on-duty changes, a source handed to a colleague', async () => {
    const api = new WecomApiClient({ corpId: WECOM_TEST.corpId, secret: WECOM_TEST.secret, apiBase: w.apiBase, clock: t.clock });
    const zhang = await consultantWithAccount('zhangwei');
    const own = await t.ctx.db.qrSource.create({ data: { code: 'zhang-card', label: '张伟名片', channel: 'WEB', storeId: t.setup.storeId, consultantId: zhang, campaignId: (await t.ctx.db.qrSource.findFirstOrThrow({ where: { code: 'showroom' } })).campaignId } });
    await w.app.inject({ method: 'GET', url: '/admin/qr-codes', cookies: { sc_staff: cookie } });
    const way = (code: string) => w.fake.contacts.contactWays.find((c) => c.state === code);
    expect(way('showroom')).toMatchObject({ single: false, users: ['zhangwei'] });
    expect(way('zhang-card')).toMatchObject({ single: true, users: ['zhangwei'] });
    expect(await syncContactWays(t.ctx.db, api)).toBe(0);
    const li = await consultantWithAccount('lina');
    await t.ctx.db.qrSource.update({ where: { id: own.id }, data: { consultantId: li } }); // as a handover moves it
    expect(await syncContactWays(t.ctx.db, api)).toBe(2);
    expect(way('showroom')).toMatchObject({ users: ['lina', 'zhangwei'] });
    expect(way('zhang-card')).toMatchObject({ single: true, users: ['lina'] });
    await t.ctx.db.staff.update({ where: { id: zhang }, data: { onDuty: false } });
    await syncContactWays(t.ctx.db, api);
    expect(way('showroom')?.users).toEqual(['lina']);
    expect(w.fake.contacts.contactWays).toHaveLength(2); // the same codes: what is printed keeps working
    expect(w.fake.violations).toEqual([]);
  });

  it('shows each QR source\'s 微信客服 link as a QR code, downloadable as PNG and SVG, made once per source', async () => {
    const page = async () => (await w.app.inject({ method: 'GET', url: '/admin/qr-codes', cookies: { sc_staff: cookie } })).body;
    const first = await page();
    expect(first).toMatch(/<th[^>]*>微信客服链接<\/th>/);
    const link = w.fake.kf.links[0];
    expect(link).toMatchObject({ openKfId: 'wkSTORE1', scene: 'showroom' });
    const url = link?.url ?? 'no kf link';
    expect(first).toContain(`<a href="${url}">${url}</a>`);
    expect(first).toContain((await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })).slice(0, 200));
    expect(first).toContain('href="/admin/qr-codes/showroom/wecom-kf.png" download');
    await page();
    expect(w.fake.kf.links).toHaveLength(1);
    const png = await w.app.inject({ method: 'GET', url: '/admin/qr-codes/showroom/wecom-kf.png', cookies: { sc_staff: cookie } });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['content-disposition']).toBe('attachment; filename="wecom-kf-showroom.png"');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const svg = await w.app.inject({ method: 'GET', url: '/admin/qr-codes/showroom/wecom-kf.svg', cookies: { sc_staff: cookie } });
    expect(svg.body).toBe(await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    expect((await w.app.inject({ method: 'GET', url: '/admin/qr-codes/nowhere/wecom-kf.png', cookies: { sc_staff: cookie } })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: '/admin/qr-codes/showroom/wecom-kf.png' })).statusCode).not.toBe(200);
    expect(w.fake.kf.links).toHaveLength(1);
    expect(w.fake.violations).toEqual([]);
  });

  it('signs a linked member in from the workbench by OAuth, and refuses a forged state or an unlinked member', async () => {
    await consultantWithAccount('zhangwei');
    const start = await w.app.inject({ method: 'GET', url: '/admin/wecom/oauth' });
    expect(start.statusCode).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(authorize.origin + authorize.pathname).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(authorize.searchParams.get('appid')).toBe(WECOM_TEST.corpId);
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://showroom.test/admin/wecom/oauth/callback');
    const state = authorize.searchParams.get('state') ?? '';
    const stateCookie = start.cookies.find((c) => c.name === 'sc_wecom_oauth')?.value ?? '';
    const back = (code: string, s = state) => w.app.inject({ method: 'GET', url: `/admin/wecom/oauth/callback?code=${code}&state=${s}`, cookies: { sc_wecom_oauth: stateCookie } });
    expect((await back(w.fake.app.issueOAuthCode({ userid: 'zhangwei' }), 'forged')).statusCode).toBe(400);
    expect((await back(w.fake.app.issueOAuthCode({ userid: 'stranger' }))).statusCode).toBe(403);
    const signedIn = await back(w.fake.app.issueOAuthCode({ userid: 'zhangwei' }));
    expect(signedIn.statusCode).toBe(302);
    const login = await w.app.inject({ method: 'GET', url: String(signedIn.headers.location) });
    expect(login.statusCode).toBe(302);
    expect(login.cookies.find((c) => c.name === 'sc_staff')?.value).toMatch(/\S/);
  });
});
