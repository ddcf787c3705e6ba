import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { SettingsSchema } from '../../core/config.ts';
import type { Database } from '../../core/db/open-database.ts';
import type { InboundDeps } from '../../core/inbound/inbound-context.ts';
import type { InboxAdapter } from '../../core/inbound/inbox-adapter.ts';
import type { Logger } from '../../core/logger.ts';
import type { ChannelName } from '../../core/messages.ts';
import type { ChannelSender } from '../../core/outbox/channel-port.ts';
import type { DailyWindow } from '../../core/outbox/send-window.ts';
import type { CalendarJob } from '../../core/scheduler/calendar-job.ts';
import type { PhoneProof, ProofMethod } from '../../core/registration/phone-proof.ts';
import type { AppContext } from '../app-context.ts';
import type { SafeHtml } from '../http/html.ts';

/** Start-up could not connect a channel: the message says what the operator should check. */
export class ChannelSetupError extends Error {
  constructor(readonly channelLabel: string, message: string) {
    super(message);
    this.name = 'ChannelSetupError';
  }
}

/** What a channel module gets to open itself. */
export interface ChannelDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** What handling inbound messages needs (the default locale, for one). */
  inbound: InboundDeps;
  /** Base of the links the program hands out, without a trailing slash. */
  publicBaseUrl: string;
  /** To call after storing updates in the durable inbox, so the inbox worker looks at once. */
  onStored(): void;
  /** The store whose admins are told when a channel fails while running (e.g. its token is revoked). */
  alertStoreId: string;
}

/** What a channel hands out, known before it runs (so the admin pages can say what an off channel would offer). */
export interface ChannelOffers {
  /** A link, and a QR code of it, per QR source: a deep link into the channel. */
  entryLinks: boolean;
  /** One-time staff invitations that link a chat on the channel to a staff member. */
  staffInvitations: boolean;
}

/**
 * A channel as the program knows it, configured or not: one entry of
 * bot/channels/channel-catalog.ts. Adding a channel (WeCom, SMS) is one more module.
 */
export interface ChannelModule<S extends SettingsSchema = SettingsSchema> {
  readonly channel: ChannelName;
  /** Its name on the admin pages and in the start-up lines. */
  readonly label: string;
  /** Its own settings: environment variables, validated like the core's and listed in .env.example. */
  readonly settings: S;
  readonly offers: ChannelOffers;
  /**
   * How to switch it on while it is off: for start-up's line and API answers (`howToEnable`),
   * and for the admin pages (`setupHint`, Chinese like them); null when it is always on.
   */
  readonly whenOff: { howToEnable: string; setupHint: SafeHtml } | null;
  /**
   * Connects the channel (checking its credentials), or null when its settings leave it off.
   * Throws ChannelSetupError for what the operator must fix.
   */
  open(settings: z.infer<S>, deps: ChannelDeps): Promise<OpenChannel | null>;
}

/** One line start-up prints: `  <label>: <value>`. */
export interface StatusLine {
  label: string;
  value: string;
}

/** A link that redeems a staff invitation, and how the staff member uses it. */
export interface InvitationLink {
  url: string;
  howTo: string;
}

/** One kind of link a channel hands out per QR source: a deep link, a kf link, the platform's own QR code… */
export interface EntryLink {
  /** Its name in admin URLs (`/admin/qr-codes/<code>/<name>.png`): web, telegram, wecom, wecom-kf. */
  readonly name: string;
  /** Its column on /admin/qr-codes. */
  readonly label: string;
  /** True when the link is the platform's own QR code image (WeCom's 「联系我」), shown and downloaded as it is. */
  readonly isQrImage?: boolean;
  /** What the admin must do when the link cannot be made yet (shown instead of it). */
  readonly unavailableHint?: string;
  /**
   * The link that opens the channel at a QR source (printed as its QR code). May be made on the
   * platform on first use; null when it cannot be made yet (e.g. nobody it would reach is linked).
   */
  link(sourceCode: string): string | Promise<string | null>;
}

/**
 * A channel's part of handing a leaving consultant's customers to a colleague
 * (core/staff/customer-handover.ts), where the platform ties customers to an employee (WeCom 客户继承).
 */
export interface CustomerHandoverPart {
  /** Why the customers cannot be moved between these two consultants on this channel (for the page); null when they can or there is nothing to move. */
  refusal(fromStaffId: string, toStaffId: string): Promise<string | null>;
  /** Starts or resumes moving the handover's customers; idempotent. A line for the page, or null when the channel has nothing to move. */
  run(handoverId: string): Promise<string | null>;
}

/** A channel that runs. */
export interface OpenChannel {
  readonly channel: ChannelName;
  readonly label: string;
  /** Its side of the outbox. */
  readonly sender: ChannelSender;
  /**
   * Reads what its intake stores in the durable inbox; null when its messages are requests
   * that wait for their answer (the web chat hands them to core itself).
   */
  readonly inbox: InboxAdapter | null;
  /** One-time codes to a phone number, when the channel can send them (SMS with a verification template). */
  readonly phoneProof?: PhoneProof;
  /** Adds its HTTP routes (pages, APIs, webhooks); called before the server listens. */
  registerRoutes(app: FastifyInstance, ctx: AppContext): void;
  /** Starts taking messages in (long polling, setting its webhook); called once the server listens. */
  start(): Promise<void>;
  /** Stops taking messages in; what was taken in is in the inbox already. Start may follow again. */
  stop(): Promise<void>;
  /**
   * Whether its intake may run on one instance only at a time (Telegram long polling: Telegram
   * answers a second poller 409); several instances on one database then hand it over by a lease.
   */
  readonly intakeOnOneInstance?: boolean;
  /** The links it hands out per QR source, each a column of /admin/qr-codes; absent when it has none. */
  readonly entryLinks?: readonly EntryLink[];
  /** Its part of a consultant's handover; absent when its customers are not tied to an employee. */
  readonly customerHandover?: CustomerHandoverPart;
  /**
   * Who a personal registration link's token (`/r/<code>?w=<token>`) binds the registration to:
   * the customer's identity on this channel, the consultant, and how the token proves the chat is
   * the person's (recorded on the identity; it does not prove the phone number); null for a token
   * it did not sign.
   */
  registrationBinding?(token: unknown): { chatId: string; consultantId: string | null; proof: ProofMethod } | null;
  /** The link that redeems a staff invitation on this channel; absent when it has no invitations. */
  invitationLink?(token: string): InvitationLink;
  /**
   * Staff are linked by typing their account id on /admin/staff (a WeCom userid), rather than by
   * an invitation; absent when the channel has no such accounts.
   */
  readonly staffAccounts?: {
    label: string;
    placeholder: string;
    /** The platform's members to pick from (id and name); empty when it cannot say. */
    directory?(): Promise<{ id: string; name: string }[]>;
  };
  /** Its own calendar jobs for a store (WeCom: creating and checking one-tap template tasks); absent when it has none. */
  calendarJobs?(store: { id: string; timeZone: string; staffHours: DailyWindow }): CalendarJob[];
  /** Its part of the outbox admin page (WeCom: which one-tap sends were confirmed); absent when it has none. */
  outboxSection?(storeId: string, timeZone: string): Promise<SafeHtml>;
  /** What start-up prints for it. */
  statusLines(): StatusLine[];
}
