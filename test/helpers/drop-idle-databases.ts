import { afterAll } from 'vitest';
import { dropIdleDatabases } from './postgres-test-databases.ts';

// A setup file: after each test file, drop the PostgreSQL databases its tests kept for reuse.
afterAll(dropIdleDatabases);
