import type { Locale } from '../config.ts';

/** How a customer heard of the store, as stored (`Visit.heardFrom`). */
export const HEARD_FROM = ['walk_in', 'online', 'phone', 'referral', 'other'] as const;
export type HeardFrom = (typeof HEARD_FROM)[number];

/** Who came along; spouses and parents influence the purchase (`Visit.companions`). */
export const COMPANIONS = ['spouse', 'parents', 'children', 'friends'] as const;
export type Companion = (typeof COMPANIONS)[number];

/** The value for "not sure yet" as the model of interest. */
export const MODEL_NOT_SURE = 'not_sure';

const heardFromLabels: Record<Locale, Record<HeardFrom, string>> = {
  'zh-CN': { walk_in: '路过进店', online: '网络/汽车网站', phone: '电话邀约', referral: '亲友推荐', other: '其他' },
  en: { walk_in: 'Walked past', online: 'Online / car websites', phone: 'Phone call', referral: 'Friend or family', other: 'Other' },
};

const companionLabels: Record<Locale, Record<Companion, string>> = {
  'zh-CN': { spouse: '配偶/伴侣', parents: '父母', children: '子女', friends: '朋友' },
  en: { spouse: 'Spouse / partner', parents: 'Parents', children: 'Children', friends: 'Friends' },
};

/** The label shown to a customer for a heard-from value. */
export function heardFromLabel(value: HeardFrom, locale: Locale): string {
  return heardFromLabels[locale][value];
}

/** The label shown to a customer for a companion value. */
export function companionLabel(value: Companion, locale: Locale): string {
  return companionLabels[locale][value];
}

/** The label for "not sure yet" in the model list. */
export function notSureLabel(locale: Locale): string {
  return locale === 'en' ? 'Not sure yet' : '还没想好';
}
