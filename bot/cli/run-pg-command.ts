import { spawn } from 'node:child_process';
import type { PgCommand } from '../../core/db/backup.ts';

/** Runs the command, its output passed through; rejects with what failed (not found, or its exit code). */
export function runPgCommand(command: PgCommand): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.program, command.args, { env: { ...process.env, ...command.env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(error.code === 'ENOENT' ? `${command.program} is not installed here: install PostgreSQL's client programs (Debian: apt-get install postgresql-client) or run the command on a machine that has them.` : error.message));
    });
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command.program} failed (exit ${code}): ${command.printable}`))));
  });
}
