import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** A file that cannot be read as a table: `message` says what to do (Chinese). */
export class ImportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFileError';
  }
}

/** The table in a file: its header row and its data rows, every cell as text (trimmed). */
export interface ImportTable {
  header: string[];
  rows: string[][];
}

/** At most this many data rows in one file. */
export const MAX_IMPORT_ROWS = 200_000;

/**
 * Reads a CSV or an XLSX file (by its name's ending) into text cells. CSV is read as UTF-8 (with
 * or without BOM) when it is valid UTF-8, otherwise as GB18030 — the superset of GBK, which is
 * what Excel in China saves "CSV" as. XLSX is read from its first worksheet: dates become
 * YYYY-MM-DD, numbers their plain digits (a phone number stored as a number included).
 */
export async function readImportFile(bytes: Buffer, fileName: string): Promise<ImportTable> {
  const lower = fileName.toLowerCase();
  const table = lower.endsWith('.xlsx') ? await readXlsx(bytes) : lower.endsWith('.csv') ? readCsv(bytes) : null;
  if (!table) throw new ImportFileError(`不支持的文件“${fileName}”：请上传 .csv 或 .xlsx 文件（Excel 里“另存为”即可；.xls 请先另存为 .xlsx）。`);
  const [header = [], ...rows] = table.filter((row) => row.some((cell) => cell !== ''));
  if (header.length === 0) throw new ImportFileError('文件是空的：第一行应是列名（姓名、手机号……），从第二行起每行一位客户。');
  if (rows.length > MAX_IMPORT_ROWS) throw new ImportFileError(`文件有 ${rows.length} 行，超过一次最多 ${MAX_IMPORT_ROWS} 行：请分成几个文件导入。`);
  return { header, rows };
}

function decodeCsv(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

function readCsv(bytes: Buffer): string[][] {
  const text = decodeCsv(bytes);
  if (text.includes('\uFFFD')) throw new ImportFileError('文件里有无法识别的字符：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”或“Excel 工作簿（.xlsx）”后再导入。');
  try {
    return (parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][]).map((row) => row.map((cell) => cell.trim()));
  } catch (error) {
    throw new ImportFileError(`CSV 格式有误（${(error as Error).message.slice(0, 120)}）：请检查引号是否成对，或在 Excel 中另存为 .xlsx 再导入。`);
  }
}

async function readXlsx(bytes: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('无法读取这个 .xlsx 文件：请确认它是 Excel 工作簿（不是改了后缀的其他文件），或另存为 CSV UTF-8 再导入。');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('这个 Excel 文件没有工作表。');
  const rows: string[][] = [];
  const columns = sheet.columnCount; // computed over the whole sheet each time it is read: once
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= columns; c += 1) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

/** An XLSX cell as text: dates as YYYY-MM-DD (Excel stores them as local dates, read as UTC), formulas by their result, rich text by its text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('text' in value) return String(value.text).trim();
    return '';
  }
  return String(value).trim();
}
