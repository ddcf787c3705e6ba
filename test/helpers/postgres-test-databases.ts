import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, databaseUrlFor, dropDatabase, testPostgresUrl } from '../../core/db/postgres-databases.ts';

/**
 * PostgreSQL databases for the tests of one file (vitest runs each file in its own process).
 * Creating a database from the template takes about half a second, and most tests want a fresh
 * one, so a database a test has closed is kept and emptied for the next test of the same file
 * (a few milliseconds); `dropIdleDatabases` removes them when the file is done.
 */
const idle: string[] = [];
let resetScript: Promise<string> | undefined;

/**
 * Test databases skip waiting for the disk at commit: the server never crashes in a test, and
 * what a commit guarantees to other sessions is unchanged.
 */
function testUrl(server: string, name: string): string {
  const url = new URL(databaseUrlFor(server, name));
  url.searchParams.set('options', '-c synchronous_commit=off');
  return url.toString();
}

/** A migrated database of the run (`prefix…`), copied from `template` or emptied after an earlier test. */
export async function takeMigratedDatabase(template: string, prefix: string): Promise<{ url: string; release(): void }> {
  const server = testPostgresUrl(process.env);
  let name = idle.pop();
  if (name) {
    await onDatabase(testUrl(server, name), async (client) => {
      await dropTriggers(client);
      await client.query(await (resetScript ??= buildResetScript(client)));
    });
  } else {
    name = `${prefix}${randomBytes(6).toString('hex')}`;
    await createDatabase(server, name, template);
  }
  const taken = name;
  return { url: testUrl(server, taken), release: () => void idle.push(taken) };
}

/** An empty database of the run, for tests of migrating and starting from nothing. */
export async function createEmptyDatabase(prefix: string): Promise<{ url: string; remove(): Promise<void> }> {
  const server = testPostgresUrl(process.env);
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  await createDatabase(server, name);
  return { url: testUrl(server, name), remove: () => dropDatabase(server, name) };
}

/** Drops the databases kept for reuse (after the file's last test). */
export async function dropIdleDatabases(): Promise<void> {
  const server = testPostgresUrl(process.env);
  for (const name of idle.splice(0)) await dropDatabase(server, name);
}

async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops the triggers a test added (to make writes fail): the template has none. */
async function dropTriggers(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ drop: string }>(
    `SELECT format('DROP TRIGGER %I ON %s', t.tgname, t.tgrelid::regclass) AS drop FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace`);
  for (const { drop } of rows) await client.query(drop);
}

/**
 * Deletes every row but the migration history, children before parents (foreign keys), and
 * restarts the sequences, in one transaction: the database is as the template left it.
 */
async function buildResetScript(client: pg.Client): Promise<string> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT format('%I', tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`);
  const { rows: keys } = await client.query<{ child: string; parent: string }>(
    `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`);
  const { rows: sequences } = await client.query<{ name: string }>(
    `SELECT format('%I', sequencename) AS name FROM pg_sequences WHERE schemaname = current_schema()`);
  const order: string[] = [];
  const left = new Set(tables.map((t) => t.name));
  while (left.size > 0) {
    const leaves = [...left].filter((t) => !keys.some((k) => k.parent === t && k.child !== t && left.has(k.child)));
    if (leaves.length === 0) throw new Error(`foreign keys form a cycle among ${[...left].join(', ')}: empty them another way`);
    for (const t of leaves) {
      order.push(t);
      left.delete(t);
    }
  }
  return ['BEGIN;', ...order.map((t) => `DELETE FROM ${t};`), ...sequences.map((s) => `ALTER SEQUENCE ${s.name} RESTART;`), 'COMMIT;'].join('\n');
}
