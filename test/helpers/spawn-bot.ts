import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { dialectOf, sqliteFilePath } from '../../core/db/database-url.ts';
import { scratchDatabase, type ScratchDatabase } from './test-database.ts';

/** The repository root (this file is test/helpers/spawn-bot.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(REPO_ROOT, 'bot/main.ts');
/** tsx's ESM loader, as a URL: `node --import <it>` works from any working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(path.join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

/**
 * Only these variables of the test runner's environment reach the bot; every bot setting
 * comes from the test, so a developer's shell (or vitest's own env) cannot change the result.
 */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG', 'LC_ALL'];

const POLL_MS = 50;
/**
 * How long a spawned bot may take to start (a cold `tsx` compile, migrations, first start) or
 * to stop: generous, because CI runs the suite on a loaded 2-core machine and a start there has
 * taken over 5 s. Every wait on a spawned bot's start-up or exit uses it.
 */
export const STARTUP_TIMEOUT_MS = 60_000;
/** The vitest timeout of a test that spawns bots: room for a start, a scenario and a stop. */
export const SPAWNED_TEST_TIMEOUT_MS = 3 * STARTUP_TIMEOUT_MS;

/** How the child ended. */
export interface BotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `bot/main.ts` child process. */
export interface BotProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** The working directory (its database: `botDatabaseUrl(dir)`, unless the test chose another). */
  dir: string;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, labelled: the message for a failed expectation. */
  output(): string;
  /** The exit, once it happened; null while running. */
  exited(): BotExit | null;
  /** Resolves when the process exits; rejects after `timeoutMs` (default STARTUP_TIMEOUT_MS; the process is left running). */
  waitForExit(timeoutMs?: number): Promise<BotExit>;
  /** Resolves with the first match of `pattern` in stdout; rejects on timeout or exit. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Polls `GET /` until it answers 200; rejects with the output on timeout or exit. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** SIGKILLs the process if still running and waits for it to be gone. */
  kill(): Promise<void>;
}

const running = new Set<BotProcess>();
const tempDirs = new Set<string>();
const botDatabases = new Map<string, ScratchDatabase>();

/** A port nothing listens on right now: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/**
 * A fresh, empty temporary directory (so no `.env` is found) and an empty database of the run's
 * engine for the bot that runs there (`botDatabaseUrl`); both removed by `cleanUpBots`.
 */
export async function makeBotDir(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-bot-'));
  tempDirs.add(dir);
  botDatabases.set(dir, await scratchDatabase(dir, { empty: true }));
  return dir;
}

/** The database of the bot in `dir` (made by `makeBotDir`): empty until the bot starts and migrates it. */
export function botDatabaseUrl(dir: string): string {
  const database = botDatabases.get(dir);
  if (!database) throw new Error(`${dir} was not made by makeBotDir(): it has no database`);
  return database.url;
}

/** Whether the bot in `dir` created its database (SQLite: the file; PostgreSQL: the migrated tables). */
export async function botDatabaseCreated(dir: string): Promise<boolean> {
  const url = botDatabaseUrl(dir);
  if (dialectOf(url) === 'sqlite') return existsSync(sqliteFilePath(url));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ migrated: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS migrated`);
    return rows[0]?.migrated === true;
  } finally {
    await client.end();
  }
}

/** The isolating settings for a bot in `dir` on `port`: its own port, host, database and no logs. */
export function isolatedEnv(dir: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: botDatabaseUrl(dir),
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  };
}

export interface SpawnBotOptions {
  /** Working directory; a fresh temporary one by default. Reuse one to restart on its database. */
  dir?: string;
  /** Port to talk to; by default `env.PORT` if that is a number, else a free one. */
  port?: number;
  /** Settings; default `isolatedEnv(dir, port)`. Given settings replace the defaults entirely. */
  env?: Record<string, string>;
}

/**
 * Starts `node --import tsx <repo>/bot/main.ts` as a child process in its own directory.
 * Does not wait for readiness: call `waitUntilReady()` (or `waitForExit` for a failed start).
 */
export async function spawnBot(options: SpawnBotOptions = {}): Promise<BotProcess> {
  const dir = options.dir ?? (await makeBotDir());
  const envPort = Number(options.env?.PORT);
  const port = options.port ?? (Number.isInteger(envPort) && envPort > 0 ? envPort : await freePort());
  const inherited = Object.fromEntries(PASSED_THROUGH.flatMap((key) => (process.env[key] === undefined ? [] : [[key, process.env[key]]])));
  const env = { ...inherited, ...(options.env ?? isolatedEnv(dir, port)) };
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });

  let out = '';
  let err = '';
  let exit: BotExit | null = null;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exitPromise = new Promise<BotExit>((resolve) => {
    // 'close' (not 'exit'): all output has been read by then.
    child.once('close', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', (error) => {
      err += `\n[spawn error] ${error.message}`;
      exit = { code: null, signal: null };
      resolve(exit);
    });
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  const output = () => `bot in ${dir} on port ${port}, exit ${JSON.stringify(exit)}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`;

  const bot: BotProcess = {
    child, port, baseUrl, dir,
    stdout: () => out,
    stderr: () => err,
    output,
    exited: () => exit,

    async waitForExit(timeoutMs = STARTUP_TIMEOUT_MS) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`bot did not exit within ${timeoutMs} ms\n${output()}`)), timeoutMs);
      });
      try {
        return await Promise.race([exitPromise, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async waitForStdout(pattern, timeoutMs = STARTUP_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(pattern);
        if (match) return match;
        if (exit) throw new Error(`bot exited before printing ${pattern}\n${output()}`);
        if (Date.now() > deadline) throw new Error(`bot did not print ${pattern} within ${timeoutMs} ms\n${output()}`);
        await delay(POLL_MS);
      }
    },

    async waitUntilReady(timeoutMs = STARTUP_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      let last = 'no answer yet';
      for (;;) {
        if (exit) throw new Error(`bot exited before answering GET / (last: ${last})\n${output()}`);
        try {
          const response = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(2_000) });
          await response.arrayBuffer();
          if (response.status === 200) return;
          last = `HTTP ${response.status}`;
        } catch (error) {
          last = (error as Error).cause ? String((error as Error).cause) : String(error);
        }
        if (Date.now() > deadline) throw new Error(`bot did not answer GET / with 200 within ${timeoutMs} ms (last: ${last})\n${output()}`);
        await delay(POLL_MS);
      }
    },

    async kill() {
      if (!exit) {
        child.kill('SIGKILL');
        await exitPromise;
      }
      running.delete(bot);
    },
  };
  running.add(bot);
  void exitPromise.then(() => running.delete(bot));
  return bot;
}

/** Starts a bot and waits until it serves `GET /`; kills it if it does not. */
export async function startBot(options: SpawnBotOptions = {}): Promise<BotProcess> {
  const bot = await spawnBot(options);
  try {
    await bot.waitUntilReady();
  } catch (error) {
    await bot.kill();
    throw error;
  }
  return bot;
}

/** Kills every bot still running (for afterEach). */
export async function killAllBots(): Promise<void> {
  await Promise.all([...running].map((bot) => bot.kill()));
}

/** Kills every bot and removes the temporary directories (for afterAll). */
export async function cleanUpBots(): Promise<void> {
  await killAllBots();
  for (const database of botDatabases.values()) await database.dispose();
  botDatabases.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 50 ms until it holds; throws with the bot's output after STARTUP_TIMEOUT_MS. */
export async function until(condition: () => boolean, what: string, output: () => string): Promise<void> {
  for (const deadline = Date.now() + STARTUP_TIMEOUT_MS; Date.now() < deadline;) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${what} did not happen within ${STARTUP_TIMEOUT_MS} ms\n${output()}`);
}
