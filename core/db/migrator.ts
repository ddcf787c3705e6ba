import { readFile, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as engineBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm';
import { CharAsTextClient } from './char-as-text-client.ts';
import { dialectOf, sqliteFilePath, type Dialect } from './database-url.ts';
import { PROJECT_ROOT, schemaFiles } from './schema-files.ts';

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

/** The driver adapter the engine reaches the database through. */
function adapterFactory(dialect: Dialect, databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  if (dialect === 'sqlite') return new PrismaBetterSqlite3({ url: sqliteFilePath(databaseUrl) });
  return new PrismaPg({ connectionString: databaseUrl, Client: CharAsTextClient, max: 2 });
}

/** Opens Prisma's schema engine with `dialect`'s schema on the database behind `databaseUrl` (SQLite: created if missing). */
async function openSchemaEngine(dialect: Dialect, databaseUrl: string, schema: string): Promise<OpenEngine> {
  await loadEngineWasm();
  const factory = adapterFactory(dialect, databaseUrl);
  const connections: SqlDriverAdapter[] = [];
  // Only the main database: the shadow-database paths (a `migrations` diff, createMigration) are
  // never taken; adapter-pg would create its shadow database beside the main one and leave it.
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: () => Promise.reject(new Error('the migrator never uses a shadow database')),
  };
  function track(connection: SqlDriverAdapter): SqlDriverAdapter {
    connections.push(connection);
    return connection;
  }
  const log = (): void => {};
  const engine = (await engineBindings.SchemaEngine.new(
    { datamodels: [[schemaFiles(dialect).schemaPath, schema]] },
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

/** The committed migrations of `dialect`, by folder name, in order. */
export async function committedMigrations(dialect: Dialect): Promise<string[]> {
  const entries = await readdir(schemaFiles(dialect).migrationsDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

async function readMigrationList(dialect: Dialect): Promise<MigrationList> {
  const { migrationsDir } = schemaFiles(dialect);
  const dirs = await committedMigrations(dialect);
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        ),
      },
    })),
  );
  const lockContent = await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

async function withEngine<T>(databaseUrl: string, use: (engine: SchemaEngine, dialect: Dialect, schema: string) => Promise<T>): Promise<T> {
  const dialect = dialectOf(databaseUrl);
  const schema = await readFile(schemaFiles(dialect).schemaPath, 'utf8');
  const { engine, close } = await openSchemaEngine(dialect, databaseUrl, schema);
  try {
    return await use(engine, dialect, schema);
  } finally {
    await close();
  }
}

/**
 * Applies every committed migration of the database's dialect not yet applied to it,
 * recording them in Prisma's `_prisma_migrations` table. Returns the names applied now.
 */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withEngine(databaseUrl, async (engine, dialect) => {
    const result = await engine.applyMigrations({
      migrationsList: await readMigrationList(dialect),
      filters: noFilters,
    });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that takes the (migrated) database to its dialect's schema file; empty when they
 * agree. Used to create the next migration and by the drift test.
 */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  return withEngine(databaseUrl, async (engine, dialect, schema) => {
    const { schemaPath } = schemaFiles(dialect);
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schema }], configDir: PROJECT_ROOT },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  });
}
