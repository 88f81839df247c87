import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import { flowEvents } from '../../platform/schema.js';
import { fulfillmentCursors, orderFulfillment, shipmentItems, shipments, storeShippingSettings, trackingEvents } from './schema.js';
import type { ShipmentState } from './states.js';

export type FulfillmentRow = typeof orderFulfillment.$inferSelect;
export type ShipmentRow = typeof shipments.$inferSelect;
export type ShipmentItemRow = typeof shipmentItems.$inferSelect;
export type TrackingEventRow = typeof trackingEvents.$inferSelect;

export const DEFAULT_SHIP_DEADLINE_HOURS = 48;

// ── store settings ────────────────────────────────────────────────────────────

export async function shipDeadlineHours(exec: Executor, merchantIds: readonly string[]): Promise<Map<string, number>> {
  const found = merchantIds.length
    ? await exec.select().from(storeShippingSettings).where(inArray(storeShippingSettings.merchantId, [...merchantIds]))
    : [];
  const hours = new Map(merchantIds.map((id) => [id, DEFAULT_SHIP_DEADLINE_HOURS]));
  for (const row of found) hours.set(row.merchantId, row.shipDeadlineHours);
  return hours;
}

export async function putShippingSettings(exec: Executor, row: typeof storeShippingSettings.$inferInsert): Promise<void> {
  await exec
    .insert(storeShippingSettings)
    .values(row)
    .onConflictDoUpdate({ target: storeShippingSettings.merchantId, set: { shipDeadlineHours: row.shipDeadlineHours, updatedAt: row.updatedAt, updatedBy: row.updatedBy } });
}

// ── order fulfillment rows ────────────────────────────────────────────────────

export async function insertFulfillments(exec: Executor, rows: (typeof orderFulfillment.$inferInsert)[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await exec.insert(orderFulfillment).values(rows).onConflictDoNothing().returning({ orderId: orderFulfillment.orderId });
  return inserted.length;
}

export async function lockFulfillment(exec: Executor, orderId: string): Promise<FulfillmentRow | undefined> {
  const [row] = await exec.select().from(orderFulfillment).where(eq(orderFulfillment.orderId, orderId)).for('update');
  return row;
}

export async function fulfillmentsOf(exec: Executor, orderIds: readonly string[]): Promise<FulfillmentRow[]> {
  if (orderIds.length === 0) return [];
  return exec.select().from(orderFulfillment).where(inArray(orderFulfillment.orderId, [...orderIds]));
}

export async function updateFulfillment(exec: Executor, orderId: string, changes: Partial<typeof orderFulfillment.$inferInsert>): Promise<void> {
  await exec.update(orderFulfillment).set(changes).where(eq(orderFulfillment.orderId, orderId));
}

/** Orders whose shipping deadline has passed, locked for this sweep. */
export async function claimShipDeadlines(exec: Executor, now: Date, limit: number): Promise<FulfillmentRow[]> {
  return exec
    .select()
    .from(orderFulfillment)
    .where(sql`${orderFulfillment.shipDeadlineAt} <= ${now}`)
    .orderBy(asc(orderFulfillment.shipDeadlineAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Orders whose receipt deadline has passed and whose clock runs, locked for this sweep. */
export async function claimConfirmDeadlines(exec: Executor, now: Date, limit: number): Promise<FulfillmentRow[]> {
  return exec
    .select()
    .from(orderFulfillment)
    .where(and(sql`${orderFulfillment.confirmDeadlineAt} <= ${now}`, eq(orderFulfillment.confirmPauses, 0)))
    .orderBy(asc(orderFulfillment.confirmDeadlineAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

export type StoreCounts = { merchantId: string; lateNow: number; lateEver: number; exceptions: number };

/** Per store: orders late right now (unshipped past the deadline), ever late, and parcels in exception. */
export async function storeCounts(exec: Executor, merchantId?: string): Promise<StoreCounts[]> {
  const only = merchantId ? sql`and merchant_id = ${merchantId}` : sql``;
  const rows = await queryRows<{ merchant_id: string; late_now: number; late_ever: number; exceptions: number }>(
    exec,
    sql`select merchant_id, sum(late_now)::int as late_now, sum(late_ever)::int as late_ever, sum(exceptions)::int as exceptions from (
          select merchant_id, count(*) filter (where shipped_at is null and closed_at is null) as late_now, count(*) as late_ever, 0 as exceptions
            from order_fulfillment where late_at is not null ${only} group by merchant_id
          union all
          select merchant_id, 0, 0, count(*) from shipments where state = 'exception' ${only} group by merchant_id
        ) t group by merchant_id order by merchant_id`,
  );
  return rows.map((r) => ({ merchantId: r.merchant_id, lateNow: Number(r.late_now), lateEver: Number(r.late_ever), exceptions: Number(r.exceptions) }));
}

/** A store's orders flagged late (unshipped past the deadline), oldest deadline first. */
export async function lateOrders(exec: Executor, merchantId: string | undefined, limit: number): Promise<FulfillmentRow[]> {
  return exec
    .select()
    .from(orderFulfillment)
    .where(and(isNotNull(orderFulfillment.lateAt), isNull(orderFulfillment.shippedAt), isNull(orderFulfillment.closedAt), merchantId ? eq(orderFulfillment.merchantId, merchantId) : undefined))
    .orderBy(asc(orderFulfillment.lateAt))
    .limit(limit);
}

// ── the order.accept consumer ─────────────────────────────────────────────────

export async function cursor(exec: Executor, name: string): Promise<Date | undefined> {
  const [row] = await exec.select().from(fulfillmentCursors).where(eq(fulfillmentCursors.name, name));
  return row?.watermark;
}

export async function setCursor(exec: Executor, name: string, watermark: Date): Promise<void> {
  await exec.insert(fulfillmentCursors).values({ name, watermark }).onConflictDoUpdate({ target: fulfillmentCursors.name, set: { watermark } });
}

export type OrderLogEntry = { type: string; orderId: string; merchantId: string; buyerId: string; at: Date };

/** `order.accept` (and `alsoTypes`) events from `since` on, by event time, oldest first. */
export async function acceptedSince(exec: Executor, since: Date, limit: number, alsoTypes: readonly string[] = []): Promise<OrderLogEntry[]> {
  const rows = await exec
    .select({ type: flowEvents.type, objectId: flowEvents.objectId, occurredAt: flowEvents.occurredAt, related: flowEvents.related })
    .from(flowEvents)
    .where(and(inArray(flowEvents.type, ['order.accept', ...alsoTypes]), sql`${flowEvents.occurredAt} >= ${since}`))
    .orderBy(asc(flowEvents.occurredAt), asc(flowEvents.seq))
    .limit(limit);
  return rows.map((r) => ({
    type: r.type,
    orderId: r.objectId,
    merchantId: r.related.find((x) => x.type === 'merchant')?.id ?? '',
    buyerId: r.related.find((x) => x.type === 'user')?.id ?? '',
    at: r.occurredAt,
  }));
}

/** A cancelled order: no deadline runs any more. */
export async function closeFulfillment(exec: Executor, orderId: string, at: Date): Promise<void> {
  await exec
    .update(orderFulfillment)
    .set({ closedAt: at, shipDeadlineAt: null, confirmDeadlineAt: null, updatedAt: at })
    .where(and(eq(orderFulfillment.orderId, orderId), isNull(orderFulfillment.closedAt)));
}

// ── shipments ─────────────────────────────────────────────────────────────────

export async function insertShipment(exec: Executor, row: typeof shipments.$inferInsert, items: (typeof shipmentItems.$inferInsert)[]): Promise<void> {
  await exec.insert(shipments).values(row);
  if (items.length) await exec.insert(shipmentItems).values(items);
}

export async function shipmentsOfOrders(exec: Executor, orderIds: readonly string[]): Promise<ShipmentRow[]> {
  if (orderIds.length === 0) return [];
  return exec.select().from(shipments).where(inArray(shipments.orderId, [...orderIds])).orderBy(asc(shipments.id));
}

export async function itemsOfOrders(exec: Executor, orderIds: readonly string[]): Promise<ShipmentItemRow[]> {
  if (orderIds.length === 0) return [];
  return exec.select().from(shipmentItems).where(inArray(shipmentItems.orderId, [...orderIds]));
}

export async function findShipment(exec: Executor, id: string): Promise<ShipmentRow | undefined> {
  const [row] = await exec.select().from(shipments).where(eq(shipments.id, id));
  return row;
}

export async function findByTracking(exec: Executor, carrier: string, trackingNumber: string): Promise<ShipmentRow | undefined> {
  const [row] = await exec.select().from(shipments).where(and(eq(shipments.carrier, carrier), eq(shipments.trackingNumber, trackingNumber)));
  return row;
}

/** Locks these parcels in id order (the order every batch takes them in); the rows found. */
export async function lockShipments(exec: Executor, ids: readonly string[]): Promise<ShipmentRow[]> {
  if (ids.length === 0) return [];
  return exec.select().from(shipments).where(inArray(shipments.id, [...ids])).orderBy(asc(shipments.id)).for('update');
}

/** What a tracking push may change on a parcel without moving its state. */
export type FeedChanges = Pick<ShipmentRow, 'trackingCode' | 'lastEventAt' | 'lastEventText' | 'lastEventArea' | 'feedStatus' | 'updatedAt'> & { exceptionKind?: ShipmentRow['exceptionKind'] };

/** Writes the feed fields of many parcels in one statement. */
export async function updateFeeds(exec: Executor, changes: ReadonlyMap<string, FeedChanges>): Promise<void> {
  if (changes.size === 0) return;
  const rows = [...changes].map(([id, c]) => ({
    id,
    tracking_code: c.trackingCode,
    last_event_at: c.lastEventAt?.toISOString() ?? null,
    last_event_text: c.lastEventText,
    last_event_area: c.lastEventArea,
    feed_status: c.feedStatus,
    set_exception: c.exceptionKind !== undefined,
    exception_kind: c.exceptionKind ?? null,
    updated_at: c.updatedAt.toISOString(),
  }));
  await exec.execute(sql`
    update ${shipments} s set
      tracking_code = c.tracking_code, last_event_at = c.last_event_at, last_event_text = c.last_event_text,
      last_event_area = c.last_event_area, feed_status = c.feed_status, updated_at = c.updated_at,
      exception_kind = case when c.set_exception then c.exception_kind else s.exception_kind end
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(
      id text, tracking_code integer, last_event_at timestamptz, last_event_text text, last_event_area text,
      feed_status text, set_exception boolean, exception_kind text, updated_at timestamptz)
    where s.id = c.id`);
}

export async function updateShipment(exec: Executor, id: string, changes: Partial<typeof shipments.$inferInsert>): Promise<void> {
  await exec.update(shipments).set(changes).where(eq(shipments.id, id));
}

/** Compare-and-set on the state, for `transition()`. */
export async function moveShipment(exec: Executor, id: string, from: ShipmentState, to: ShipmentState, changes: Partial<typeof shipments.$inferInsert>): Promise<boolean> {
  const moved = await exec
    .update(shipments)
    .set({ ...changes, state: to })
    .where(and(eq(shipments.id, id), eq(shipments.state, from)))
    .returning({ id: shipments.id });
  return moved.length === 1;
}

/** Takes a lease on due subscriptions (moves their deadline forward); no transaction stays open. */
export async function leaseSubscriptions(exec: Executor, now: Date, leaseUntil: Date, limit: number, ids?: readonly string[]): Promise<ShipmentRow[]> {
  const due = exec
    .select({ id: shipments.id })
    .from(shipments)
    .where(and(sql`${shipments.subscribeNextAt} <= ${now}`, ids ? inArray(shipments.id, [...ids]) : undefined))
    .orderBy(asc(shipments.subscribeNextAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return exec
    .update(shipments)
    .set({ subscribeNextAt: leaseUntil, subscribeAttempts: sql`${shipments.subscribeAttempts} + 1` })
    .where(inArray(shipments.id, due))
    .returning();
}

/** Parcels in exception, newest first. */
export async function exceptionParcels(exec: Executor, merchantId: string | undefined, limit: number): Promise<ShipmentRow[]> {
  return exec
    .select()
    .from(shipments)
    .where(and(eq(shipments.state, 'exception'), merchantId ? eq(shipments.merchantId, merchantId) : undefined))
    .orderBy(desc(shipments.exceptionAt))
    .limit(limit);
}

// ── tracking events ───────────────────────────────────────────────────────────

/** Inserts the events not stored yet; returns those it inserted. */
/**
 * Stores tracking events, skipping any already stored (same parcel, time and text); answers the ids
 * of the rows inserted. The rows travel as one JSON parameter: a push repeats the parcel's whole
 * history, and binding thousands of values one by one cost more than the insert.
 */
export async function insertTrackingEvents(exec: Executor, rows: readonly (typeof trackingEvents.$inferInsert)[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const json = rows.map((r) => ({
    id: r.id,
    shipment_id: r.shipmentId,
    occurred_at: r.occurredAt.toISOString(),
    ordinal: r.ordinal,
    context: r.context,
    status: r.status ?? null,
    code: r.code ?? null,
    area_name: r.areaName ?? null,
    received_at: r.receivedAt.toISOString(),
  }));
  const inserted = await queryRows<{ id: string }>(
    exec,
    sql`insert into ${trackingEvents} (id, shipment_id, occurred_at, ordinal, context, status, code, area_name, received_at)
        select * from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as e(
          id text, shipment_id text, occurred_at timestamptz, ordinal integer, context text, status text, code integer, area_name text, received_at timestamptz)
        on conflict do nothing
        returning id`,
  );
  return inserted.map((r) => r.id);
}

/** Every event of these parcels, in carrier time order. */
export async function timelines(exec: Executor, shipmentIds: readonly string[]): Promise<TrackingEventRow[]> {
  if (shipmentIds.length === 0) return [];
  return exec
    .select()
    .from(trackingEvents)
    .where(inArray(trackingEvents.shipmentId, [...shipmentIds]))
    .orderBy(asc(trackingEvents.shipmentId), asc(trackingEvents.occurredAt), asc(trackingEvents.ordinal), asc(trackingEvents.id));
}

/** The latest event of a parcel by carrier time. */
export async function latestEvent(exec: Executor, shipmentId: string): Promise<TrackingEventRow | undefined> {
  const [row] = await exec
    .select()
    .from(trackingEvents)
    .where(eq(trackingEvents.shipmentId, shipmentId))
    .orderBy(desc(trackingEvents.occurredAt), desc(trackingEvents.ordinal), desc(trackingEvents.id))
    .limit(1);
  return row;
}

// ── the flow log of one order (SSE) ───────────────────────────────────────────

export type LoggedEvent = typeof flowEvents.$inferSelect;

/** The order's own events and its parcels' events after `afterSeq`, in seq order. */
export async function orderStreamEvents(exec: Executor, orderId: string, afterSeq: number, limit: number): Promise<LoggedEvent[]> {
  const parcelIds = exec.select({ id: shipments.id }).from(shipments).where(eq(shipments.orderId, orderId));
  return exec
    .select()
    .from(flowEvents)
    .where(
      and(
        sql`${flowEvents.seq} > ${afterSeq}`,
        sql`((${flowEvents.objectType} = 'order' and ${flowEvents.objectId} = ${orderId}) or (${flowEvents.objectType} = 'shipment' and ${flowEvents.objectId} in ${parcelIds}))`,
      ),
    )
    .orderBy(asc(flowEvents.seq))
    .limit(limit);
}

export async function flowEventBySeq(exec: Executor, seq: number): Promise<LoggedEvent | undefined> {
  const [row] = await exec.select().from(flowEvents).where(eq(flowEvents.seq, seq));
  return row;
}

