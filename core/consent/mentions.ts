import type { DatabaseTx } from '../db/open-database.ts';
import { scopeWhere, type PersonalDataScope } from './personal-data-scope.ts';

/** What a mention of an erased person becomes in texts about them (staff messages, tasks, alerts). */
export const ERASED_MENTION = '（已删除）';

/** The text with every form of the person replaced (forms longest first, see mentionsOf). */
export function replaceMentions(text: string, forms: readonly string[]): string {
  return forms.reduce((out, form) => out.split(form).join(ERASED_MENTION), text);
}

/** A JSON document (a message payload) with the person replaced in every string it holds; a document that is not JSON is treated as text. */
export function replaceMentionsInJson(json: string, forms: readonly string[]): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return replaceMentions(json, forms);
  }
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return replaceMentions(node, forms);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  const replaced = JSON.stringify(walk(value));
  return replaced === JSON.stringify(value) ? json : replaced;
}

/** The person's forms as they appear in text and inside JSON strings (quotes, backslashes and control characters escaped). */
function searchForms(forms: readonly string[]): string[] {
  return [...new Set(forms.flatMap((form) => [form, JSON.stringify(form).slice(1, -1)]))];
}

/** A row whose text mentions the person, with the text it would have once they are erased. */
export interface Mention<Row> {
  row: Row;
  replaced: string;
}

/**
 * Texts outside the person's own rows that mention them: staff messages (a lost request, a
 * ticket notice, a digest), tasks and alerts. Found by a broad database search, then kept only
 * where the exact replacement changes the text.
 */
export async function findMentions(tx: DatabaseTx, scope: PersonalDataScope) {
  const forms = scope.mentions;
  if (forms.length === 0) return { intents: [], tasks: [], alerts: [] };
  const like = (field: string) => searchForms(forms).map((form) => ({ [field]: { contains: form } }));
  const own = scopeWhere(scope);
  // The person's own rows are left out by id (a NOT over nullable columns would leave out every row whose column is null).
  const [ownIntents, intents, tasks, alerts] = await Promise.all([
    tx.messageIntent.findMany({ where: own.intents, select: { id: true } }),
    tx.messageIntent.findMany({ where: { OR: like('payload') }, orderBy: { id: 'asc' } }),
    tx.staffTask.findMany({ where: { OR: like('text') }, orderBy: { id: 'asc' } }),
    tx.alert.findMany({ where: { OR: like('message') }, orderBy: { id: 'asc' } }),
  ]);
  const ownIntentIds = new Set(ownIntents.map((i) => i.id));
  const keep = <Row>(rows: Row[], text: (row: Row) => string, replace: (text: string) => string): Mention<Row>[] =>
    rows.map((row) => ({ row, replaced: replace(text(row)) })).filter((m) => m.replaced !== text(m.row));
  return {
    intents: keep(intents.filter((r) => !ownIntentIds.has(r.id)), (r) => r.payload, (t) => replaceMentionsInJson(t, forms)),
    tasks: keep(tasks.filter((r) => r.customerId !== scope.customerId), (r) => r.text, (t) => replaceMentions(t, forms)),
    alerts: keep(alerts, (r) => r.message, (t) => replaceMentions(t, forms)),
  };
}
