// The WeCom members the staff page offers to pick from: user/list_id for the userids, user/get
// for each name. Read at most every few minutes (WeCom rate-limits the directory), at most
// MAX_MEMBERS of them (a showroom has tens of staff), and empty when the app may not read the
// directory: typing the userid always works.
import type { Clock } from '../../../core/clock.ts';
import type { Logger } from '../../../core/logger.ts';
import type { WecomApiClient } from './wecom-api-client.ts';

/** One member to pick: userid and name. */
export interface DirectoryMember {
  id: string;
  name: string;
}

const MAX_MEMBERS = 200;
const CACHE_MS = 10 * 60_000;

/** A cached reader of the corp's members. */
export function wecomDirectory(api: Pick<WecomApiClient, 'listUserIds' | 'getUser'>, clock: Clock, logger: Logger): () => Promise<DirectoryMember[]> {
  let cached: { at: number; members: DirectoryMember[] } | null = null;
  return async () => {
    const now = clock.now().getTime();
    if (cached && now - cached.at < CACHE_MS) return cached.members;
    try {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listUserIds({ ...(cursor ? { cursor } : {}), limit: 1000 });
        for (const pair of page.dept_user) if (!ids.includes(pair.userid)) ids.push(pair.userid);
        cursor = page.next_cursor || undefined;
      } while (cursor && ids.length < MAX_MEMBERS);
      const members = await Promise.all(ids.slice(0, MAX_MEMBERS).map(async (id) => ({ id, name: (await api.getUser(id)).name ?? id })));
      cached = { at: now, members };
      return members;
    } catch (error) {
      logger.warn({ err: error }, 'could not read the WeCom directory; staff userids can still be typed');
      return [];
    }
  };
}
