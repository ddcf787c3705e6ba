import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/test-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ STORE_NAME: '星河<汽车>4S店', STORE_CAR_MODELS: 'Model "A",SUV B' });
});
afterEach(async () => {
  await t.close();
});

describe('web pages', () => {
  it('GET / shows the poster with a QR code of the registration link on PUBLIC_BASE_URL', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<svg');
    expect(response.body).toContain('http://showroom.test/r/showroom');
    expect(response.body).toContain('星河&#60;汽车&#62;4S店');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('GET /r/showroom is a mobile form listing the store models, with marketing unticked', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/r/showroom' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('name="viewport"');
    expect(response.body).toContain('<option value="Model &#34;A&#34;">');
    expect(response.body).toMatch(/<input type="checkbox" name="marketingConsent">/);
    expect(response.body).toContain('个人信息告知');
  });

  it('GET /chat/showroom is the web chat', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/chat/showroom?lang=en' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('web-chat.js');
    expect(response.body).toContain('lang="en"');
  });

  it.each(['/r/unknown', '/chat/unknown', '/?source=unknown'])('%s is a friendly 404', async (url) => {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('二维码无效');
  });

  it('serves the scripts and stylesheet', async () => {
    for (const file of ['style.css', 'registration-form.js', 'web-chat.js']) {
      expect((await t.app.inject({ method: 'GET', url: `/assets/${file}` })).statusCode).toBe(200);
    }
    expect((await t.app.inject({ method: 'GET', url: '/assets/../main.ts' })).statusCode).toBe(404);
  });
});
