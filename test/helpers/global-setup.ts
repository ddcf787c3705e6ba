import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations } from '../../core/db/migrator.ts';

/**
 * Migrates one template database for the whole run; each test file copies it (fast) instead
 * of migrating its own.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'showroom-test-'));
  const template = path.join(dir, 'template.db');
  await applyMigrations(`file:${template}`);
  project.provide('templateDatabase', template);
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
