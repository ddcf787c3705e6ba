import type { Database } from '../db/open-database.ts';

/**
 * A `LIKE … ESCAPE '\'` pattern that matches `text` anywhere, literally: `%`, `_` and `\` in
 * what staff typed are escaped. Prisma's `contains` escapes nothing (prisma/prisma#19506) and
 * SQLite's LIKE has no escape character unless the statement names one, so the search below
 * says `ESCAPE '\'` itself; that clause is standard SQL and means the same on PostgreSQL.
 */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The ids of the store's customers whose name contains `text` (case-insensitive for Latin
 * letters), by name, at most `limit`. "The store's customers" is the rule of
 * {@link customersOfStore}: they visited it or ordered there.
 */
export async function storeCustomerIdsNamed(db: Database, storeId: string, text: string, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Customer" c
    WHERE lower(c."name") LIKE lower(${likeContaining(text)}) ESCAPE '\\'
      AND (EXISTS (SELECT 1 FROM "Visit" v WHERE v."customerId" = c."id" AND v."storeId" = ${storeId})
        OR EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = c."id" AND o."storeId" = ${storeId})
        OR EXISTS (SELECT 1 FROM "Lead" l WHERE l."customerId" = c."id" AND l."storeId" = ${storeId}))
    ORDER BY c."name", c."id"
    LIMIT ${limit}`;
  return rows.map((row) => row.id);
}
