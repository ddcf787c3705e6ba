import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/** One table to export: a sheet in an XLSX, a section in a CSV. */
export interface ExportTable {
  /** Sheet name (Excel allows ≤ 31 characters and none of `\ / ? * [ ] :`). */
  name: string;
  title: string;
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

/** A file to hand to the browser. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export type ExportFormat = 'xlsx' | 'csv';

const sheetName = (name: string, used: Set<string>): string => {
  const base = name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate); i += 1) candidate = `${base.slice(0, 28)}(${i})`;
  used.add(candidate);
  return candidate;
};

/**
 * The tables as an XLSX workbook, one sheet each: a bold header row (Chinese column names),
 * frozen below it, then the rows; numbers stay numbers, texts are text cells (never formulas,
 * whatever they start with).
 */
export async function toXlsx(tables: readonly ExportTable[], filename: string): Promise<ExportFile> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Showroom Concierge';
  const used = new Set<string>();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.name, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.columns).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    table.columns.forEach((column, i) => {
      const widest = Math.max(column.length * 2, ...table.rows.slice(0, 200).map((r) => String(r[i] ?? '').length * 1.6));
      sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, Math.ceil(widest)));
    });
  }
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename: `${filename}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body };
}

/**
 * The tables as one CSV, UTF-8 with a BOM (so Excel reads Chinese right): a single table is a
 * plain header row and rows; several are written one after another, each under a line with its
 * title, separated by an empty line. Formula-like cells are escaped.
 */
export function toCsv(tables: readonly ExportTable[], filename: string): ExportFile {
  const records: Array<Array<string | number | null>> = [];
  tables.forEach((table, i) => {
    if (tables.length > 1) {
      if (i > 0) records.push([]);
      records.push([table.title]);
    }
    records.push(table.columns, ...table.rows);
  });
  const text = stringify(records, { bom: true, escape_formulas: true });
  return { filename: `${filename}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(text, 'utf8') };
}

/** The tables in the asked format. */
export function exportTables(tables: readonly ExportTable[], format: ExportFormat, filename: string): Promise<ExportFile> {
  return format === 'xlsx' ? toXlsx(tables, filename) : Promise.resolve(toCsv(tables, filename));
}
