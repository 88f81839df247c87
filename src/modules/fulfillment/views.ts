/** Reading fulfillment: per order its deadlines, what is left to ship and its parcels. */
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { carrierOf } from './carriers.js';
import type { orderFulfillmentSchema, shipmentSchema, trackingSummarySchema } from './contract.js';
import type { OrdersPort, OrderRow } from './ports.js';
import * as repo from './repo.js';
import { unshippedOf } from './shipping.js';

export type ShipmentView = z.infer<typeof shipmentSchema>;
export type OrderFulfillmentView = z.infer<typeof orderFulfillmentSchema>;
export type TrackingSummary = z.infer<typeof trackingSummarySchema>;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const HOUR_MS = 3600_000;

export function shipmentView(s: repo.ShipmentRow, items: repo.ShipmentItemRow[], events: repo.TrackingEventRow[]): ShipmentView {
  const carrier = carrierOf(s.carrier);
  return {
    id: s.id,
    orderId: s.orderId,
    carrier: s.carrier,
    carrierNameZh: carrier?.nameZh ?? s.carrier,
    carrierNameEn: carrier?.nameEn ?? s.carrier,
    trackingNumber: s.trackingNumber,
    state: s.state,
    trackingCode: s.trackingCode,
    exception: s.state === 'exception' && s.exceptionKind ? { kind: s.exceptionKind, at: (s.exceptionAt ?? s.updatedAt).toISOString() } : null,
    latest: s.lastEventAt && s.lastEventText ? { context: s.lastEventText, at: s.lastEventAt.toISOString(), areaName: s.lastEventArea } : null,
    items: items.filter((i) => i.shipmentId === s.id).map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
    subscription: s.subscription,
    shippedAt: s.shippedAt.toISOString(),
    deliveredAt: iso(s.deliveredAt),
    events: events.filter((e) => e.shipmentId === s.id).map((e) => ({ id: e.id, at: e.occurredAt.toISOString(), context: e.context, status: e.status, code: e.code, areaName: e.areaName })),
  };
}

export function createViews(deps: { db: Db; clock: Clock; orders: OrdersPort }) {
  const { db, clock, orders } = deps;

  /** The shipping deadline and lateness, also for an order the flow-log consumer has not seen yet. */
  async function deadlines(rows: OrderRow[]) {
    const fulfillments = new Map((await repo.fulfillmentsOf(db, rows.map((o) => o.id))).map((f) => [f.orderId, f]));
    const missing = rows.filter((o) => !fulfillments.has(o.id) && o.state === 'to_ship' && o.acceptedAt);
    const hours = await repo.shipDeadlineHours(db, [...new Set(missing.map((o) => o.merchantId))]);
    const now = clock.now();
    return new Map(
      rows.map((o) => {
        const f = fulfillments.get(o.id);
        const computed = !f && o.state === 'to_ship' && o.acceptedAt ? new Date(o.acceptedAt.getTime() + hours.get(o.merchantId)! * HOUR_MS) : null;
        const shipDeadlineAt = f ? f.shipDeadlineAt : computed;
        const late = Boolean(f?.lateAt) || (o.state === 'to_ship' && shipDeadlineAt !== null && shipDeadlineAt <= now);
        return [o.id, { f, shipDeadlineAt: o.state === 'to_ship' ? (shipDeadlineAt ?? f?.lateAt ?? null) : null, late }];
      }),
    );
  }

  return {
    /** One order's fulfillment with every parcel's full timeline. */
    async detail(order: OrderRow): Promise<OrderFulfillmentView> {
      const [parcels, items, orderItems, times] = await Promise.all([
        repo.shipmentsOfOrders(db, [order.id]),
        repo.itemsOfOrders(db, [order.id]),
        orders.itemsOfOrder(db, order.id),
        deadlines([order]),
      ]);
      const events = await repo.timelines(db, parcels.map((p) => p.id));
      const { f, shipDeadlineAt, late } = times.get(order.id)!;
      const left = order.state === 'cancelled' ? new Map<string, number>() : unshippedOf(orderItems, items);
      return {
        orderId: order.id,
        shipDeadlineAt: iso(shipDeadlineAt),
        late,
        shippedAt: iso(f?.shippedAt),
        deliveredAt: iso(f?.deliveredAt),
        confirmDeadlineAt: iso(f?.confirmDeadlineAt),
        receiptClockPaused: (f?.confirmPauses ?? 0) > 0,
        unshipped: [...left].filter(([, q]) => q > 0).map(([orderItemId, quantity]) => ({ orderItemId, quantity })),
        shipments: parcels.map((p) => shipmentView(p, items, events)),
      };
    },

    /** For order lists: per order its parcels at a glance and the newest tracking line. */
    async summaries(rows: OrderRow[]): Promise<TrackingSummary[]> {
      const [parcels, times] = await Promise.all([repo.shipmentsOfOrders(db, rows.map((o) => o.id)), deadlines(rows)]);
      return rows.map((o) => {
        const mine = parcels.filter((p) => p.orderId === o.id);
        const newest = [...mine].sort((a, b) => (b.lastEventAt ?? b.shippedAt).getTime() - (a.lastEventAt ?? a.shippedAt).getTime())[0];
        const carrier = newest ? carrierOf(newest.carrier) : undefined;
        const { shipDeadlineAt, late } = times.get(o.id)!;
        return {
          orderId: o.id,
          parcels: mine.length,
          delivered: mine.filter((p) => p.state === 'delivered').length,
          late,
          shipDeadlineAt: iso(shipDeadlineAt),
          exceptions: mine.filter((p) => p.state === 'exception').length,
          latest: newest
            ? {
                shipmentId: newest.id,
                carrierNameZh: carrier?.nameZh ?? newest.carrier,
                carrierNameEn: carrier?.nameEn ?? newest.carrier,
                trackingNumber: newest.trackingNumber,
                state: newest.state,
                context: newest.lastEventText,
                at: iso(newest.lastEventAt),
              }
            : null,
        };
      });
    },
  };
}

export type Views = ReturnType<typeof createViews>;
