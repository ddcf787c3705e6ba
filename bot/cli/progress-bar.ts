import type { ImportProgress } from '../../core/customers/import/run-import.ts';

const PHASES: Record<ImportProgress['phase'], string> = { reading: '读取文件', checking: '检查', writing: '写入', done: '完成' };
const WIDTH = 30;

/** One line of a text progress bar: `写入 [##########--------------------]  33% 16,500/50,000`. */
export function progressLine(progress: ImportProgress): string {
  const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : progress.phase === 'done' ? 1 : 0;
  const filled = Math.round(share * WIDTH);
  const count = progress.total > 0 ? ` ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')}` : '';
  return `${PHASES[progress.phase]} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%${count}`;
}

/**
 * A progress reporter for a terminal: redraws one line in place (on a TTY), or prints a line per
 * phase and every 10% (in a log), so a pipe is not flooded.
 */
export function terminalProgress(stream: NodeJS.WriteStream): (progress: ImportProgress) => void {
  let last = '';
  return (progress) => {
    const line = progressLine(progress);
    if (stream.isTTY) {
      stream.write(`\r${line}${progress.phase === 'done' ? '\n' : ''}`);
      return;
    }
    const step = `${progress.phase}:${progress.total > 0 ? Math.floor((progress.done / progress.total) * 10) : 0}`;
    if (step !== last) stream.write(`${line}\n`);
    last = step;
  };
}
