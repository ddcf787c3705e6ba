import type { ImportOutcome } from './run-import.ts';

/** The outcome in words (Chinese), as the command prints it and the page sums it up: every bad cell, then the counts. */
export function outcomeReport(outcome: ImportOutcome): string[] {
  const lines = [...outcome.fileProblems.map((p) => `文件：${p}`), ...outcome.problems.map((p) => `第 ${p.line} 行${p.column ? `，${p.column}` : ''}：${p.problem}`)];
  const bad = new Set(outcome.problems.map((p) => p.line)).size;
  switch (outcome.status) {
    case 'refused':
      lines.push(outcome.fileProblems.length ? '没有导入：请先改正文件的列名。' : `没有导入：${bad} 行有错（共 ${outcome.rows} 行）。改正后重新导入，或选择“跳过有错的行”（命令行 --skip-bad）只导入正确的行。`);
      break;
    case 'checked':
      lines.push(`检查完成（未写入）：共 ${outcome.rows} 行，将新增 ${outcome.imported} 位，已存在 ${outcome.alreadyThere} 位，有错 ${bad} 行。`);
      break;
    case 'imported':
      lines.push(`导入完成：共 ${outcome.rows} 行，新增 ${outcome.imported} 位，已存在未改动 ${outcome.alreadyThere} 位${bad ? `，跳过有错的 ${bad} 行` : ''}。`);
      break;
    default:
      return outcome.status satisfies never;
  }
  return lines;
}
