import type { DatabaseTx } from '../db/open-database.ts';
import { ACTIVE_STATES } from './claim-intents.ts';

/** An intent's place in its chat's line. */
export interface LinePlace {
  id: string;
  lane: string;
  sendAt: Date;
  enqueueSeq: bigint;
  /** Whether a send of it was interrupted (it is `SENDING` again): settled first, see FRONT_OF_LINE. */
  interrupted: boolean;
}

/** Whether `a` comes before `b` in a line: due earlier, or queued earlier at the same instant (the id settles exact ties). */
export function comesBefore(a: Omit<LinePlace, 'lane' | 'interrupted'>, b: Omit<LinePlace, 'lane' | 'interrupted'>): boolean {
  const byTime = a.sendAt.getTime() - b.sendAt.getTime();
  if (byTime !== 0) return byTime < 0;
  return a.enqueueSeq !== b.enqueueSeq ? a.enqueueSeq < b.enqueueSeq : a.id < b.id;
}

/**
 * Which of a batch's send candidates are at the front of their lines, checked in the
 * transaction that marks them SENDING (SQLite runs it under the write lock, so no other
 * dispatcher changes a line meanwhile). The claim already took only the front of each known
 * line; this settles the lines the batch itself changed: a message whose chat was found just
 * now joins that chat's line by its due time, and may find an earlier one there, or one being
 * sent. Of several candidates in one line, only the earliest can be at the front.
 */
export async function frontOfLine(tx: DatabaseTx, candidates: LinePlace[]): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const others = await tx.messageIntent.findMany({
    where: { lane: { in: [...new Set(candidates.map((c) => c.lane))] }, state: { in: [...ACTIVE_STATES] }, id: { notIn: candidates.map((c) => c.id) } },
    select: { id: true, lane: true, sendAt: true, enqueueSeq: true, state: true },
  });
  const front = new Set<string>();
  for (const candidate of candidates) {
    const ahead = (other: { lane: string | null; sendAt: Date; enqueueSeq: bigint; id: string }) =>
      other.lane === candidate.lane && other.id !== candidate.id && comesBefore(other, candidate);
    const sending = (o: { lane: string | null; id: string }, isSending: boolean) => isSending && o.lane === candidate.lane && o.id !== candidate.id;
    const blocked = others.some((o) => ahead(o) || sending(o, o.state === 'SENDING')) || candidates.some((c) => ahead(c) || sending(c, c.interrupted));
    if (candidate.interrupted || !blocked) front.add(candidate.id);
  }
  return front;
}
