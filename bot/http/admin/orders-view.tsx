import { maskPhone } from '../../../core/customers/phone.ts';
import type { OrderAuditEntry, OrdersCustomer, OrdersDesk } from '../../../core/orders/orders-desk.ts';
import type { StaffPrincipal } from '../../../core/staff/staff-sessions.ts';
import { DateTime } from 'luxon';
import { ConfirmButton } from './ui/confirm-button.tsx';
import { EmptyState } from './ui/empty-state.tsx';
import type { Flash } from './ui/flash.ts';
import { formatTime } from './ui/format.ts';
import type { FieldErrors, TypedValues } from './ui/form-schema.ts';
import { Form, Hidden, SelectField, TextField } from './ui/form.tsx';
import { Layout } from './ui/layout.tsx';
import { SearchForm } from './ui/search-form.tsx';

export const ORDERS_TITLE = '订单与交车';

const STATUS_LABELS = { ORDERED: '待交车', DELIVERED: '已交车', CANCELLED: '已取消' } as const;
const ACTION_LABELS: Record<string, string> = {
  'order.recorded': '登记订单',
  'order.rescheduled': '交车改期',
  'order.cancelled': '取消订单',
  'order.delivered': '确认交车',
};
const NEW_ORDER_LABELS = { customerId: '客户', model: '车型', deliveryAt: '交车时间', consultantId: '销售顾问' };

/** An instant as a datetime-local value, in the store's time zone. */
export const toLocalInput = (instant: Date, timeZone: string): string =>
  DateTime.fromJSDate(instant, { zone: timeZone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** An audit entry's details in words. */
function auditDetails(action: string, raw: string, timeZone: string): string {
  let d: Record<string, unknown>;
  try {
    d = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  const time = (v: unknown) =>
    typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? formatTime(new Date(v), timeZone) : String(v ?? '');
  switch (action) {
    case 'order.recorded':
      return `车型 ${String(d.model ?? '')}，交车时间 ${time(d.deliveryAt)}`;
    case 'order.rescheduled':
      return `交车时间由 ${time(d.from)} 改为 ${time(d.to)}`;
    case 'order.cancelled':
      return `原因：${String(d.reason ?? '')}`;
    case 'order.delivered':
      return `交车时间 ${time(d.deliveredAt)}`;
    default:
      return raw;
  }
}

type Order = OrdersCustomer['orders'][number];

function OrderCard({ order, audit, desk }: { order: Order; audit: OrderAuditEntry[]; desk: OrdersDesk }) {
  const { timeZone } = desk.store;
  return (
    <li class="order" data-order={order.id}>
      <p>
        <strong>{order.model}</strong> · {STATUS_LABELS[order.status]} · 交车 {formatTime(order.deliveryAt, timeZone)} ·
        顾问 {order.consultant?.name ?? '—'}
      </p>
      {order.status === 'ORDERED' ? (
        <div class="actions">
          <form method="post" action={`/admin/orders/${order.id}/reschedule`} class="inline-form">
            <input
              type="datetime-local"
              name="deliveryAt"
              value={toLocalInput(order.deliveryAt, timeZone)}
              min={toLocalInput(desk.now, timeZone)}
              aria-label="新的交车时间"
              required
            />
            <button type="submit">改期</button>
          </form>
          <form method="post" action={`/admin/orders/${order.id}/delivered`}>
            <button type="submit">确认已交车</button>
          </form>
          <ConfirmButton
            action={`/admin/orders/${order.id}/cancel`}
            label="取消订单"
            question="取消后，尚未发出的交车提醒也会取消。"
          >
            <input name="reason" placeholder="取消原因" aria-label="取消原因" maxLength={200} required />
          </ConfirmButton>
        </div>
      ) : null}
      <details class="audit">
        <summary>
          <small>操作记录（{audit.length}）</small>
        </summary>
        <ul>
          {audit.map((a) => (
            <li>
              <small>
                {formatTime(a.at, timeZone)} · {a.actor?.name ?? '系统'} · {ACTION_LABELS[a.action] ?? a.action} ·{' '}
                {auditDetails(a.action, a.details, timeZone)}
              </small>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}

function BirthdayForm({ customer }: { customer: OrdersCustomer }) {
  return (
    <form class="inline-form birthday" method="post" action={`/admin/customers/${customer.id}/birthday`}>
      <label>
        生日 <input type="date" name="birthday" value={customer.birthday ?? ''} />
      </label>
      <label>
        按
        <select name="calendar">
          <option value="GREGORIAN" selected={customer.birthdayCalendar !== 'LUNAR'}>
            公历
          </option>
          <option value="LUNAR" selected={customer.birthdayCalendar === 'LUNAR'}>
            农历
          </option>
        </select>
        过生日
      </label>
      <button type="submit" class="secondary">
        保存生日
      </button>
    </form>
  );
}

/** What was typed into a refused new-order form, and what is wrong with it. */
export interface NewOrderDraft {
  typed: TypedValues;
  errors: FieldErrors;
}

function CustomerSection(props: {
  customer: OrdersCustomer;
  desk: OrdersDesk;
  staff: StaffPrincipal;
  draft: NewOrderDraft | null;
}) {
  const { customer, desk, staff } = props;
  const draft = props.draft?.typed.customerId === customer.id ? props.draft : null;
  const consultantId = draft?.typed.consultantId ?? (staff.role === 'CONSULTANT' ? staff.staffId : '');
  return (
    <section class="section customer" data-customer={customer.id}>
      <h2>
        {customer.name}（{maskPhone(customer.phone)}）
      </h2>
      <BirthdayForm customer={customer} />
      {customer.orders.length === 0 ? (
        <EmptyState text="还没有订单。" />
      ) : (
        <ul class="plain orders">
          {customer.orders.map((o) => (
            <OrderCard order={o} audit={desk.audit.get(o.id) ?? []} desk={desk} />
          ))}
        </ul>
      )}
      <h3>登记新订单</h3>
      <Form
        action="/admin/orders"
        class="new-order columns"
        labels={NEW_ORDER_LABELS}
        errors={draft?.errors}
        submit="登记订单"
      >
        <Hidden name="customerId" value={customer.id} />
        <TextField
          name="model"
          label="车型"
          list="car-models"
          value={draft?.typed.model}
          maxLength={60}
          errors={draft?.errors}
          required
        />
        <TextField
          name="deliveryAt"
          label="交车时间（门店当地时间）"
          type="datetime-local"
          value={draft?.typed.deliveryAt}
          min={toLocalInput(desk.now, desk.store.timeZone)}
          errors={draft?.errors}
          required
        />
        <SelectField
          name="consultantId"
          label="销售顾问"
          value={consultantId}
          errors={draft?.errors}
          options={[
            { value: '', label: '（不指定）' },
            ...desk.consultants.map((s) => ({ value: s.id, label: s.name })),
          ]}
        />
      </Form>
    </section>
  );
}

/** `/admin/orders`: the search, and the customers found with their orders, actions and audit trails. */
export function OrdersPage(props: {
  staff: StaffPrincipal;
  desk: OrdersDesk;
  query: string;
  flash: Flash | null;
  draft: NewOrderDraft | null;
}) {
  const { desk } = props;
  return (
    <Layout title={ORDERS_TITLE} staff={props.staff} flash={props.flash} current="/admin/orders">
      {desk.store.hasAddress ? null : (
        <p class="flash err">
          门店地址还没有填写：交车提醒里会只写门店名称“{desk.store.name}”。请管理员在门店设置中填写地址（首次启动前可用{' '}
          <code>STORE_ADDRESS</code> 设置）。
        </p>
      )}
      <SearchForm action="/admin/orders" query={props.query} what="客户手机号或姓名" />
      <datalist id="car-models">
        {desk.models.map((m) => (
          <option value={m} />
        ))}
      </datalist>
      {desk.customers === null ? null : desk.customers.length === 0 ? (
        <EmptyState text="没有找到本店的这位客户，请核对手机号或姓名。" />
      ) : (
        desk.customers.map((c) => <CustomerSection customer={c} desk={desk} staff={props.staff} draft={props.draft} />)
      )}
    </Layout>
  );
}
