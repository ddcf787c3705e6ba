import { Prisma } from '../db/generated/client.ts';

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
 * SQL: whether intent `e` holds up intent `x` in their line — it is still active and is being
 * sent, or was due before `x` (by `sendAt`, then creation order, then id). `e` and `x` are table
 * aliases; `lane` is `x`'s line when it is not yet stored (a message routed by this batch). The
 * same rule as `comesBefore`, for the claim and for marking a batch `SENDING`.
 */
export function holdsUp(e: string, x: string, lane: Prisma.Sql = Prisma.raw(`"${x}"."lane"`)): Prisma.Sql {
  const [E, X] = [Prisma.raw(`"${e}"`), Prisma.raw(`"${x}"`)];
  return Prisma.sql`${E}."lane" = ${lane} AND ${E}."id" <> ${X}."id"
     AND ${E}."state" IN ('PENDING', 'SENDING', 'FAILED_RETRYING')
     AND (${E}."state" = 'SENDING' OR ${E}."sendAt" < ${X}."sendAt"
          OR (${E}."sendAt" = ${X}."sendAt" AND (${E}."enqueueSeq" < ${X}."enqueueSeq" OR (${E}."enqueueSeq" = ${X}."enqueueSeq" AND ${E}."id" < ${X}."id"))))`;
}

/**
 * Of a batch's send candidates, those that may go as far as the batch itself can tell: the
 * earliest of each line (a send that was interrupted always: it is settled first), none behind
 * an interrupted one. Whether something outside the batch holds them up is checked by the
 * statement that marks them `SENDING` (`markSendingMany`), under the database's write lock.
 */
export function firstInLine(candidates: LinePlace[]): Set<string> {
  const sorted = [...candidates].sort((a, b) => (comesBefore(a, b) ? -1 : 1));
  const first = new Set<string>();
  const taken = new Set<string>();
  for (const c of sorted.filter((s) => s.interrupted)) {
    first.add(c.id);
    taken.add(c.lane);
  }
  for (const c of sorted) {
    if (taken.has(c.lane)) continue;
    first.add(c.id);
    taken.add(c.lane);
  }
  return first;
}
