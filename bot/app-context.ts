import type { Clock } from '../core/clock.ts';
import type { Config } from '../core/config.ts';
import type { Database } from '../core/db/open-database.ts';
import type { InboundDeps } from '../core/inbound/inbound-context.ts';
import type { Logger } from '../core/logger.ts';
import { phoneProofUnavailable, type PhoneProof } from '../core/registration/phone-proof.ts';
import { registrationLimitsFrom } from '../core/registration/registration-limits.ts';
import type { ChannelModule, OpenChannel } from './channels/channel-module.ts';
import { InstanceState, instanceName } from './instance-state.ts';

/** Everything the HTTP routes and channel adapters need, built once in main.ts (or a test). */
export interface AppContext {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Base of the links printed and put in QR codes, without a trailing slash. */
  publicBaseUrl: string;
  inbound: InboundDeps;
  /** The channels that run, in the catalog's order (the web first). */
  channels: readonly OpenChannel[];
  /** The known channels their settings leave off (the admin pages say how to switch them on). */
  channelsOff: readonly ChannelModule[];
  /** SMS one-time codes that prove a number; "not available" until the SMS channel provides them. */
  phoneProof: PhoneProof;
  /** This instance's name and phase (starting, ready, stopping), for logs and `/readyz`. */
  instance: InstanceState;
}

/** What core's inbound pipeline needs, from the settings. */
export function inboundDeps(parts: Pick<AppContext, 'config' | 'db' | 'clock' | 'logger'> & { phoneProof?: PhoneProof }): InboundDeps {
  return {
    db: parts.db,
    clock: parts.clock,
    logger: parts.logger,
    ...(parts.phoneProof ? { phoneProof: parts.phoneProof } : {}),
    settings: {
      retentionMonths: parts.config.DATA_RETENTION_MONTHS,
      defaultLocale: parts.config.DEFAULT_LOCALE,
      registrationLimits: registrationLimitsFrom(parts.config),
      complaintsPerChatPerDay: parts.config.COMPLAINTS_PER_CHAT_PER_DAY,
    },
  };
}

/** Builds the context from its parts; without `instance`, one that is running already (a test's app). */
export function createAppContext(parts: Omit<AppContext, 'inbound' | 'channelsOff' | 'phoneProof' | 'instance'> & { channelsOff?: readonly ChannelModule[]; phoneProof?: PhoneProof; instance?: InstanceState }): AppContext {
  return {
    ...parts,
    channelsOff: parts.channelsOff ?? [],
    phoneProof: parts.phoneProof ?? phoneProofUnavailable,
    instance: parts.instance ?? new InstanceState(instanceName(parts.config.INSTANCE_NAME), 'ready'),
    inbound: inboundDeps(parts),
  };
}
