import { DateTime } from 'luxon';
import { setCustomerBirthday } from '../../core/customers/set-birthday.ts';
import { rescheduleDelivery } from '../../core/orders/order-service.ts';
import { closeTicket, takeTicket } from '../../core/surveys/tickets.ts';
import type { SimCustomer } from './customers.ts';
import type { SimRandom } from './random.ts';
import { schedule, type SimContext } from './sim-context.ts';
import type { SimStaff, SimStore } from './world.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WAYS = ['电话', '电话', '微信', '到店', '试驾'];
const NOTES = ['介绍了新款配置', '约周末试驾', '客户在比较竞品', '报了价，客户考虑中', '客户说再等等', '发了车型资料'];
const LOST_REASONS = { wrong_number: [1, '电话是空号'], elsewhere: [2, '已在别家买了'], no_need: [3, '暂时不买了'] } as const;

/**
 * The staff of one store through their working day, in their staff hours and never on their day
 * off: consultants work through the leads due today (missing some), grade them, take orders,
 * hand cars over, move a delivery now and then and ask for lost leads; the manager decides lost
 * requests and hands stale leads to a senior colleague; the front desk takes complaints and the
 * manager closes recall tickets. Commands go through the staff console, as staff type them.
 */
export class StaffRoutines {
  readonly #followUps = new Map<string, number>();

  constructor(private readonly ctx: SimContext, private readonly random: SimRandom, private readonly store: SimStore, private readonly customers: ReadonlyMap<string, SimCustomer>) {}

  /** Plans the store's staff day for the local date (`yyyy-MM-dd`). */
  planDay(date: string): void {
    const local = (hhmm: string) => DateTime.fromISO(`${date}T${hhmm}`, { zone: this.store.timeZone }).toMillis();
    const [start, end] = [local(this.store.staffHours.start), local(this.store.staffHours.end)];
    const weekday = DateTime.fromISO(date).weekday;
    for (const consultant of this.store.consultants) {
      if (consultant.dayOff === weekday) continue;
      this.#at(consultant, start + this.random.between(5, 40) * MINUTE, 'opens the day\'s list', () => this.#consultantDay(consultant, end));
    }
    if (this.store.manager.dayOff !== weekday) {
      this.#at(this.store.manager, start + this.random.between(60, 150) * MINUTE, 'reviews lost requests and stale leads', () => this.#managerRound());
      this.#at(this.store.manager, start + this.random.between(240, 420) * MINUTE, 'works on recall tickets', () => this.#closeRecalls());
    }
    for (let t = start + 20 * MINUTE; t < end; t += this.random.between(25, 50) * MINUTE) {
      this.#at(this.store.frontDesk, t, 'looks at new complaints', () => this.#takeComplaints());
    }
  }

  #at(staff: SimStaff, at: number, what: string, run: () => Promise<void>): void {
    schedule(this.ctx, at, `staff:${staff.name}`, what, run);
  }

  async #command(staff: SimStaff, text: string): Promise<string> {
    this.ctx.facts.remember(`staff:${staff.name}`, this.ctx.clock.now().getTime(), `types "${text}"`);
    return this.ctx.driver.staffCommand(staff.id, text);
  }

  async #consultantDay(consultant: SimStaff, end: number): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const endOfDay = DateTime.fromMillis(now, { zone: this.store.timeZone }).endOf('day').toJSDate();
    const due = await this.ctx.db.lead.findMany({
      where: { ownerStaffId: consultant.id, pool: 'ACTIVE', grade: { in: ['N', 'H', 'A', 'B', 'C'] }, nextFollowUpAt: { lte: endOfDay } },
      include: { customer: { select: { phone: true } } }, orderBy: [{ nextFollowUpAt: 'asc' }, { id: 'asc' }], take: 15,
    });
    for (const lead of due) {
      if (this.random.chance(0.15)) continue; // missed: the nudges and the overdue list are there for these
      const at = now + this.random.between(0, Math.max(1, end - now - 20 * MINUTE));
      this.#at(consultant, at, `follows up ${lead.customer.phone}`, () => this.#followUp(consultant, lead.customer.phone, lead.firstVisitAt.getTime()));
    }
    const orders = await this.ctx.db.order.findMany({ where: { consultantId: consultant.id, status: 'ORDERED', deliveryAt: { lte: endOfDay } }, include: { customer: { select: { phone: true } } } });
    for (const order of orders) {
      const at = Math.max(now, order.deliveryAt.getTime()) + this.random.between(20, 90) * MINUTE;
      if (at < end) this.#at(consultant, at, `hands over the car to ${order.customer.phone}`, () => this.#command(consultant, `交车 ${order.customer.phone.slice(3)}`).then(() => undefined));
    }
    const soon = await this.ctx.db.order.findMany({ where: { consultantId: consultant.id, status: 'ORDERED', deliveryAt: { gt: new Date(now + DAY), lte: new Date(now + 5 * DAY) } } });
    for (const order of soon) if (this.random.chance(0.04)) await this.#reschedule(consultant, order.id, order.deliveryAt.getTime());
  }

  async #followUp(consultant: SimStaff, phone: string, firstVisit: number): Promise<void> {
    const customer = this.customers.get(phone);
    if (!customer) return;
    const now = this.ctx.clock.now().getTime();
    const count = (this.#followUps.get(phone) ?? 0) + 1;
    this.#followUps.set(phone, count);
    const digits = phone.slice(3);
    const { intent } = customer;
    if (intent.buys && now >= firstVisit + intent.afterDays * DAY) {
      await this.#order(consultant, customer, now);
    } else if (!intent.buys && count >= 2 + (digits.charCodeAt(10) % 3)) {
      const [level, reason] = LOST_REASONS[intent.why];
      await this.#command(consultant, `战败 ${digits} ${level} ${reason}${level === 2 ? ' 竞品 Model Y' : ''}`);
    } else {
      const daysLeft = intent.buys ? firstVisit / DAY + intent.afterDays - now / DAY : 60;
      const grade = daysLeft <= 7 ? 'H' : daysLeft <= 15 ? 'A' : daysLeft <= 30 ? 'B' : 'C';
      await this.#command(consultant, `跟进 ${digits} ${this.random.pick(WAYS)} ${grade} ${this.random.pick(NOTES)}`);
      if (count === 1 && this.random.chance(0.3)) await this.#recordBirthday(consultant, customer);
    }
  }

  async #order(consultant: SimStaff, customer: SimCustomer, now: number): Promise<void> {
    const day = DateTime.fromMillis(now, { zone: this.store.timeZone }).plus({ days: this.random.int(5, 20) });
    const time = this.random.pick(['10:00', '14:00', '15:30']);
    const model = this.random.pick(this.store.carModels);
    await this.#command(consultant, `订单 ${customer.digits} ${model} ${day.toFormat('yyyy-MM-dd')} ${time}`);
    const order = await this.ctx.db.order.findFirst({ where: { customer: { phone: customer.phone }, storeId: this.store.id }, orderBy: { orderedAt: 'desc' } });
    if (order && !this.ctx.facts.deliveryTimes.has(order.id)) this.ctx.facts.deliveryTimes.set(order.id, [{ at: now, deliveryAt: order.deliveryAt.getTime() }]);
  }

  /** A delivery moved (the car is late, the customer asks): the orders page's change, by the consultant. */
  async #reschedule(consultant: SimStaff, orderId: string, deliveryAt: number): Promise<void> {
    const moved = DateTime.fromMillis(deliveryAt, { zone: this.store.timeZone }).plus({ days: this.random.int(1, 6) }).set({ hour: this.random.pick([10, 14, 16]), minute: 0 }).toJSDate();
    const now = this.ctx.clock.now().getTime();
    this.ctx.facts.remember(`staff:${consultant.name}`, now, `moves order ${orderId} to ${moved.toISOString()}`);
    await rescheduleDelivery(this.ctx.db, this.ctx.clock, consultant.actor, orderId, moved);
    this.ctx.facts.deliveryTimes.get(orderId)?.push({ at: now, deliveryAt: moved.getTime() });
  }

  /** The birthday, asked at the first follow-up by some consultants; the orders page saves it. */
  async #recordBirthday(consultant: SimStaff, customer: SimCustomer): Promise<void> {
    const row = await this.ctx.db.customer.findUnique({ where: { phone: customer.phone }, select: { id: true } });
    if (!row) return;
    const year = this.random.int(1965, 2000);
    const date = DateTime.fromObject({ year, month: 1, day: 1 }).plus({ days: this.random.int(0, 364) }).toFormat('yyyy-MM-dd');
    await setCustomerBirthday(this.ctx.db, this.ctx.clock, consultant.actor, row.id, date, this.random.chance(0.2) ? 'LUNAR' : 'GREGORIAN');
  }

  async #managerRound(): Promise<void> {
    const manager = this.store.manager;
    const pending = await this.ctx.db.lostRequest.findMany({ where: { status: 'PENDING', lead: { storeId: this.store.id } }, include: { lead: { include: { customer: { select: { phone: true } } } } } });
    if (pending.length > 0) await this.#command(manager, '待审');
    for (const request of pending) {
      const digits = request.lead.customer.phone.slice(3);
      const next = DateTime.fromMillis(this.ctx.clock.now().getTime(), { zone: this.store.timeZone }).plus({ days: 7 }).toFormat('yyyy-MM-dd');
      await this.#command(manager, this.random.chance(0.8) ? `批准 ${digits}` : `驳回 ${digits} B ${next} 再约一次试驾`);
    }
    const stale = await this.ctx.db.lead.findMany({ where: { storeId: this.store.id, staleFlaggedAt: { not: null }, pool: 'ACTIVE' }, include: { customer: { select: { phone: true } } } });
    if (stale.length > 0) await this.#command(manager, '久未成交');
    const senior = this.store.consultants.find((c) => c.senior) ?? this.store.consultants[0];
    for (const lead of stale) {
      if (!senior || lead.ownerStaffId === senior.id || !this.random.chance(0.7)) continue;
      await this.#command(manager, `转交 ${lead.customer.phone.slice(3)} ${senior.name}`);
    }
  }

  async #takeComplaints(): Promise<void> {
    const open = await this.ctx.db.ticket.findMany({ where: { storeId: this.store.id, type: 'COMPLAINT', ownerStaffId: null, status: { not: 'CLOSED' } }, select: { id: true } });
    for (const ticket of open) await takeTicket(this.ctx.db, this.ctx.clock, ticket.id, this.store.frontDesk.id);
  }

  async #closeRecalls(): Promise<void> {
    const now = this.ctx.clock.now().getTime();
    const open = await this.ctx.db.ticket.findMany({ where: { storeId: this.store.id, status: { not: 'CLOSED' }, createdAt: { lte: new Date(now - 4 * HOUR) } }, select: { id: true } });
    for (const ticket of open) {
      if (!this.random.chance(0.7)) continue;
      await closeTicket(this.ctx.db, this.ctx.clock, ticket.id, this.store.manager.id, {
        rootCause: '接待高峰人手不足', actionTaken: '经理电话致歉并约定再次到店', outcome: '客户接受致歉', finalSatisfaction: this.random.int(6, 10), reSurvey: this.random.chance(0.3),
      });
    }
  }
}
