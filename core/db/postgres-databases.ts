import pg from 'pg';

/** Where `npm run db:migration` and the tests create scratch databases, unless TEST_POSTGRES_URL says otherwise. */
export const DEFAULT_TEST_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

/** The server URL for scratch databases: TEST_POSTGRES_URL, else the local default. */
export function testPostgresUrl(env: Record<string, string | undefined>): string {
  return env.TEST_POSTGRES_URL?.trim() || DEFAULT_TEST_POSTGRES_URL;
}

/** `serverUrl` pointed at database `name` instead (same host, user, options). */
export function databaseUrlFor(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function identifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: "${name}"`);
  return `"${name}"`;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach the PostgreSQL server at ${new URL(serverUrl).host} (set TEST_POSTGRES_URL): ${(error as Error).message}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` on the server behind `serverUrl` (a copy of `template` if given:
 * PostgreSQL copies it file by file, far faster than migrating again) and returns its URL.
 */
export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${identifier(name)}${template ? ` TEMPLATE ${identifier(template)}` : ''}`));
  return databaseUrlFor(serverUrl, name);
}

/** Drops database `name` if it exists, closing the sessions still connected to it. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${identifier(name)} WITH (FORCE)`));
}
