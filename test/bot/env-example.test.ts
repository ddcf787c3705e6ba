import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { loadSettings, settingKeys } from '../../bot/settings.ts';

const root = path.resolve(import.meta.dirname, '../..');
const example = parse(readFileSync(path.join(root, '.env.example')));

describe('.env.example', () => {
  it('lists every setting (the core\'s and each channel\'s), and nothing else', () => {
    expect(Object.keys(example).sort()).toEqual(settingKeys().sort());
  });

  it('is a valid configuration as it stands', () => {
    expect(() => loadSettings(example)).not.toThrow();
  });

  it('is documented in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(settingKeys().filter((key) => !readme.includes(key))).toEqual([]);
  });
});
