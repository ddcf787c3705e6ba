import { stringify } from 'csv-stringify/sync';
import { exportToJson, type PersonalDataExport } from './export-personal-data.ts';

type Cell = string | number | boolean | null;

/** A JSON value as one CSV cell: nested values as JSON. */
function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Walks the export into (section, record, field, value) rows: one row per field of every record. */
function rowsOf(section: string, value: unknown, out: Cell[][]): void {
  if (Array.isArray(value)) {
    value.forEach((record: unknown, index) => fieldsOf(section, index + 1, record, out));
  } else if (value && typeof value === 'object' && section === 'mentionedIn') {
    for (const [key, nested] of Object.entries(value)) rowsOf(`${section}.${key}`, nested, out);
  } else if (value && typeof value === 'object') {
    fieldsOf(section, 1, value, out);
  } else {
    out.push(['export', 1, section, cell(value)]);
  }
}

function fieldsOf(section: string, record: number, value: unknown, out: Cell[][]): void {
  for (const [field, fieldValue] of Object.entries(value as Record<string, unknown>)) out.push([section, record, field, cell(fieldValue)]);
}

/**
 * The export as one CSV table in long form (`section,record,field,value`), so every section fits
 * one sheet: UTF-8 with a BOM (spreadsheets then read Chinese right), RFC 4180 quoting, and cells
 * that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`…) prefixed with `'`.
 */
export function exportToCsv(data: PersonalDataExport): string {
  // Through JSON first: the CSV holds exactly what the JSON export holds.
  const plain = JSON.parse(exportToJson(data)) as Record<string, unknown>;
  const rows: Cell[][] = [];
  for (const [section, value] of Object.entries(plain)) rowsOf(section, value, rows);
  return stringify(rows, { header: true, columns: ['section', 'record', 'field', 'value'], bom: true, escape_formulas: true, cast: { boolean: (b) => String(b) } });
}
