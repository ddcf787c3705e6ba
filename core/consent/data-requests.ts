import { recordAudit } from '../audit/record-audit.ts';
import type { Clock } from '../clock.ts';
import { customersOfStore } from '../customers/customers-of-store.ts';
import { maskPhone } from '../customers/phone.ts';
import type { Database, DatabaseTx } from '../db/open-database.ts';
import { customerSubject, may, type Action, type Principal } from '../staff/authorization.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { exportToCsv } from './export-csv.ts';
import { exportPersonalData, exportToJson } from './export-personal-data.ts';
import { personalDataScope } from './personal-data-scope.ts';

/** access: see and copy their data; erasure: have it erased. */
export type DataRequestKind = 'access' | 'erasure';
export const DATA_REQUEST_KINDS: readonly DataRequestKind[] = ['access', 'erasure'];

/** Why a request could not be recorded or carried out; the page says what to do for each. */
export type DataRequestErrorCode = 'identity_not_checked' | 'customer_not_found' | 'request_not_found' | 'already_done' | 'not_allowed' | 'wrong_kind';

export class DataRequestError extends Error {
  constructor(readonly code: DataRequestErrorCode) {
    super(`Data request refused: ${code}`);
    this.name = 'DataRequestError';
  }
}

/** A short reference the customer and the desk can quote, e.g. DR-K3X9QZ. */
export const requestReference = (id: string): string => `DR-${id.slice(-6).toUpperCase()}`;

/** Records a request in the caller's transaction, audited (no personal data in the entry). Returns its id. */
export async function recordDataRequest(
  tx: DatabaseTx,
  input: { storeId: string; customerId: string; kind: DataRequestKind; via: 'chat' | 'desk'; staffId: string | null; now: Date },
): Promise<string> {
  const request = await tx.dataRequest.create({
    data: { storeId: input.storeId, customerId: input.customerId, kind: input.kind, via: input.via, recordedByStaffId: input.staffId, createdAt: input.now },
  });
  await recordAudit(tx, {
    storeId: input.storeId, actorStaffId: input.staffId, action: 'privacy.requested', entity: 'DataRequest', entityId: request.id,
    details: { kind: input.kind, via: input.via }, at: input.now,
  });
  return request.id;
}

/**
 * Staff record a customer's request after checking the person and their phone in person (the
 * desk's proof of identity). Refused unless the identity check is confirmed, the customer is one
 * of the store's (not erased), and `may` allows it.
 */
export async function recordDeskRequest(
  db: Database, clock: Clock, actor: Principal, input: { customerId: string; kind: DataRequestKind; identityChecked: boolean },
): Promise<string> {
  if (!input.identityChecked) throw new DataRequestError('identity_not_checked');
  return db.$transaction(async (tx) => {
    await authorize(tx, actor, 'privacy.request', input.customerId);
    return recordDataRequest(tx, { storeId: actor.storeId, customerId: input.customerId, kind: input.kind, via: 'desk', staffId: actor.staffId, now: clock.now() });
  });
}

/** An open request as the desk lists it (the number masked). */
export interface OpenDataRequest {
  id: string;
  reference: string;
  kind: DataRequestKind;
  via: string;
  createdAt: Date;
  customerId: string;
  customerName: string;
  maskedPhone: string;
}

/** The store's requests not done yet, oldest first (the law gives a deadline: first come, first served). */
export async function openDataRequests(db: Database, storeId: string): Promise<OpenDataRequest[]> {
  const rows = await db.dataRequest.findMany({ where: { storeId, completedAt: null }, include: { customer: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 100 });
  return rows.map((r) => ({
    id: r.id, reference: requestReference(r.id), kind: r.kind as DataRequestKind, via: r.via, createdAt: r.createdAt,
    customerId: r.customerId, customerName: r.customer.name, maskedPhone: maskPhone(r.customer.phone),
  }));
}

/** A file to hand over. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * Everything held about the request's customer, as JSON or CSV, for staff allowed to export.
 * Audited on every download; an access request is done once its file was handed over. Refused
 * for a request already done (an erased customer has nothing left to export).
 */
export async function exportForRequest(db: Database, clock: Clock, actor: Principal, requestId: string, format: 'json' | 'csv'): Promise<ExportFile> {
  return db.$transaction(async (tx) => {
    const request = await openRequest(tx, actor, requestId, 'privacy.export');
    const now = clock.now();
    const scope = await personalDataScope(tx, request.customerId);
    if (!scope) throw new DataRequestError('customer_not_found');
    const data = await exportPersonalData(tx, scope, now);
    await recordAudit(tx, { storeId: actor.storeId, actorStaffId: actor.staffId, action: 'privacy.exported', entity: 'DataRequest', entityId: request.id, details: { format }, at: now });
    if (request.kind === 'access') await complete(tx, request.id, actor.staffId, now);
    const name = `personal-data-${requestReference(request.id)}`;
    return format === 'json'
      ? { filename: `${name}.json`, contentType: 'application/json; charset=utf-8', body: exportToJson(data) }
      : { filename: `${name}.csv`, contentType: 'text/csv; charset=utf-8', body: exportToCsv(data) };
  });
}

/** Erases the customer of an erasure request (managers and admins); the request is done with it. Cannot be undone. */
export async function eraseForRequest(db: Database, clock: Clock, actor: Principal, requestId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const request = await openRequest(tx, actor, requestId, 'privacy.erase');
    if (request.kind !== 'erasure') throw new DataRequestError('wrong_kind');
    const now = clock.now();
    // The erasure marks the request done, with every other open request of the customer.
    await erasePersonalData(tx, { customerId: request.customerId, storeId: actor.storeId, actorStaffId: actor.staffId, reason: 'request', requestId: request.id, now });
  });
}

/** Marks a request done, once. */
async function complete(tx: DatabaseTx, requestId: string, staffId: string | null, now: Date): Promise<void> {
  await tx.dataRequest.updateMany({ where: { id: requestId, completedAt: null }, data: { completedAt: now, completedByStaffId: staffId } });
}

async function openRequest(tx: DatabaseTx, actor: Principal, requestId: string, action: Action) {
  const request = await tx.dataRequest.findFirst({ where: { id: requestId, storeId: actor.storeId } });
  if (!request) throw new DataRequestError('request_not_found');
  if (request.completedAt) throw new DataRequestError('already_done');
  await authorize(tx, actor, action, request.customerId);
  return request;
}

/** The customer must be one of the actor's store's, not erased, and `may` must allow the action on them. */
async function authorize(tx: DatabaseTx, actor: Principal, action: Action, customerId: string): Promise<void> {
  const customer = await tx.customer.findFirst({ where: { AND: [customersOfStore(actor.storeId), { id: customerId, erasedAt: null }] }, select: { id: true } });
  if (!customer) throw new DataRequestError('customer_not_found');
  if (!may(actor, action, await customerSubject(tx, actor.storeId, customerId))) throw new DataRequestError('not_allowed');
}
