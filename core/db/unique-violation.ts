import { Prisma } from './generated/client.ts';

/** Whether a write failed because a row with the same unique key exists (Prisma P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
