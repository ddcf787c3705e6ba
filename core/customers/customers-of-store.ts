import type { Prisma } from '../db/generated/client.ts';

/**
 * Customers belong to the dealer group; a store's customers are those who visited it, ordered
 * there, or are its leads (a lead who phoned in, an imported customer). The filter every
 * store-scoped customer lookup uses.
 */
export function customersOfStore(storeId: string): Prisma.CustomerWhereInput {
  return { OR: [{ visits: { some: { storeId } } }, { orders: { some: { storeId } } }, { leads: { some: { storeId } } }] };
}
