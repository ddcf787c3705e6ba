import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/**
 * The environment the bot runs with: the optional `.env` file in the working directory,
 * overridden by real environment variables.
 */
export function loadEnvironment(envFile = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(envFile) ? parse(readFileSync(envFile)) : {};
  return { ...fromFile, ...process.env };
}
