import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../../../core/clock.ts';
import { loadConfig } from '../../../core/config.ts';
import { openDatabase, type Database } from '../../../core/db/open-database.ts';
import { registerCustomer } from '../../../core/registration/register-customer.ts';
import { parseRegistrationRequest } from '../../../core/registration/registration-request.ts';
import { ensureFirstStart } from '../../../core/setup/first-start.ts';
import { createTestDatabase, testDatabaseDialect, type TestDatabase } from '../../helpers/test-database.ts';

const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
let database: TestDatabase;
let holder: ChildProcess | undefined;
let db: Database | undefined;

/** Another process takes SQLite's write lock and keeps it for `holdMs` before committing. */
async function holdWriteLock(file: string, holdMs: number): Promise<ChildProcess> {
  const script = `
    const Database = require(${JSON.stringify(betterSqlite3)});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    db.exec("INSERT INTO DealerGroup (id, name, createdAt) VALUES ('other-process', 'x', '2026-01-01T00:00:00.000+00:00')");
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); process.exit(0); }, ${holdMs});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('locked')) resolve(); });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return child;
}

const request = parseRegistrationRequest({ source: 'showroom', name: '张伟', phone: '13812345678', modelOfInterest: 'not_sure', heardFrom: 'walk_in', serviceConsent: true });
const origin = { channel: 'WEB' as const, surface: 'api', locale: 'zh-CN' as const };
const clock = new FixedClock('2026-11-22T02:00:00Z');

afterEach(async () => {
  holder?.kill('SIGKILL');
  await db?.$disconnect();
  await database.close();
});

// SQLite's own locking; PostgreSQL has row locks and no database-wide write lock to wait for.
describe.runIf(testDatabaseDialect() === 'sqlite')('SQLite busy', () => {
  it('waits for another process\'s write lock and then commits the registration', async () => {
    database = await createTestDatabase();
    db = await openDatabase(database.url);
    await ensureFirstStart(db, clock, loadConfig({}));
    holder = await holdWriteLock(database.url.slice('file:'.length), 300);
    const result = await registerCustomer(db, clock, request, origin);
    expect(result.status).toBe('created');
    expect(await db.customer.count()).toBe(1);
    expect(await db.dealerGroup.count({ where: { id: 'other-process' } })).toBe(1);
  });

  it('fails the request, leaving nothing, when the lock outlasts the busy timeout; nothing acknowledged is lost', async () => {
    database = await createTestDatabase();
    db = await openDatabase(database.url, 100);
    await ensureFirstStart(db, clock, loadConfig({}));
    holder = await holdWriteLock(database.url.slice('file:'.length), 1500);
    await expect(registerCustomer(db, clock, request, origin)).rejects.toThrow(/busy|locked|timed out/i);
    await new Promise<void>((resolve) => holder?.on('exit', () => resolve()));
    expect(await db.customer.count()).toBe(0);
    const retried = await registerCustomer(db, clock, request, origin);
    expect(retried.status).toBe('created');
    expect(await db.customer.count()).toBe(1);
    expect(await db.voucher.count()).toBe(1);
  });
});
