import type { Database } from '../db/open-database.ts';
import type { IntentState } from '../db/generated/enums.ts';
import { countIntentsByState, listOpenAlerts, listOpenTasks, type ProblemIntent } from './outbox-admin.ts';

/** The keys the problem list sorts by. */
export const PROBLEM_SORTS = ['updatedAt', 'kind', 'state', 'attempts'] as const;
export type ProblemSort = (typeof PROBLEM_SORTS)[number];

/** Which page of the problem list, sorted how. */
export interface ProblemListQuery {
  sort: ProblemSort;
  descending: boolean;
  page: number;
  pageSize: number;
}

/** The outbox of one store as its page shows it. */
export interface OutboxOverview {
  timeZone: string;
  counts: Record<IntentState, number>;
  /** Dead and unknown messages: the page asked for, and how many there are in all. */
  problems: ProblemIntent[];
  problemTotal: number;
  tasks: Awaited<ReturnType<typeof listOpenTasks>>;
  alerts: Awaited<ReturnType<typeof listOpenAlerts>>;
}

const PROBLEM = { state: { in: ['DEAD', 'UNKNOWN'] as IntentState[] } };

/** Reads a store's outbox: counts by state, a sorted page of the messages that need someone, tasks to forward by hand, open alerts. */
export async function readOutboxOverview(
  db: Database,
  storeId: string,
  list: ProblemListQuery,
): Promise<OutboxOverview> {
  const direction = list.descending ? 'desc' : 'asc';
  const [store, counts, problems, problemTotal, tasks, alerts] = await Promise.all([
    db.store.findUniqueOrThrow({ where: { id: storeId }, select: { timeZone: true } }),
    countIntentsByState(db, storeId),
    db.messageIntent.findMany({
      where: { storeId, ...PROBLEM },
      orderBy: [{ [list.sort]: direction }, { id: direction }],
      skip: (list.page - 1) * list.pageSize,
      take: list.pageSize,
      select: {
        id: true,
        kind: true,
        dedupeKey: true,
        state: true,
        channel: true,
        attempts: true,
        lastError: true,
        updatedAt: true,
      },
    }),
    db.messageIntent.count({ where: { storeId, ...PROBLEM } }),
    listOpenTasks(db, storeId),
    listOpenAlerts(db, storeId),
  ]);
  return { timeZone: store.timeZone, counts, problems, problemTotal, tasks, alerts };
}
