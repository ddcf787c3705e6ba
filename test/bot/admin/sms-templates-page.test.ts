// The SMS column of /admin/templates: each kind's approved template (code, text, which variable
// fills each parameter), checked against the kind when saved; the survey kinds have it too; a
// kind without one says it is not sent by SMS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followRedirect, signIn } from '../../helpers/admin-session.ts';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { openSms, type SmsTestbed } from '../../helpers/test-sms.ts';

let t: TestApp;
let session: string;

beforeEach(async () => {
  t = await createTestApp();
  session = await signIn(t, t.setup.adminStaffId);
});
afterEach(async () => {
  await t.close();
});

const form = async (app: TestApp['app'], url: string, fields: Record<string, string>, cookie = session) =>
  followRedirect(app, await app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, cookies: { sc_staff: cookie } }), cookie);
const column = (body: string, kind: string) => body.slice(body.indexOf(`data-sms-template="${kind}"`), body.indexOf('</section>', body.indexOf(`data-sms-template="${kind}"`)));

describe('the SMS column of the templates page', () => {
  it('shows every kind, surveys included, as not sent by SMS until a template is saved', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/admin/templates', cookies: { sc_staff: session } });
    expect(page.body.match(/data-sms-template="/g)).toHaveLength(12);
    expect(column(page.body, 'visit_survey')).toContain('未设置，不通过短信发送');
    expect(column(page.body, 'visit_survey')).toContain('http://showroom.test/s/${code}');
    expect(column(page.body, 'birthday_greeting')).toContain('回T退订');
    expect(page.body).toContain('短信渠道尚未开启');
  });

  it('saves a template that fits its kind, audited, and refuses one that does not, keeping what was typed', async () => {
    const saved = await form(t.app, '/admin/templates/visit_thanks/sms', { templateCode: 'SMS_465100001', text: '尊敬的${name}，感谢您今天光临${store}！', params: 'name=honorific\nstore=storeName' });
    expect(saved.statusCode).toBe(200);
    expect(column(saved.body, 'visit_thanks')).toContain('模板 SMS_465100001');
    expect(await t.ctx.db.smsTemplate.findFirstOrThrow()).toMatchObject({ kind: 'visit_thanks', params: '{"name":"honorific","store":"storeName"}' });
    expect(await t.ctx.db.auditEntry.count({ where: { action: 'sms_template.saved' } })).toBe(1);

    const refused = await form(t.app, '/admin/templates/visit_thanks/sms', { templateCode: 'SMS_465100001', text: '尊敬的${name}，您的车${model}已到店', params: 'name=honorific\nmodel=model' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('到店感谢的短信模板未保存（参数对应）');
    expect(refused.body).toContain('model is not a variable of visit_thanks');
    expect(column(refused.body, 'visit_thanks')).toContain('您的车${model}已到店');
    expect(await t.ctx.db.smsTemplate.findFirstOrThrow()).toMatchObject({ text: '尊敬的${name}，感谢您今天光临${store}！' });
  });

  it('removes a kind\'s template: it is not sent by SMS any more', async () => {
    await form(t.app, '/admin/templates/visit_thanks/sms', { templateCode: 'SMS_465100001', text: '感谢您今天光临${store}！', params: 'store=storeName' });
    const removed = await form(t.app, '/admin/templates/visit_thanks/sms/delete', {});
    expect(removed.body).toContain('不再通过短信发送');
    expect(await t.ctx.db.smsTemplate.count()).toBe(0);
    expect((await form(t.app, '/admin/templates/no_such_kind/sms', {})).statusCode).toBe(404);
  });

  it('holds templates to the running provider\'s style (Tencent: {1}, numeric codes)', async () => {
    let sms: SmsTestbed | null = null;
    try {
      sms = await openSms(t, { mode: 'tencent' });
      const aliyunStyle = await form(sms.app, '/admin/templates/visit_thanks/sms', { templateCode: 'SMS_465100001', text: '感谢您今天光临${store}！', params: 'store=storeName' });
      expect(aliyunStyle.statusCode).toBe(400);
      expect(aliyunStyle.body).toContain('like 1850001');
      const tencentStyle = await form(sms.app, '/admin/templates/visit_thanks/sms', { templateCode: '1850001', text: '感谢您今天光临{1}！', params: '1=storeName' });
      expect(tencentStyle.statusCode).toBe(200);
      expect(tencentStyle.body).not.toContain('短信渠道尚未开启');
    } finally {
      await sms?.close();
    }
  });
});
