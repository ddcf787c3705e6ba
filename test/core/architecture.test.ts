import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const FORBIDDEN_IN_CORE = /from\s+['"](grammy|@grammyjs\/[^'"]*|wechaty[^'"]*|@wecom\/[^'"]*|fastify|@fastify\/[^'"]*|hono|express|playwright-core)['"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('generated') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('architecture', () => {
  it('keeps channel SDKs and the HTTP framework out of core/', () => {
    const offenders = sourceFiles(path.join(root, 'core')).filter((file) => FORBIDDEN_IN_CORE.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('has no side effects at import time in core/ (no process.on, no reading process.env)', () => {
    const offenders = sourceFiles(path.join(root, 'core')).filter((file) => /process\.(on|env)\b/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
