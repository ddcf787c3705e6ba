/**
 * What a complaint is about (Ticket.category), as customer relations sorts it: the car itself,
 * the service received, the purchase terms (price, finance, paperwork), expectations the store
 * did not meet, or something else. Set when staff open a ticket by hand or while handling one.
 */
export const TICKET_CATEGORIES = ['product', 'service', 'purchase_terms', 'expectations', 'other'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

const LABELS: Record<TicketCategory, string> = { product: '产品质量', service: '服务态度与流程', purchase_terms: '购车条件（价格/金融/手续）', expectations: '期望未达成', other: '其他' };

/** Whether a value is a category. */
export const isTicketCategory = (value: unknown): value is TicketCategory => (TICKET_CATEGORIES as readonly unknown[]).includes(value);

/** A stored category as staff read it; 未分类 while none is set. */
export function ticketCategoryLabel(category: string | null | undefined): string {
  return isTicketCategory(category) ? LABELS[category] : '未分类';
}
