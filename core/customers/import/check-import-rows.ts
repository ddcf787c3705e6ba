import { DateTime } from 'luxon';
import { GRADES, type Grade } from '../../leads/cadence.ts';
import { LEAD_SOURCES } from '../../leads/lead-list.ts';
import { sanitizeText } from '../../text/sanitize-text.ts';
import { isPlausibleName } from '../customer-name.ts';
import { SALUTATIONS } from '../honorific.ts';
import { normalizePhone } from '../phone.ts';
import { COLUMN_NAME, type ImportField } from './import-columns.ts';

/** A row that passed every check, ready to write. */
export interface ImportRow {
  /** Its row number in the file (the header is row 1). */
  line: number;
  name: string;
  phone: string;
  salutation: string | null;
  model: string | null;
  grade: Grade;
  consultantId: string | null;
  source: string;
  lastVisit: Date | null;
  birthday: string | null;
  /** Consents the file records, with where and when they were given; none means none. */
  consents: { purpose: 'SERVICE' | 'MARKETING'; granted: boolean; source: string; at: Date }[];
}

/** One bad cell (or a row problem, `column` null): the row number in the file, the column as headed, what is wrong. */
export interface ImportProblem {
  line: number;
  column: string | null;
  problem: string;
}

/** What the rows are checked against. */
export interface ImportContext {
  now: Date;
  timeZone: string;
  /** The store's models, by lower-cased name. */
  models: Map<string, string>;
  /** The store's active consultants, by name; a name two consultants share is ambiguous (null). */
  consultants: Map<string, string | null>;
}

const SOURCE_WORDS: Record<string, string> = { 自然到店: 'walk_in', 到店: 'walk_in', 网络: 'online', 来电: 'phone', 电话: 'phone', 转介绍: 'referral', 其他: 'other' };
const YES = new Set(['是', '同意', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', '不同意', 'n', 'no', 'false', '0']);
const SALUTATION_WORDS: Record<string, string> = { 先生: '先生', 男: '先生', 女士: '女士', 女: '女士', 小姐: '女士' };

/** A date typed as YYYY-MM-DD, YYYY/M/D or YYYY.M.D (optionally with a time, ignored), in the store's zone. */
function readDate(text: string, zone: string): DateTime | null {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (!match) return null;
  const date = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone });
  return date.isValid ? date : null;
}

/**
 * Checks every row and names every bad cell: a phone that is not a mobile number, a name that is
 * not one, an unknown grade, model, source or consultant, a date that is not one or lies in the
 * future, a consent without its source and date, and a number given twice in the file (the
 * later row names the earlier). Returns the good rows and the problems, in file order.
 */
export function checkImportRows(fields: (ImportField | null)[], rows: string[][], context: ImportContext): { good: ImportRow[]; problems: ImportProblem[] } {
  const good: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  const firstLineOf = new Map<string, number>();
  const today = DateTime.fromJSDate(context.now, { zone: context.timeZone }).endOf('day');
  // Files repeat the same dates thousands of times: each is read once.
  const dates = new Map<string, DateTime | null>();
  const dateOf = (text: string) => {
    if (!dates.has(text)) dates.set(text, readDate(text, context.timeZone));
    return dates.get(text) ?? null;
  };
  rows.forEach((cells, index) => {
    const line = index + 2;
    const found: ImportProblem[] = [];
    const bad = (field: ImportField, problem: string) => found.push({ line, column: COLUMN_NAME[field], problem });
    const value = (field: ImportField): string => {
      const i = fields.indexOf(field);
      const cell = i < 0 ? '' : (cells[i] ?? '');
      if (cell === '') return '';
      try {
        return sanitizeText(cell);
      } catch {
        bad(field, '含有无法识别的字符');
        return '';
      }
    };
    const name = value('name');
    if (!isPlausibleName(name)) bad('name', name === '' ? '不能为空' : '不像姓名（1–30 个字，不能含链接或尖括号）');
    const phoneText = value('phone');
    const phone = normalizePhone(phoneText);
    if (!phone) bad('phone', phoneText === '' ? '不能为空' : `“${phoneText.slice(0, 20)}”不是有效的手机号`);
    else if (firstLineOf.has(phone)) found.push({ line, column: COLUMN_NAME.phone, problem: `与第 ${firstLineOf.get(phone)} 行的手机号重复` });
    else firstLineOf.set(phone, line);
    const salutationText = value('salutation');
    const salutation = salutationText === '' ? null : SALUTATION_WORDS[salutationText] ?? null;
    if (salutationText !== '' && !salutation) bad('salutation', `只能是 ${SALUTATIONS.join('、')}（或 男、女），或不填`);
    const modelText = value('model');
    const model = modelText === '' ? null : context.models.get(modelText.toLowerCase()) ?? null;
    if (modelText !== '' && !model) bad('model', `“${modelText.slice(0, 30)}”不是本店车型（${[...context.models.values()].join('、')}）`);
    const gradeText = value('grade').toUpperCase().replace(/级$/u, '');
    if (gradeText !== '' && !(GRADES as readonly string[]).includes(gradeText)) bad('grade', `只能是 ${GRADES.join('、')}，或不填（N）`);
    const consultantText = value('consultant');
    const consultantId = consultantText === '' ? null : context.consultants.get(consultantText);
    if (consultantText !== '' && consultantId === undefined) bad('consultant', `本店没有在职顾问“${consultantText.slice(0, 30)}”`);
    if (consultantText !== '' && consultantId === null) bad('consultant', `本店有多位顾问叫“${consultantText.slice(0, 30)}”，请到线索页面分配`);
    const sourceText = value('source');
    const source = sourceText === '' ? 'other' : SOURCE_WORDS[sourceText] ?? ((LEAD_SOURCES as readonly string[]).includes(sourceText) ? sourceText : null);
    if (!source) bad('source', '只能是 自然到店、网络、来电、转介绍、其他，或不填');
    const pastDate = (field: ImportField): DateTime | null => {
      const text = value(field);
      if (text === '') return null;
      const date = dateOf(text);
      if (!date) bad(field, `“${text.slice(0, 20)}”不是日期，请写成 2024-05-20`);
      else if (date > today) bad(field, `${date.toISODate()} 在将来`);
      return date && date <= today ? date : null;
    };
    const lastVisit = pastDate('lastVisit');
    const birthday = pastDate('birthday');
    const consents = readConsents(value, bad, pastDate);
    if (found.length > 0) problems.push(...found);
    else good.push({ line, name, phone: phone as string, salutation, model, grade: (gradeText || 'N') as Grade, consultantId: consultantId ?? null, source: source as string, lastVisit: lastVisit?.toJSDate() ?? null, birthday: birthday?.toISODate() ?? null, consents });
  });
  return { good, problems };
}

/** The consent columns: 是/否 per purpose; any 是 or 否 needs the consent's source and date (a consent is a record of who, where and when). */
function readConsents(value: (field: ImportField) => string, bad: (field: ImportField, problem: string) => void, pastDate: (field: ImportField) => DateTime | null): ImportRow['consents'] {
  const answer = (field: 'serviceConsent' | 'marketingConsent'): boolean | null => {
    const text = value(field).toLowerCase();
    if (text === '') return null;
    if (YES.has(text)) return true;
    if (NO.has(text)) return false;
    bad(field, '只能是 是 或 否，或不填（没有记录就不发相应消息）');
    return null;
  };
  const service = answer('serviceConsent');
  const marketing = answer('marketingConsent');
  if (service === null && marketing === null) return [];
  const source = value('consentSource');
  const at = pastDate('consentAt');
  if (source === '') bad('consentSource', '写了同意与否，就要写明同意来源（如 纸质登记表、官网表单）');
  if (!at && value('consentAt') === '') bad('consentAt', '写了同意与否，就要写明同意时间（如 2024-05-20）');
  if (source === '' || !at) return [];
  const record = (purpose: 'SERVICE' | 'MARKETING', granted: boolean) => ({ purpose, granted, source: `import:${source.slice(0, 60)}`, at: at.toJSDate() });
  return [...(service === null ? [] : [record('SERVICE', service)]), ...(marketing === null ? [] : [record('MARKETING', marketing)])];
}
