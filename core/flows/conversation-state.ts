import type { Locale } from '../config.ts';
import type { RegistrationState } from '../registration/registration-flow.ts';

/** A chat with no flow running: after an opt-out, or before any entry point. */
export interface IdleState {
  flow: 'idle';
  locale: Locale;
  /** The last QR source the chat came from, so "restart" knows where to start. */
  sourceCode?: string;
  /** Set when the customer opted out here, so a repeated "TD" is not confirmed twice. */
  optedOut?: boolean;
  /** When a proven chat asked to erase its customer's data (ISO 8601): "确认删除" within 10 minutes carries it out. */
  erasureAskedAt?: string;
}

/** Every flow a conversation can be in; stored as JSON in Conversation.state. */
export type ConversationState = RegistrationState | IdleState;
