import type { PagePermission } from './permission.ts';

/**
 * One entry of the admin navigation: the page, its name, and what opening it needs (the same rule its routes
 * declare).
 */
export interface NavItem {
  href: string;
  label: string;
  permission: PagePermission;
}

/** The admin pages, in the order a store works with them; each staff member sees the ones they may open. */
export const NAVIGATION: readonly NavItem[] = [
  { href: '/admin/console', label: '工作台', permission: 'staff' },
  { href: '/admin/leads', label: '线索', permission: 'staff' },
  { href: '/admin/customers', label: '客户', permission: 'staff' },
  { href: '/admin', label: '前台礼品核销', permission: 'voucher.desk' },
  { href: '/admin/outbox', label: '消息发送队列', permission: 'outbox.manage' },
  { href: '/admin/orders', label: '订单与交车', permission: 'customer.care' },
  { href: '/admin/templates', label: '消息模板', permission: 'store.setup' },
  { href: '/admin/tickets', label: '回访与投诉', permission: 'ticket.handle' },
  { href: '/admin/staff', label: '员工', permission: 'staff' },
  { href: '/admin/qr-codes', label: '二维码', permission: 'staff' },
  { href: '/admin/store', label: '门店设置', permission: 'store.setup' },
  { href: '/admin/privacy', label: '个人信息请求', permission: 'privacy.request' },
  { href: '/admin/reports', label: '经营报表', permission: 'report.view' },
];
