// The cloud SMS SDKs stay inside the SMS channel adapter (bot/channels/sms/): nowhere in core/,
// nowhere else in bot/. test/core/architecture.test.ts does the same for the other channel SDKs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const SMS_SDK = /from\s+['"](@alicloud\/[^'"]*|@darabonba\/[^'"]*|tencentcloud-sdk-nodejs[^'"]*)['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture: SMS SDKs', () => {
  it('are imported only by bot/channels/sms/', () => {
    const allowed = path.join(root, 'bot/channels/sms') + path.sep;
    const offenders = [...sourceFiles(path.join(root, 'core')), ...sourceFiles(path.join(root, 'bot'))]
      .filter((file) => !file.startsWith(allowed) && SMS_SDK.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('are really used there (the rule above guards something)', () => {
    const adapters = sourceFiles(path.join(root, 'bot/channels/sms')).filter((file) => SMS_SDK.test(readFileSync(file, 'utf8')));
    expect(adapters.map((f) => path.basename(f)).sort()).toEqual(['aliyun-sms-provider.ts', 'tencent-sms-provider.ts']);
  });
});
