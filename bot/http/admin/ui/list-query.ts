import { z } from 'zod';

/** How a list is asked for: sorted by which key, which way, which page. */
export interface ListQuery {
  sort: string;
  descending: boolean;
  page: number;
}

/** A page of a list: how many rows a page holds and how many there are in all. */
export interface ListPage {
  pageSize: number;
  total: number;
}

/**
 * The sort and page of a list from the query string (`?sort=…&dir=desc&page=2`): an unknown sort
 * key falls back to the list's default, a page below 1 or not a number to 1.
 */
export function listQuerySchema<const K extends string>(
  sortKeys: readonly K[],
  defaults: { sort: K; descending: boolean },
) {
  return z
    .object({
      sort: z
        .unknown()
        .optional()
        .transform((v): K => (sortKeys.includes(v as K) ? (v as K) : defaults.sort)),
      dir: z
        .unknown()
        .optional()
        .transform((v) => (v === 'asc' ? false : v === 'desc' ? true : null)),
      page: z
        .unknown()
        .optional()
        .transform((v) => {
          const n = typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 1;
          return Math.max(1, n);
        }),
    })
    .transform(({ sort, dir, page }) => ({
      sort,
      descending: dir ?? (sort === defaults.sort ? defaults.descending : false),
      page,
    }));
}

/** The query string of a list page, keeping the page's own parameters (a search…) beside the sort and page. */
export function listHref(path: string, keep: Record<string, string>, query: ListQuery): string {
  const params = new URLSearchParams({
    ...keep,
    sort: query.sort,
    dir: query.descending ? 'desc' : 'asc',
    page: String(query.page),
  });
  return `${path}?${params.toString()}`;
}
