import type { Locale } from '../config.ts';

/** Every kind of journey message, with the variables its template must and may use. */
export const TEMPLATE_KINDS = {
  visit_thanks: { required: ['storeName'], optional: ['customerName', 'honorific', 'hotline', 'consultantName'] },
  delivery_reminder_72h: { required: ['deliveryTime', 'address'], optional: ['customerName', 'honorific', 'storeName', 'consultantName', 'model', 'hotline'] },
  delivery_reminder_24h: { required: ['deliveryTime', 'address'], optional: ['customerName', 'honorific', 'storeName', 'consultantName', 'model', 'hotline'] },
  delivery_thanks: { required: ['storeName'], optional: ['customerName', 'honorific', 'consultantName', 'model', 'hotline'] },
  delivery_check: { required: ['storeName'], optional: ['customerName', 'honorific', 'consultantName', 'model', 'hotline'] },
  first_service_reminder: { required: ['serviceDueDate'], optional: ['customerName', 'honorific', 'storeName', 'model', 'address', 'hotline', 'consultantName'] },
  birthday_greeting: { required: ['storeName'], optional: ['customerName', 'honorific', 'consultantName'] },
  holiday_greeting: { required: ['holidayName', 'storeName'], optional: ['customerName', 'honorific', 'consultantName'] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

export type TemplateKind = keyof typeof TEMPLATE_KINDS;

/** The shipped wording, used until a store saves its own. */
export const DEFAULT_TEMPLATES: Record<TemplateKind, Record<Locale, string>> = {
  visit_thanks: {
    'zh-CN': '{honorific}您好，感谢您今天光临{storeName}！看车过程中如有任何疑问，欢迎直接回复，或致电 {hotline}，我们随时为您服务。',
    en: 'Dear {customerName}, thank you for visiting {storeName} today. If you have any questions about the car you looked at, just reply here or call us at {hotline}.',
  },
  delivery_reminder_72h: {
    'zh-CN': '{honorific}您好，您的爱车{model}将于 {deliveryTime} 在{address}交付，届时{consultantName}会在店里迎接您。请记得携带身份证、购车合同和银行卡；如需调整时间，请回复或致电 {hotline}。',
    en: 'Dear {customerName}, your {model} will be handed over on {deliveryTime} at {address}; {consultantName} will welcome you. Please bring your ID card, the purchase contract and your bank card. To change the time, reply or call {hotline}.',
  },
  delivery_reminder_24h: {
    'zh-CN': '{honorific}您好，明天 {deliveryTime} 就是您的交车时间啦！地址：{address}。{consultantName}已为您准备好一切，请携带身份证和购车合同。期待与您见面！',
    en: 'Dear {customerName}, tomorrow at {deliveryTime} your new car is ready for you at {address}. {consultantName} has everything prepared; please bring your ID card and the purchase contract. See you soon!',
  },
  delivery_thanks: {
    'zh-CN': '{honorific}您好，恭喜您喜提爱车！感谢您选择{storeName}。用车中有任何问题，随时联系{consultantName}或致电 {hotline}，祝您行车平安！',
    en: 'Congratulations on your new car, {customerName}, and thank you for choosing {storeName}. If anything comes up, contact {consultantName} or call {hotline}. Safe travels!',
  },
  delivery_check: {
    'zh-CN': '{honorific}您好，提车已经两天了，新车用得还顺手吗？对交车过程和车辆本身有任何不满意的地方，请直接回复告诉我们，{storeName}会第一时间为您处理。',
    en: 'Dear {customerName}, you have had your car for two days now: is everything as it should be? If anything about the handover or the car is not right, reply here and {storeName} will see to it at once.',
  },
  first_service_reminder: {
    'zh-CN': '{honorific}您好，您的爱车首次保养将于 {serviceDueDate} 前到期。欢迎提前回复或致电 {hotline} 预约，{storeName}将为您安排专属服务。',
    en: 'Dear {customerName}, your car\'s first service is due by {serviceDueDate}. Reply here or call {hotline} to book a time; {storeName} will look after it.',
  },
  birthday_greeting: {
    'zh-CN': '{honorific}，生日快乐！{storeName}全体同仁祝您新的一岁平安顺遂、万事如意！',
    en: 'Happy birthday, {customerName}! Everyone at {storeName} wishes you a wonderful year ahead.',
  },
  holiday_greeting: {
    'zh-CN': '{honorific}您好，{holidayName}将至，{storeName}祝您和家人节日快乐、出行平安！',
    en: 'Dear {customerName}, {storeName} wishes you and your family a happy {holidayName} and safe travels.',
  },
};
