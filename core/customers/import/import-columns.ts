/** The fields an import file can fill, each with the headings it is known by (Chinese and English, case-insensitive). */
export const IMPORT_COLUMNS = {
  name: ['姓名', '客户姓名', 'name'],
  phone: ['手机号', '手机', '电话', 'phone', 'mobile'],
  salutation: ['称呼', '性别', 'salutation', 'honorific'],
  model: ['意向车型', '车型', 'model'],
  grade: ['级别', '客户级别', 'grade'],
  consultant: ['销售顾问', '顾问', 'consultant'],
  source: ['来源', '客户来源', 'source'],
  lastVisit: ['最近到店', '最近到店日期', '到店日期', 'last_visit', 'lastvisit'],
  birthday: ['生日', '出生日期', 'birthday'],
  serviceConsent: ['服务消息同意', 'service_consent'],
  marketingConsent: ['营销消息同意', 'marketing_consent'],
  consentSource: ['同意来源', 'consent_source'],
  consentAt: ['同意时间', '同意日期', 'consent_at'],
} as const;

export type ImportField = keyof typeof IMPORT_COLUMNS;

/** The heading the example file and the messages use per field. */
export const COLUMN_NAME: Record<ImportField, string> = Object.fromEntries(Object.entries(IMPORT_COLUMNS).map(([field, names]) => [field, names[0]])) as Record<ImportField, string>;

const BY_HEADING = new Map<string, ImportField>(Object.entries(IMPORT_COLUMNS).flatMap(([field, names]) => names.map((n) => [n.toLowerCase(), field as ImportField])));

/**
 * Which field each column of the header is. Refused, naming them: a heading nobody knows (a
 * typo would otherwise drop a column silently), a field given twice, a missing 姓名 or 手机号.
 */
export function mapHeader(header: string[]): { fields: (ImportField | null)[]; problems: string[] } {
  const problems: string[] = [];
  const seen = new Set<ImportField>();
  const fields = header.map((heading, i) => {
    if (heading.trim() === '') return null;
    const field = BY_HEADING.get(heading.trim().toLowerCase());
    if (!field) {
      problems.push(`第 ${i + 1} 列“${heading.slice(0, 30)}”不认识；可用的列名：${Object.values(COLUMN_NAME).join('、')}`);
      return null;
    }
    if (seen.has(field)) problems.push(`“${COLUMN_NAME[field]}”列出现了两次（第 ${i + 1} 列）`);
    seen.add(field);
    return field;
  });
  for (const required of ['name', 'phone'] as const) if (!seen.has(required)) problems.push(`缺少“${COLUMN_NAME[required]}”列`);
  return { fields, problems };
}
