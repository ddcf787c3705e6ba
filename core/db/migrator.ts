import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm';
import { sqliteFilePath } from './database-url.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where the committed migrations live, in Prisma's format. */
export const MIGRATIONS_DIR = path.join(projectRoot, 'prisma/migrations');
/** The schema the migrations must agree with. */
export const SCHEMA_PATH = path.join(projectRoot, 'prisma/schema.prisma');

const noFilters = { externalTables: [], externalEnums: [] };
let wasmReady: Promise<void> | undefined;

/**
 * Instantiates Prisma's schema engine compiled to WebAssembly. The package entry imports
 * its .wasm as an ES module, which Node 20 only allows behind a flag, so we instantiate it
 * ourselves. Done once per process.
 */
function loadEngineWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmBytes = await readFile(path.join(path.dirname(bindingsPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(wasmBytes, {
      './schema_engine_bg.js': engineBindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as { __wbindgen_start: () => void };
    engineBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (freeing alone leaves them open, holding locks). */
  close(): Promise<void>;
}

/** Opens Prisma's schema engine on the SQLite database behind `databaseUrl` (created if missing). */
async function openSchemaEngine(databaseUrl: string, schema: string): Promise<OpenEngine> {
  await loadEngineWasm();
  const factory = new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl) });
  const connections: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => track(await factory.connectToShadowDb()),
  };
  function track(connection: SqlDriverAdapter): SqlDriverAdapter {
    connections.push(connection);
    return connection;
  }
  const log = (): void => {};
  const engine = (await engineBindings.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  )) as SchemaEngine;
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(connections.map((c) => c.dispose()));
    },
  };
}

async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        ),
      },
    })),
  );
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine<T>(databaseUrl: string, use: (engine: SchemaEngine, schema: string) => Promise<T>): Promise<T> {
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  const { engine, close } = await openSchemaEngine(databaseUrl, schema);
  try {
    return await use(engine, schema);
  } finally {
    await close();
  }
}

/**
 * Applies every committed migration not yet applied to the database, recording them in
 * Prisma's `_prisma_migrations` table. Returns the names applied now.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withEngine(databaseUrl, async (engine) => {
    const result = await engine.applyMigrations({
      migrationsList: await readMigrationList(),
      filters: noFilters,
    });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that takes the (migrated) database to `schema.prisma`; empty when they agree.
 * Used to create the next migration and by the drift test.
 */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  return withEngine(databaseUrl, async (engine, schema) => {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: SCHEMA_PATH, content: schema }], configDir: projectRoot },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}
