import { html, type SafeHtml } from '../html.ts';
import { formText } from '../form-fields.ts';
import type { SettingsKind } from '../../../core/setup/store-settings.ts';

/** One field of a JSON settings form: its dotted key, its label, and how it is typed. */
interface Field {
  key: string;
  label: string;
  type: 'int' | 'time' | 'list' | 'choice';
  choices?: Record<string, string>;
}

/** The journey timings and lead rules as form fields, in the order the page shows them. */
export const SETTINGS_FIELDS: Record<SettingsKind, Field[]> = {
  journeySettings: [
    { key: 'thankYouDelayMinutes', label: '到店感谢：登记后多少分钟', type: 'int' },
    { key: 'visitSurveyTime', label: '到店满意度回访：次日几点', type: 'time' },
    { key: 'visitSurveyExpiryHours', label: '回访有效时长（小时）', type: 'int' },
    { key: 'surveyReminderHours', label: '未回复时多少小时后提醒一次', type: 'int' },
    { key: 'surveyRepeatWindowDays', label: '同一客户多少天内只回访一次', type: 'int' },
    { key: 'surveyCorrectionMinutes', label: '客户改分的宽限（分钟）', type: 'int' },
    { key: 'deliveryReminderHours', label: '交车前提醒（小时，逗号分隔，如 72,24）', type: 'list' },
    { key: 'deliveryThanksDelayHours', label: '交车后感谢：几小时后', type: 'int' },
    { key: 'deliveryCheckDelayHours', label: '交车回访：几小时后', type: 'int' },
    { key: 'firstServiceAfterDays', label: '首保：交车后多少天到期', type: 'int' },
    { key: 'firstServiceReminderDaysBefore', label: '首保提醒：提前多少天', type: 'int' },
    { key: 'greetingTime', label: '生日和节日祝福：几点发送', type: 'time' },
    { key: 'holidayDaysBefore', label: '节日祝福：提前几天', type: 'int' },
    { key: 'greetingMinAge', label: '不给多少岁以下的客户发祝福', type: 'int' },
    { key: 'marketingPerDay', label: '每位客户每天最多几条营销消息', type: 'int' },
  ],
  leadSettings: [
    { key: 'cadenceDays.H', label: 'H 级跟进间隔（天）', type: 'int' },
    { key: 'cadenceDays.A', label: 'A 级跟进间隔（天）', type: 'int' },
    { key: 'cadenceDays.B', label: 'B 级跟进间隔（天）', type: 'int' },
    { key: 'cadenceDays.C', label: 'C 级跟进间隔（天）', type: 'int' },
    { key: 'gradeWindowDays.H', label: 'H 级购买期（天）', type: 'int' },
    { key: 'gradeWindowDays.A', label: 'A 级购买期（天）', type: 'int' },
    { key: 'gradeWindowDays.B', label: 'B 级购买期（天）', type: 'int' },
    { key: 'gradeWindowDays.C', label: 'C 级购买期（天）', type: 'int' },
    { key: 'gradeNewWithinDays', label: '新线索几天内定级', type: 'int' },
    { key: 'overdueAlertDays', label: '逾期几天提醒经理', type: 'int' },
    { key: 'dailyMinimumFollowUps', label: '每位顾问每天至少跟进几位客户', type: 'int' },
    { key: 'reassignAfterMonths', label: '几个月未成交交给经理转交', type: 'int' },
    { key: 'poolAfterMonths', label: '再过几个月转入营销池', type: 'int' },
    { key: 'reassignSuggestion', label: '久未成交建议转给', type: 'choice', choices: { senior: '资深顾问中客户最少的', least_loaded: '客户最少的顾问' } },
  ],
};

const at = (values: Record<string, unknown>, key: string): unknown => key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);

/** The form's inputs, filled from the current settings (with defaults) or from what was typed. */
export function settingsInputs(kind: SettingsKind, values: Record<string, unknown>, errors: Record<string, string> | undefined): SafeHtml {
  return html`${SETTINGS_FIELDS[kind].map((f) => {
    const value = at(values, f.key);
    const text = Array.isArray(value) ? value.join(',') : value === undefined ? '' : String(value);
    const input = f.type === 'choice'
      ? html`<select name="${f.key}">${Object.entries(f.choices ?? {}).map(([v, l]) => html`<option value="${v}"${v === text ? html` selected` : ''}>${l}</option>`)}</select>`
      : html`<input name="${f.key}" value="${text}" ${f.type === 'time' ? html`type="time"` : f.type === 'int' ? html`inputmode="numeric" maxlength="6"` : html`maxlength="40"`}>`;
    return html`<label>${f.label}${input}</label>${errors?.[f.key] ? html`<p class="field-error" data-error="${f.key}">${errors[f.key]}</p>` : ''}`;
  })}`;
}

/** Reads the posted form into the settings object the schema checks: integers as numbers (anything else is left for the schema to refuse), lists split on commas. */
export function settingsFromForm(kind: SettingsKind, body: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of SETTINGS_FIELDS[kind]) {
    const raw = formText(body, f.key, { max: 40 }).trim();
    const number = (s: string): unknown => (/^\d{1,6}$/.test(s) ? Number(s) : s);
    const value = f.type === 'int' ? number(raw) : f.type === 'list' ? raw.split(/[,，\s]+/u).filter(Boolean).map(number) : raw;
    const path = f.key.split('.');
    let target = out;
    for (const part of path.slice(0, -1)) target = (target[part] ??= {}) as Record<string, unknown>;
    target[path[path.length - 1] as string] = value;
  }
  return out;
}
