// `npm run backup` and `npm run restore` as an operator runs them (issue #15), on each engine:
// a customer registers with a running bot, a backup is taken while it runs (SQLite's online
// backup; PostgreSQL's pg_dump), restored into a fresh file or database, and a bot started on
// the copy knows the customer (the same number again is held for the desk, not given a second
// gift) and has their registration and the gift's stock as they were.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dialect } from '../../core/db/database-url.ts';
import { openDatabase } from '../../core/db/open-database.ts';
import { createDatabase, dropDatabase, testPostgresUrl } from '../../core/db/postgres-databases.ts';
import { cleanUpBots, freePort, REPO_ROOT, SPAWNED_TEST_TIMEOUT_MS, startBot, STARTUP_TIMEOUT_MS, TSX_LOADER } from '../helpers/spawn-bot.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-backup-'));
const server = testPostgresUrl(process.env);
const databases: string[] = [];
afterAll(async () => {
  await cleanUpBots();
  for (const name of databases) await dropDatabase(server, name);
  rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(dialect: Dialect, label: string): Promise<string> {
  if (dialect === 'sqlite') return `file:${path.join(dir, `${label}-${randomBytes(3).toString('hex')}.db`)}`;
  const name = `showroom_backup_${label}_${randomBytes(4).toString('hex')}`;
  databases.push(name);
  return createDatabase(server, name);
}

/** Runs `npm run <script>`'s program in `dir` with DATABASE_URL (and nothing else of the test's environment that could change it). */
async function run(script: 'backup' | 'restore', databaseUrl: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TSX_LOADER, path.join(REPO_ROOT, `bot/cli/${script}.ts`), ...args], { cwd: dir, env, timeout: STARTUP_TIMEOUT_MS });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function bot(databaseUrl: string) {
  const port = await freePort();
  return startBot({ dir, port, env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
}

const register = (baseUrl: string) => fetch(`${baseUrl}/api/registrations`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: '城市SUV', heardFrom: 'walk_in', companions: [], serviceConsent: true, marketingConsent: false }),
}).then(async (response) => ({ status: response.status, body: (await response.json()) as { reference: string; voucher: string } }));

describe.each<Dialect>(['sqlite', 'postgresql'])('backup and restore on %s', (dialect) => {
  it('backs up a running bot, restores into a fresh database, and a bot started on it has the data', { timeout: SPAWNED_TEST_TIMEOUT_MS }, async () => {
    const live = await freshDatabase(dialect, 'live');
    const running = await bot(live);
    const first = await register(running.baseUrl);
    expect(first).toMatchObject({ status: 201, body: { voucher: 'issued' } });

    const backup = await run('backup', live, ['--dir', 'backups']);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const file = /Backed up to (\S+)/.exec(backup.stdout)?.[1] ?? '';
    expect(path.basename(file)).toMatch(dialect === 'sqlite' ? /^showroom-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db$/ : /^showroom-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.dump$/);
    expect(existsSync(path.join(dir, file))).toBe(true);
    if (dialect === 'postgresql') expect(backup.stdout).toMatch(/^pg_dump --format=custom /m);
    running.child.kill('SIGTERM');
    await running.waitForExit();

    const copy = await freshDatabase(dialect, 'copy');
    const restored = await run('restore', copy, [file]);
    expect(restored.code, restored.stderr).toBe(0);
    const again = await run('restore', copy, [file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(dialect === 'sqlite' ? /exists: stop every instance/ : /already holds a database/);

    const db = await openDatabase(copy);
    try {
      expect(await db.registration.findUnique({ where: { id: first.body.reference } })).not.toBeNull();
      expect((await db.gift.findFirstOrThrow()).stockLeft).toBe(199);
    } finally {
      await db.$disconnect();
    }
    const onCopy = await bot(copy);
    expect(await register(onCopy.baseUrl)).toMatchObject({ status: 201, body: { voucher: 'confirm_at_desk' } });
    onCopy.child.kill('SIGTERM');
    expect((await onCopy.waitForExit()).code).toBe(0);
  });
});
