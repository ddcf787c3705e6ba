import type { Clock } from '../../core/clock.ts';
import { loadConfig, type Config } from '../../core/config.ts';
import type { Database } from '../../core/db/open-database.ts';
import { ensureFirstStart } from '../../core/setup/first-start.ts';
import { linkConsole } from '../../core/staff/console-channel.ts';
import type { LeadActor } from '../../core/leads/log-follow-up.ts';

/** A staff member as the simulation drives them: who they are and their day off. */
export interface SimStaff {
  id: string;
  name: string;
  role: 'CONSULTANT' | 'MANAGER' | 'FRONT_DESK' | 'ADMIN';
  storeId: string;
  senior: boolean;
  /** ISO weekday (1 = Monday) they do not work; dealers open every day, staff take turns. */
  dayOff: number;
  actor: LeadActor;
}

/** One store of the simulated dealer group. */
export interface SimStore {
  index: number;
  id: string;
  name: string;
  timeZone: string;
  staffHours: { start: string; end: string };
  /** The QR source of its poster (web form and chat) and of its Telegram deep link. */
  sourceCode: string;
  carModels: string[];
  consultants: SimStaff[];
  manager: SimStaff;
  frontDesk: SimStaff;
  admin: SimStaff;
}

const CITIES = ['朝阳', '浦东', '天河', '南山', '武侯', '江北', '鼓楼', '雁塔', '岳麓', '滨江'];
const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '强', '洋', '艳', '勇', '军', '杰', '涛', '明', '超', '霞', '平', '刚', '桂英', '建华', '志强', '晓东', '海燕', '丽娟'];

/** A staff name that is unique in the group (staff commands name consultants: `转交 1 张伟`). */
function staffName(n: number): string {
  const base = `${SURNAMES[n % SURNAMES.length]}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length]}`;
  return n < SURNAMES.length * GIVEN.length ? base : `${base}${Math.floor(n / (SURNAMES.length * GIVEN.length)) + 1}`;
}

/** The settings a simulated group starts from: the product's defaults, with gifts that do not run out in a year. */
export function simulationConfig(databaseUrl: string): Config {
  return loadConfig({ DATABASE_URL: databaseUrl, PUBLIC_BASE_URL: 'http://showroom.sim', GIFT_STOCK: '100000', DEALER_GROUP_NAME: '模拟汽车集团', STORE_NAME: `模拟汽车${CITIES[0]}4S店`, LOG_LEVEL: 'silent' });
}

/**
 * Builds the dealer group on an empty, migrated database: the first store exactly as first start
 * makes it (so `npm start` on the result finds it), the others alike, each with consultants (one
 * senior), a manager and a front desk, whose staff consoles are linked (their digests, nudges and
 * alerts arrive there).
 */
export async function buildWorld(db: Database, clock: Clock, config: Config, stores: number, consultantsPerStore: number): Promise<SimStore[]> {
  const first = await ensureFirstStart(db, clock, config);
  if (!first.created) throw new Error('The simulation needs an empty database: the one given already has a store (use a new --db file)');
  const template = await loadTemplate(db, first.storeId);
  const result: SimStore[] = [];
  let staffCount = 0;
  for (let index = 0; index < stores; index += 1) {
    const { storeId, adminId } = index === 0 ? { storeId: first.storeId, adminId: first.adminStaffId } : await copyStore(db, clock, template, index);
    const sourceCode = index === 0 ? 'showroom' : `showroom-${index + 1}`;
    const make = async (role: SimStaff['role'], senior = false, existingId?: string): Promise<SimStaff> => {
      const name = role === 'ADMIN' ? '管理员' : staffName(staffCount++);
      const created = new Date(clock.now().getTime() + staffCount);
      const id = existingId ?? (await db.staff.create({ data: { storeId, name, role, senior, createdAt: created } })).id;
      await linkConsole(db, clock, id);
      return { id, name, role, storeId, senior, dayOff: 1 + (staffCount % 4), actor: { staffId: id, storeId, role } };
    };
    const admin = await make('ADMIN', false, adminId);
    const consultants: SimStaff[] = [];
    for (let c = 0; c < consultantsPerStore; c += 1) consultants.push(await make('CONSULTANT', c === 0));
    const store = await db.store.findUniqueOrThrow({ where: { id: storeId } });
    result.push({
      index, id: storeId, name: store.name, timeZone: store.timeZone, staffHours: { start: store.staffHoursStart, end: store.staffHoursEnd },
      sourceCode, carModels: template.carModels.sort((a, b) => a.sortOrder - b.sortOrder).map((m) => m.name),
      consultants, manager: await make('MANAGER'), frontDesk: await make('FRONT_DESK'), admin,
    });
  }
  return result;
}


const loadTemplate = (db: Database, id: string) => db.store.findUniqueOrThrow({ where: { id }, include: { carModels: true, campaigns: { include: { gifts: true } } } });
type TemplateStore = Awaited<ReturnType<typeof loadTemplate>>;

/** Another store of the group, set up as the first: its models, an admin, the campaign with its gift, its poster's QR source. */
async function copyStore(db: Database, clock: Clock, template: TemplateStore, index: number): Promise<{ storeId: string; adminId: string }> {
  const now = clock.now();
  const campaign = template.campaigns[0];
  const gift = campaign?.gifts[0];
  if (!campaign || !gift) throw new Error('The first store has no campaign with a gift to copy');
  return db.$transaction(async (tx) => {
    const { id: _id, carModels, campaigns: _campaigns, createdAt: _createdAt, giftsPausedUntil: _paused, ...fields } = template;
    const store = await tx.store.create({
      data: { ...fields, name: `模拟汽车${CITIES[index % CITIES.length]}${index >= CITIES.length ? index + 1 : ''}4S店`, createdAt: new Date(now.getTime() + index), carModels: { create: carModels.map(({ name, sortOrder }) => ({ name, sortOrder })) } },
    });
    const admin = await tx.staff.create({ data: { storeId: store.id, name: '管理员', role: 'ADMIN', createdAt: now } });
    const copy = await tx.campaign.create({
      data: { storeId: store.id, name: campaign.name, startsAt: now, gifts: { create: { name: gift.name, totalStock: gift.totalStock, stockLeft: gift.totalStock } } },
    });
    await tx.qrSource.create({ data: { code: `showroom-${index + 1}`, label: '展厅海报', channel: 'WEB', storeId: store.id, campaignId: copy.id } });
    return { storeId: store.id, adminId: admin.id };
  });
}
