import type { Locale } from '../config.ts';

/** The one confirmation a customer gets after stopping all messages. */
export function optOutConfirmation(locale: Locale): string {
  return locale === 'en'
    ? 'Done: you will not receive any more messages from us. To hear from us again, reply "restart" or contact the store.'
    : '已为您退订，今后不会再向您发送任何消息。如需恢复，回复"重新开始"或联系门店即可。';
}
