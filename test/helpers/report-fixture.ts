import type { Database } from '../../core/db/open-database.ts';

/**
 * A hand-made week at store S (Asia/Shanghai), 2026-11-16 (Mon) … 2026-11-22 (Sun), seen on
 * Sunday 22 November 10:00 local (the test clock). Every figure the report tests expect is
 * counted by hand from this list; instants are written as local time and their UTC equivalent.
 */
export interface ReportFixture {
  storeId: string;
  groupId: string;
  a: string;
  b: string;
  manager: string;
  otherStoreId: string;
}

/** `2026-11-20 23:30` Shanghai → the UTC instant (Shanghai is UTC+8, no DST). */
export const sh = (local: string): Date => new Date(`${local.replace(' ', 'T')}:00+08:00`);

export async function seedReportFixture(db: Database, storeId: string): Promise<ReportFixture> {
  const store = await db.store.findUniqueOrThrow({ where: { id: storeId }, include: { qrSources: true, campaigns: { include: { gifts: true } } } });
  const source = store.qrSources[0]!;
  const campaign = store.campaigns[0]!;
  const gift = campaign.gifts[0]!;
  const staff = (name: string, role: 'CONSULTANT' | 'MANAGER', onStore = storeId) => db.staff.create({ data: { storeId: onStore, name, role } }).then((s) => s.id);
  const a = await staff('王丽', 'CONSULTANT');
  const b = await staff('李强', 'CONSULTANT');
  const manager = await staff('孙经理', 'MANAGER');
  let n = 0;
  const customer = () => db.customer.create({ data: { name: `客户${(n += 1)}`, phone: `+86139000000${String(n).padStart(2, '0')}` } }).then((c) => c.id);
  const visit = async (input: { at: Date; consultantId: string; channel?: 'WEB' | 'TELEGRAM'; heardFrom: string; source?: boolean; firstVisitAt?: Date; grade: 'N' | 'H' | 'A' | 'B' | 'C' | 'O' | 'D' | 'F'; next?: Date; onStore?: string }) => {
    const customerId = await customer();
    const onStore = input.onStore ?? storeId;
    const v = await db.visit.create({ data: { customerId, storeId: onStore, consultantId: input.consultantId, channel: input.channel ?? 'WEB', visitedAt: input.at, heardFrom: input.heardFrom, qrSourceId: input.source ? source.id : null } });
    const lead = await db.lead.create({ data: { storeId: onStore, customerId, ownerStaffId: input.consultantId, grade: input.grade, source: input.heardFrom, firstVisitAt: input.firstVisitAt ?? input.at, nextFollowUpAt: input.next ?? null } });
    return { customerId, visitId: v.id, leadId: lead.id };
  };

  // Visits (registrations). c1 at 23:30 belongs to the 20th; c2 at 00:30 to the 21st.
  const c1 = await visit({ at: sh('2026-11-20 23:30'), consultantId: a, heardFrom: 'walk_in', source: true, grade: 'H', next: sh('2026-11-21 10:00') });
  const c2 = await visit({ at: sh('2026-11-21 00:30'), consultantId: b, channel: 'TELEGRAM', heardFrom: 'online', grade: 'O' });
  const c3 = await visit({ at: sh('2026-11-20 09:00'), consultantId: a, heardFrom: 'online', source: true, firstVisitAt: sh('2026-10-05 10:00'), grade: 'B', next: sh('2026-11-25 10:00') });
  const c4 = await visit({ at: sh('2026-11-16 10:00'), consultantId: b, heardFrom: 'referral', grade: 'F' });
  const c5 = await visit({ at: sh('2026-11-15 23:59'), consultantId: a, heardFrom: 'walk_in', grade: 'N' });
  await visit({ at: sh('2026-12-01 00:10'), consultantId: a, heardFrom: 'walk_in', grade: 'N' });
  const c7 = await visit({ at: sh('2026-11-01 00:00'), consultantId: b, heardFrom: 'phone', grade: 'D' });

  // Vouchers: c1's issued and redeemed on the 20th (23:45 local), c3's issued on the 20th.
  for (const [c, redeemedAt] of [[c1, sh('2026-11-20 23:45')], [c3, null]] as const) {
    const visitRow = await db.visit.findUniqueOrThrow({ where: { id: c.visitId } });
    const registration = await db.registration.create({ data: { campaignId: campaign.id, customerId: c.customerId, visitId: c.visitId } });
    await db.voucher.create({ data: { code: `V${c.visitId.slice(-8)}`, campaignId: campaign.id, giftId: gift.id, customerId: c.customerId, registrationId: registration.id, issuedAt: visitRow.visitedAt, redeemedAt, redeemedByStaffId: redeemedAt ? manager : null } });
  }

  // Walk-in parties: three on the 20th (one at 23:50), one withdrawn, one at 00:05 on the 21st.
  let key = 0;
  const party = (at: Date, withdrawnAt: Date | null = null) => db.walkInParty.create({ data: { storeId, staffId: manager, requestKey: `fixture-key-${String((key += 1)).padStart(8, '0')}`, at, withdrawnAt } });
  await party(sh('2026-11-20 10:00'));
  await party(sh('2026-11-20 11:00'), sh('2026-11-20 11:02'));
  await party(sh('2026-11-20 15:00'));
  await party(sh('2026-11-20 23:50'));
  await party(sh('2026-11-21 00:05'));

  // Lost requests: c4 lost to a competitor (approved, level 2); level 3 approved (not lost); one pending.
  await db.lostRequest.create({ data: { leadId: c4.leadId, requestedById: b, level: 2, reason: '已在别家买了', competitorModel: '竞品A', status: 'APPROVED', decidedById: manager, decidedAt: sh('2026-11-18 15:00'), createdAt: sh('2026-11-18 09:00') } });
  await db.lostRequest.create({ data: { leadId: c1.leadId, requestedById: a, level: 3, reason: '暂时不买', status: 'APPROVED', decidedById: manager, decidedAt: sh('2026-11-19 15:00'), createdAt: sh('2026-11-19 09:00') } });
  await db.lostRequest.create({ data: { leadId: c3.leadId, requestedById: a, level: 1, reason: '空号', status: 'PENDING', createdAt: sh('2026-11-19 09:00') } });

  // Surveys sent in the week: 10 (a), 6 test drive (a), expired (b), 10 (b), awaiting (a), delivery 7 (b).
  const survey = (c: { customerId: string; visitId: string }, consultantId: string, sentAt: Date, score: number | null, state: 'SENT' | 'COMPLETED' | 'EXPIRED', factor: string | null = null, kind: 'VISIT' | 'DELIVERY' = 'VISIT') =>
    db.survey.create({ data: { storeId, customerId: c.customerId, consultantId, kind, subjectId: `${kind}:${c.visitId}`, state, score, factor, sendAt: sentAt, sentAt, expiresAt: new Date(sentAt.getTime() + 48 * 3600_000), scoredAt: score === null ? null : sentAt } });
  await survey(c1, a, sh('2026-11-21 10:00'), 10, 'COMPLETED');
  const s2 = await survey(c3, a, sh('2026-11-21 10:00'), 6, 'COMPLETED', 'test_drive');
  await survey(c2, b, sh('2026-11-21 10:00'), null, 'EXPIRED');
  await survey(c4, b, sh('2026-11-17 10:00'), 10, 'COMPLETED');
  await survey(c5, a, sh('2026-11-16 10:00'), null, 'SENT');
  const s6 = await survey(c7, b, sh('2026-11-22 09:00'), 7, 'COMPLETED', 'delivery', 'DELIVERY');
  await db.survey.create({ data: { storeId, customerId: c1.customerId, consultantId: a, kind: 'DELIVERY', subjectId: 'next-week', sendAt: sh('2026-11-23 10:00'), expiresAt: sh('2026-11-25 10:00') } });

  // Recall tickets opened in the week: closed in time, overdue, two still open.
  let ref = 0;
  const ticket = (data: { type: 'RECALL' | 'COMPLAINT'; createdAt: Date; dueAt: Date; consultantId: string; surveyId?: string; takenAt?: Date; closedAt?: Date; category?: string }) =>
    db.ticket.create({ data: { storeId, reference: `TS-FIX-${(ref += 1)}`, description: '—', status: data.closedAt ? 'CLOSED' : data.takenAt ? 'IN_PROGRESS' : 'OPEN', ...data } });
  const H48 = 48 * 3600_000;
  await ticket({ type: 'RECALL', createdAt: sh('2026-11-17 10:00'), dueAt: new Date(sh('2026-11-17 10:00').getTime() + H48), closedAt: sh('2026-11-18 10:00'), consultantId: a });
  await ticket({ type: 'RECALL', createdAt: sh('2026-11-18 08:00'), dueAt: new Date(sh('2026-11-18 08:00').getTime() + H48), consultantId: b });
  await ticket({ type: 'RECALL', createdAt: sh('2026-11-21 10:05'), dueAt: new Date(sh('2026-11-21 10:05').getTime() + H48), consultantId: a, surveyId: s2.id });
  await ticket({ type: 'RECALL', createdAt: sh('2026-11-22 09:05'), dueAt: new Date(sh('2026-11-22 09:05').getTime() + H48), consultantId: b, surveyId: s6.id });
  // Complaints: taken in 10 min and closed (service); taken after 45 min, open, no category; one the week before.
  const M30 = 30 * 60_000;
  await ticket({ type: 'COMPLAINT', createdAt: sh('2026-11-19 10:00'), dueAt: new Date(sh('2026-11-19 10:00').getTime() + M30), takenAt: sh('2026-11-19 10:10'), closedAt: sh('2026-11-19 16:00'), consultantId: a, category: 'service' });
  await ticket({ type: 'COMPLAINT', createdAt: sh('2026-11-20 10:00'), dueAt: new Date(sh('2026-11-20 10:00').getTime() + M30), takenAt: sh('2026-11-20 10:45'), consultantId: b });
  await ticket({ type: 'COMPLAINT', createdAt: sh('2026-11-14 10:00'), dueAt: new Date(sh('2026-11-14 10:00').getTime() + M30), consultantId: b });

  // Follow-ups: this week a 3 (one changes the grade), b 1 (changes it); the week before a 1, b 2.
  const follow = (leadId: string, staffId: string, at: Date, gradeBefore: 'N' | 'H' | 'A' | 'B', gradeAfter: 'N' | 'H' | 'A' | 'B') =>
    db.followUp.create({ data: { leadId, staffId, way: 'call', note: '电话回访', gradeBefore, gradeAfter, at } });
  await follow(c1.leadId, a, sh('2026-11-16 10:00'), 'N', 'H');
  await follow(c3.leadId, a, sh('2026-11-17 10:00'), 'B', 'B');
  await follow(c5.leadId, a, sh('2026-11-20 23:30'), 'N', 'N');
  await follow(c2.leadId, b, sh('2026-11-18 10:00'), 'H', 'A');
  await follow(c5.leadId, a, sh('2026-11-10 10:00'), 'N', 'N');
  await follow(c4.leadId, b, sh('2026-11-11 10:00'), 'B', 'B');
  await follow(c4.leadId, b, sh('2026-11-15 23:59'), 'B', 'A');

  // Orders: c2 ordered on the 21st (b); c7 ordered on the 2nd and handed over on the 19th; one handed over 90 days before the 20th (first service due).
  await db.order.create({ data: { storeId, customerId: c2.customerId, consultantId: b, model: '城市SUV', orderedAt: sh('2026-11-21 11:00'), deliveryAt: sh('2026-12-05 10:00') } });
  await db.order.create({ data: { storeId, customerId: c7.customerId, consultantId: b, model: '城市SUV', orderedAt: sh('2026-11-02 11:00'), deliveryAt: sh('2026-11-19 10:00'), status: 'DELIVERED', deliveredAt: sh('2026-11-19 10:00') } });
  await db.order.create({ data: { storeId, customerId: c5.customerId, consultantId: a, model: '中型轿车', orderedAt: sh('2026-08-01 11:00'), deliveryAt: sh('2026-08-22 10:00'), status: 'DELIVERED', deliveredAt: sh('2026-08-22 10:00') } });

  // Messages made this week: 2 sent (one a handover reminder), 1 dead, 1 unknown, 1 held for quiet hours; one task for a consultant.
  let intent = 0;
  const message = (state: 'SENT' | 'DEAD' | 'UNKNOWN' | 'PENDING', createdAt: Date, extra: { kind?: string; sentAt?: Date; lastError?: string; customerId?: string } = {}) =>
    db.messageIntent.create({ data: { dedupeKey: `fixture:${(intent += 1)}`, storeId, purpose: 'SERVICE', kind: extra.kind ?? 'visit_thanks', payload: '{}', sendAt: createdAt, expiresAt: sh('2026-12-31 00:00'), state, createdAt, sentAt: extra.sentAt ?? null, lastError: extra.lastError ?? null, customerId: extra.customerId ?? null } });
  await message('SENT', sh('2026-11-16 09:00'), { kind: 'delivery_reminder_24h', sentAt: sh('2026-11-18 10:00'), customerId: c7.customerId });
  await message('SENT', sh('2026-11-20 12:00'), { sentAt: sh('2026-11-20 14:00') });
  await message('DEAD', sh('2026-11-20 12:00'));
  await message('UNKNOWN', sh('2026-11-21 12:00'));
  const held = await message('PENDING', sh('2026-11-21 22:00'), { lastError: 'outside 08:00–21:00 Asia/Shanghai' });
  await message('SENT', sh('2026-11-14 12:00'), { sentAt: sh('2026-11-14 12:00') });
  await db.staffTask.create({ data: { storeId, staffId: a, intentId: held.id, kind: 'relay', text: '请转告', createdAt: sh('2026-11-21 22:00') } });

  // A second store of the group in New York: a visit at 23:30 local on the 20th (04:30 UTC on the 21st).
  const other = await db.store.create({ data: { groupId: store.groupId, name: '纽约店', timeZone: 'America/New_York' } });
  const nyConsultant = await staff('Amy', 'CONSULTANT', other.id);
  await visit({ at: new Date('2026-11-21T04:30:00Z'), consultantId: nyConsultant, heardFrom: 'walk_in', grade: 'N', onStore: other.id });

  return { storeId, groupId: store.groupId, a, b, manager, otherStoreId: other.id };
}
