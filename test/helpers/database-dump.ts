import { Prisma } from '../../core/db/generated/client.ts';
import type { Database } from '../../core/db/open-database.ts';

/** Every row of every table: model → primary key → row. */
export type DatabaseDump = Map<string, Map<string, Record<string, unknown>>>;

type AnyDelegate = { findMany(): Promise<Record<string, unknown>[]> };

/** Reads every table of the schema (all models, all columns); a row's key is its first field, the primary key in this schema. */
export async function dumpDatabase(db: Database): Promise<DatabaseDump> {
  const dump: DatabaseDump = new Map();
  for (const model of Object.values(Prisma.ModelName)) {
    const delegate = (db as unknown as Record<string, AnyDelegate>)[model.charAt(0).toLowerCase() + model.slice(1)];
    if (!delegate) throw new Error(`No delegate for model ${model}`);
    const rows = await delegate.findMany();
    dump.set(model, new Map(rows.map((row) => [String(Object.values(row)[0]), row])));
  }
  return dump;
}

/** `Model.field` of every text cell holding one of `needles` (as typed, or escaped inside a JSON string). */
export function cellsHolding(dump: DatabaseDump, needles: readonly string[]): string[] {
  const forms = [...new Set(needles.flatMap((n) => [n, JSON.stringify(n).slice(1, -1)]))];
  const found: string[] = [];
  for (const [model, rows] of dump) {
    for (const row of rows.values()) {
      for (const [field, value] of Object.entries(row)) {
        if (typeof value === 'string' && forms.some((form) => value.includes(form))) found.push(`${model}.${field}`);
      }
    }
  }
  return found;
}

/** The text cells that `after` lost or changed compared with `before`: `Model.field` and the old value. */
export function textsRemoved(before: DatabaseDump, after: DatabaseDump): { cell: string; value: string }[] {
  const removed: { cell: string; value: string }[] = [];
  for (const [model, rows] of before) {
    for (const [key, row] of rows) {
      const now = after.get(model)?.get(key);
      for (const [field, value] of Object.entries(row)) {
        if (typeof value === 'string' && value !== '' && now?.[field] !== value) removed.push({ cell: `${model}.${field}`, value });
      }
    }
  }
  return removed;
}

/** Every string anywhere in a JSON value. */
export function stringsOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => stringsOf(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => stringsOf(v, into));
  return into;
}
