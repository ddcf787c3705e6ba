import type { Clock } from '../../../../core/clock.ts';
import type { Database } from '../../../../core/db/open-database.ts';
import type { InboundDeps } from '../../../../core/inbound/inbound-context.ts';
import type { InboxAdapter } from '../../../../core/inbound/inbox-adapter.ts';
import type { Logger } from '../../../../core/logger.ts';
import type { WecomApiClient } from '../wecom-api-client.ts';
import { kfEntryLink } from './kf-entry-links.ts';
import { kfInboxAdapter } from './kf-inbox-adapter.ts';
import { KfSender } from './kf-sender.ts';
import { KfSync, type KfSyncPoint } from './kf-sync.ts';

/** What the WeCom channel gives the 微信客服 part. */
export interface WecomKfDeps {
  /** A client made with the Secret of an app allowed to call 微信客服 (微信客服 → 可调用接口的应用). */
  api: WecomApiClient;
  db: Database;
  clock: Clock;
  logger: Logger;
  /** The core's inbound dependencies: entering a kf chat is handled at once (see kf-welcome.ts). */
  inbound: InboundDeps;
  /** The 微信客服 account (open_kfid) customers chat with. */
  openKfId: string;
  /** To call after storing updates in the durable inbox, so the inbox worker looks at once. */
  onStored(): void;
  /** Test hook: throwing here simulates a crash in the middle of kf/sync_msg paging. */
  onSyncPoint?(point: KfSyncPoint): void;
  /** Messages per kf/sync_msg page (default 1000, WeCom's maximum). */
  syncPageSize?: number;
}

/** The 微信客服 pieces the WeCom channel composes. */
export interface WecomKf {
  /**
   * The outbox's sender for `kf:` addresses of the WECOM channel. The channel's sender routes
   * those here (see `routeKfAddresses`); its `reachNow` declares each kf chat's window.
   */
  readonly sender: KfSender;
  /** Reads the kf rows of the durable inbox (WECOM rows whose chat id starts with `kf:`). */
  readonly inbox: InboxAdapter;
  /**
   * For the callback endpoint, on a `kf_msg_or_event` callback: pulls the new messages with the
   * callback's token. Answer WeCom first (it wants an answer within 5 s) and call this after.
   * It rejects when a pull fails (log it): the next callback pulls again from the stored cursor.
   */
  onKfEvent(token: string, openKfId: string): Promise<void>;
  /** The kf link that opens the chat at a QR source (made once, then cached in the database). */
  entryLink(sourceCode: string): Promise<string>;
}

/** Builds the 微信客服 pieces; nothing runs until the callback calls `onKfEvent`. */
export function createWecomKf(deps: WecomKfDeps): WecomKf {
  const sync = new KfSync({ ...deps, ...(deps.onSyncPoint ? { onPoint: deps.onSyncPoint } : {}), ...(deps.syncPageSize ? { pageSize: deps.syncPageSize } : {}) });
  return {
    sender: new KfSender(deps),
    inbox: kfInboxAdapter(deps),
    onKfEvent: (token, openKfId) => sync.pull(token, openKfId),
    entryLink: (sourceCode) => kfEntryLink(deps, sourceCode),
  };
}
