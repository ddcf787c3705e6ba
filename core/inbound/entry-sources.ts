import type { Locale } from '../config.ts';
import type { DatabaseTx } from '../db/open-database.ts';
import type { OutboundMessage } from '../messages.ts';
import { inboundTexts } from './inbound-texts.ts';
import { sourcePayload, startCommand } from './start-payload.ts';

/** Each store's entry: its first active QR source, oldest store first. */
async function entrySources(tx: DatabaseTx): Promise<{ code: string; storeName: string }[]> {
  const sources = await tx.qrSource.findMany({ where: { active: true }, include: { store: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.storeId) && seen.add(s.storeId)).map((s) => ({ code: s.code, storeName: s.store.name }));
}

/** The entry source of the only store, when there is just one (a start without a source then simply starts there). */
export async function onlyStoreSource(tx: DatabaseTx): Promise<string | null> {
  const sources = await entrySources(tx);
  return sources.length === 1 ? (sources[0]?.code ?? null) : null;
}

/** Asks which store to register at: one choice per store, each starting at its entry source when tapped. */
export async function storeChoice(tx: DatabaseTx, locale: Locale): Promise<OutboundMessage> {
  const sources = await entrySources(tx);
  return {
    kind: 'text',
    text: [inboundTexts(locale).chooseStore, ...sources.map((s) => `· ${s.storeName}`)].join('\n'),
    choices: sources.map((s) => ({ label: s.storeName, value: startCommand(sourcePayload(s.code)) })),
  };
}
