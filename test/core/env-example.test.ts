import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../core/config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const example = parse(readFileSync(path.join(root, '.env.example')));

describe('.env.example', () => {
  it('lists every setting, and nothing else', () => {
    expect(Object.keys(example).sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('is a valid configuration as it stands', () => {
    expect(() => loadConfig(example)).not.toThrow();
  });

  it('is documented in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(CONFIG_KEYS.filter((key) => !readme.includes(key))).toEqual([]);
  });
});
