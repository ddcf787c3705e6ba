import { ConfigError, loadConfig, parseSettings, CONFIG_KEYS, type Config } from '../core/config.ts';
import { CHANNEL_MODULES } from './channels/channel-catalog.ts';
import type { ChannelModule } from './channels/channel-module.ts';

/** A channel module with its settings, read from the environment. */
export interface ConfiguredChannel {
  module: ChannelModule;
  settings: Parameters<ChannelModule['open']>[0];
}

/** Every setting the program reads: the core's, and each channel's. */
export interface Settings {
  config: Config;
  channels: ConfiguredChannel[];
}

/**
 * Reads the core's settings and each channel module's from the environment (merged with .env).
 * Throws one ConfigError that names every bad variable, whoever reads it. Pure.
 */
export function loadSettings(env: Record<string, string | undefined>, modules: readonly ChannelModule[] = CHANNEL_MODULES): Settings {
  const problems: string[] = [];
  let config: Config | null = null;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const channels: ConfiguredChannel[] = [];
  for (const module of modules) {
    const parsed = parseSettings(module.settings, env);
    if (parsed.ok) channels.push({ module, settings: parsed.value });
    else problems.push(...parsed.problems);
  }
  if (problems.length > 0 || config === null) throw new ConfigError(problems);
  return { config, channels };
}

/** The names of every setting (documented in .env.example and the README). */
export function settingKeys(modules: readonly ChannelModule[] = CHANNEL_MODULES): string[] {
  return [...CONFIG_KEYS, ...modules.flatMap((module) => Object.keys(module.settings.shape))];
}
