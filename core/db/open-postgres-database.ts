import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated-postgres/client.ts';
import type { Database } from './open-database.ts';
import { POSTGRES_TRANSACTIONS, serializableTransactions } from './serializable-transactions.ts';

/**
 * Opens the PostgreSQL database through Prisma's pg driver adapter (a pool of connections) and
 * checks that it answers. Its client is generated from prisma/postgres/schema.prisma, rendered
 * from the same models as SQLite's, so the application keeps one `Database` type (SQLite's
 * client): the model API is the same; the generated types differ only in provider options the
 * application does not use (isolation levels other than SERIALIZABLE, case-insensitive `mode`),
 * which is why TypeScript needs the cast. Its transactions are serializable, as SQLite's are
 * (see `serializableTransactions`).
 */
export async function openPostgresDatabase(databaseUrl: string): Promise<Database> {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }), transactionOptions: POSTGRES_TRANSACTIONS }) as unknown as Database;
  await db.$queryRaw`SELECT 1`;
  return serializableTransactions(db);
}
