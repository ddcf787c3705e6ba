import type { Clock } from '../clock.ts';
import { storeCustomerIdsNamed } from '../customers/customers-named.ts';
import { customersOfStore } from '../customers/customers-of-store.ts';
import { normalizePhone } from '../customers/phone.ts';
import type { Database } from '../db/open-database.ts';
import type { Prisma } from '../db/generated/client.ts';
import { hasCustomerAddress } from '../journeys/journey-message.ts';
import type { Principal } from '../staff/authorization.ts';

/** How many customers a search shows at most. */
export const ORDER_SEARCH_RESULTS = 20;

const customerInclude = (storeId: string) =>
  ({
    orders: { where: { storeId }, include: { consultant: true }, orderBy: { deliveryAt: 'desc' } },
  }) satisfies Prisma.CustomerInclude;

export type OrdersCustomer = Prisma.CustomerGetPayload<{ include: ReturnType<typeof customerInclude> }>;
export type OrderAuditEntry = Prisma.AuditEntryGetPayload<{ include: { actor: true } }>;

/** Which customers the orders page shows: those a search finds (phone in any format, or name), or one customer (after an action on them). */
export type OrdersLookup = { query: string } | { customerId: string };

/** What the orders page shows. */
export interface OrdersDesk {
  store: { name: string; timeZone: string; hasAddress: boolean };
  now: Date;
  /** The store's car models (suggested in the new-order form) and active consultants. */
  models: string[];
  consultants: { id: string; name: string }[];
  /** Null when nothing was looked up yet (an empty search). */
  customers: OrdersCustomer[] | null;
  /** Per order id, its audit trail, oldest first. */
  audit: Map<string, OrderAuditEntry[]>;
}

async function findCustomers(db: Database, storeId: string, lookup: OrdersLookup): Promise<OrdersCustomer[] | null> {
  let where: Prisma.CustomerWhereInput;
  if ('customerId' in lookup) where = { id: lookup.customerId };
  else if (lookup.query === '') return null;
  else {
    const phone = normalizePhone(lookup.query);
    // A name is matched literally: % and _ are not wildcards.
    where = phone
      ? { phone }
      : { id: { in: await storeCustomerIdsNamed(db, storeId, lookup.query, ORDER_SEARCH_RESULTS) } };
  }
  return db.customer.findMany({
    where: { AND: [customersOfStore(storeId), where] },
    include: customerInclude(storeId),
    orderBy: { name: 'asc' },
    take: ORDER_SEARCH_RESULTS,
  });
}

/** Reads the orders page of the actor's store: the customers looked up with their orders and each order's audit trail, the models and consultants to choose from. */
export async function readOrdersDesk(
  db: Database,
  clock: Clock,
  actor: Principal,
  lookup: OrdersLookup,
): Promise<OrdersDesk> {
  const storeId = actor.storeId;
  const [store, customers, consultants] = await Promise.all([
    db.store.findUniqueOrThrow({
      where: { id: storeId },
      include: { carModels: { where: { active: true }, orderBy: { sortOrder: 'asc' } } },
    }),
    findCustomers(db, storeId, lookup),
    db.staff.findMany({
      where: { storeId, active: true, role: 'CONSULTANT' },
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
    }),
  ]);
  const orderIds = (customers ?? []).flatMap((c) => c.orders.map((o) => o.id));
  const entries =
    orderIds.length === 0
      ? []
      : await db.auditEntry.findMany({
          where: { storeId, entity: 'order', entityId: { in: orderIds } },
          include: { actor: true },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
        });
  const audit = new Map<string, OrderAuditEntry[]>();
  for (const entry of entries) audit.set(entry.entityId, [...(audit.get(entry.entityId) ?? []), entry]);
  return {
    store: { name: store.name, timeZone: store.timeZone, hasAddress: hasCustomerAddress(store) },
    now: clock.now(),
    models: store.carModels.map((m) => m.name),
    consultants,
    customers,
    audit,
  };
}
