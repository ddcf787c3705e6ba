import { z } from 'zod';
import { DEFAULT_SOURCE_CODE } from '../../../core/setup/first-start.ts';
import type { ChannelDeps, ChannelModule, OpenChannel } from '../channel-module.ts';
import { registerChatApi } from './chat-api.ts';
import { registerChatPage } from './chat-page.ts';
import { registerPosterPage } from './poster-page.ts';
import { registerRegistrationApi } from './registration-api.ts';
import { registerRegistrationPage } from './registration-page.ts';
import { WebChatPresence } from './web-chat-presence.ts';
import { WebChatSender } from './web-chat-sender.ts';

/** The web channel has no settings of its own: it is the embedded default and always runs. */
const webSettings = z.object({});

/**
 * The web channel: the showroom poster, the H5 registration form and the web chat, served by
 * this program itself. Its messages are requests that wait for their answer, so it hands them
 * to core directly (chat-api.ts) rather than through the inbox worker.
 */
export const webChannelModule: ChannelModule<typeof webSettings> = {
  channel: 'WEB',
  label: '网页',
  settings: webSettings,
  offers: { entryLinks: true, staffInvitations: false },
  whenOff: null,
  async open(_settings, deps) {
    return openWebChannel(deps);
  },
};

/** The web channel, open: it needs no connection, so tests and benchmarks open it directly. */
export function openWebChannel(deps: Pick<ChannelDeps, 'db' | 'clock' | 'publicBaseUrl'>): OpenChannel {
  const { publicBaseUrl } = deps;
  const presence = new WebChatPresence(deps.clock);
  return {
    channel: 'WEB',
    label: '网页',
    sender: new WebChatSender(deps.db, deps.clock, presence),
    inbox: null,
    registerRoutes(app, ctx) {
      registerPosterPage(app, ctx);
      registerRegistrationPage(app, ctx);
      registerChatPage(app, ctx);
      registerRegistrationApi(app, ctx);
      registerChatApi(app, ctx, presence);
    },
    async start() { /* the HTTP server is its intake */ },
    async stop() { /* closed with the HTTP server */ },
    entryLinks: [{ name: 'web', label: '网页', link: (code) => `${publicBaseUrl}/r/${code}` }],
    statusLines: () => [
      { label: 'Registration form (H5)', value: `${publicBaseUrl}/r/${DEFAULT_SOURCE_CODE}` },
      { label: 'Web chat', value: `${publicBaseUrl}/chat/${DEFAULT_SOURCE_CODE}` },
    ],
  };
}
