import type { Prisma } from '../db/generated/client.ts';

/**
 * Customers belong to the dealer group; a store's customers are those who visited it or
 * ordered there. The filter every store-scoped customer lookup uses.
 */
export function customersOfStore(storeId: string): Prisma.CustomerWhereInput {
  return { OR: [{ visits: { some: { storeId } } }, { orders: { some: { storeId } } }] };
}
