import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/open-database.ts';

/** The QR source code created on first start; the poster's registration link uses it. */
export const DEFAULT_SOURCE_CODE = 'showroom';

/** What first start created or found. */
export interface SetupResult {
  created: boolean;
  storeId: string;
  adminStaffId: string;
}

/**
 * On an empty database, creates the dealer group, the store with its models, an admin, a
 * campaign with its gift, and the `showroom` QR source, from settings. Does nothing (but
 * report) when a store exists: later changes belong in the admin pages, not in settings.
 */
export async function ensureFirstStart(db: Database, clock: Clock, config: Config): Promise<SetupResult> {
  return db.$transaction(async (tx) => {
    const store = await tx.store.findFirst({ orderBy: { createdAt: 'asc' } });
    if (store) {
      const admin = await tx.staff.findFirst({ where: { storeId: store.id, role: 'ADMIN', active: true }, orderBy: { createdAt: 'asc' } });
      const adminStaffId = admin?.id ?? (await tx.staff.create({ data: { storeId: store.id, name: '管理员', role: 'ADMIN' } })).id;
      return { created: false, storeId: store.id, adminStaffId };
    }
    const now = clock.now();
    const group = await tx.dealerGroup.create({ data: { name: config.DEALER_GROUP_NAME } });
    const created = await tx.store.create({
      data: {
        groupId: group.id,
        name: config.STORE_NAME,
        timeZone: config.STORE_TIME_ZONE,
        address: config.STORE_ADDRESS,
        hotline: config.STORE_HOTLINE,
        customerHoursStart: config.STORE_CUSTOMER_HOURS.start,
        customerHoursEnd: config.STORE_CUSTOMER_HOURS.end,
        staffHoursStart: config.STORE_STAFF_HOURS.start,
        staffHoursEnd: config.STORE_STAFF_HOURS.end,
        journeySettings: JSON.stringify({ thankYouDelayMinutes: config.THANK_YOU_DELAY_MINUTES }),
        carModels: { create: config.STORE_CAR_MODELS.map((name, sortOrder) => ({ name, sortOrder })) },
      },
    });
    const admin = await tx.staff.create({ data: { storeId: created.id, name: '管理员', role: 'ADMIN' } });
    const campaign = await tx.campaign.create({
      data: {
        storeId: created.id,
        name: config.CAMPAIGN_NAME,
        startsAt: now,
        gifts: { create: { name: config.GIFT_NAME, totalStock: config.GIFT_STOCK, stockLeft: config.GIFT_STOCK } },
      },
    });
    await tx.qrSource.create({
      data: { code: DEFAULT_SOURCE_CODE, label: '展厅海报', channel: 'WEB', storeId: created.id, campaignId: campaign.id },
    });
    return { created: true, storeId: created.id, adminStaffId: admin.id };
  });
}
