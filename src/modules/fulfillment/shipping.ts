/**
 * 发货: a store ships an accepted order in one or more parcels. Each parcel names a carrier, a
 * tracking number and the quantities of order lines it holds; the order becomes `shipped` when
 * nothing is left to ship. Lock order: order row → fulfillment row → parcels.
 */
import { appendFlowEvent, type Actor } from '../../platform/events.js';
import { isUniqueViolation, type Executor } from '../../platform/db.js';
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { type CarrierCode, carrierOf, isTrackingNumberOf, normalizeTrackingNumber } from './carriers.js';
import { carrierCode } from './csv.js';
import { type Core, type OrderRow, related } from './ports.js';
import * as repo from './repo.js';

export type ParcelInput = { carrier: CarrierCode; trackingNumber: string; items?: { orderItemId: string; quantity: number }[] };
export type BulkRow = { orderId: string; carrier: string; trackingNumber: string };
export type BulkResult = { orderId: string; trackingNumber: string; ok: boolean; shipmentId: string | null; orderState: string | null; error: { code: string; message: string } | null };

const HOUR_MS = 3600_000;

/** Quantities still to ship per order line. */
export function unshippedOf(items: { id: string; quantity: number }[], shipped: { orderItemId: string; quantity: number }[]): Map<string, number> {
  const left = new Map(items.map((i) => [i.id, i.quantity]));
  for (const s of shipped) left.set(s.orderItemId, (left.get(s.orderItemId) ?? 0) - s.quantity);
  return left;
}

export function createShipping(core: Core, hooks: { afterShip: (shipmentIds: string[]) => void }) {
  const { db, clock, orders } = core;

  /**
   * The fulfillment row of an accepted order, locked; created here when the flow-log consumer has
   * not got to it yet. The caller holds the order row lock.
   */
  async function lockedFulfillment(tx: Executor, order: OrderRow, at: Date): Promise<repo.FulfillmentRow> {
    const found = await repo.lockFulfillment(tx, order.id);
    if (found) return found;
    const acceptedAt = order.acceptedAt ?? at;
    const hours = (await repo.shipDeadlineHours(tx, [order.merchantId])).get(order.merchantId)!;
    await repo.insertFulfillments(tx, [{ orderId: order.id, merchantId: order.merchantId, buyerId: order.buyerId, acceptedAt, shipDeadlineAt: new Date(acceptedAt.getTime() + hours * HOUR_MS), updatedAt: at }]);
    return (await repo.lockFulfillment(tx, order.id))!;
  }

  async function shipIn(tx: Executor, merchantId: string, orderId: string, actor: Actor, parcels: ParcelInput[]) {
    const at = clock.now();
    const order = await orders.lockOrder(tx, orderId);
    if (!order || order.merchantId !== merchantId) throw notFound('Order');
    if (order.state !== 'to_ship') {
      const hint = order.state === 'paid' ? 'Accept the order (接单) before shipping it' : `A ${order.state} order cannot be shipped`;
      throw conflict('order_not_shippable', hint, { state: order.state });
    }
    if (order.cancelRequest?.state === 'pending') throw conflict('cancellation_pending', 'The buyer asked to cancel this order: approve or decline the request first');
    const fulfillment = await lockedFulfillment(tx, order, at);
    const items = await orders.itemsOfOrder(tx, orderId);
    const left = unshippedOf(items, await repo.itemsOfOrders(tx, [orderId]));

    const created: repo.ShipmentRow[] = [];
    const seen = new Set<string>();
    for (const [index, parcel] of parcels.entries()) {
      const carrier = carrierOf(parcel.carrier)!;
      const trackingNumber = normalizeTrackingNumber(parcel.trackingNumber);
      if (!isTrackingNumberOf(carrier, trackingNumber)) {
        throw unprocessable('invalid_tracking_number', `${trackingNumber} is not a ${carrier.nameEn} tracking number (e.g. ${carrier.example})`, { index, carrier: carrier.code, example: carrier.example });
      }
      if (seen.has(`${carrier.code}:${trackingNumber}`) || (await repo.findByTracking(tx, carrier.code, trackingNumber))) {
        throw conflict('tracking_number_in_use', `${carrier.nameEn} ${trackingNumber} is already the number of another parcel`, { index, carrier: carrier.code, trackingNumber });
      }
      seen.add(`${carrier.code}:${trackingNumber}`);
      const wanted = parcel.items ?? [...left].filter(([, q]) => q > 0).map(([orderItemId, quantity]) => ({ orderItemId, quantity }));
      const lines = new Map<string, number>();
      for (const line of wanted) {
        if (!left.has(line.orderItemId)) throw unprocessable('unknown_order_item', `${line.orderItemId} is not a line of this order`, { index, orderItemId: line.orderItemId });
        lines.set(line.orderItemId, (lines.get(line.orderItemId) ?? 0) + line.quantity);
      }
      for (const [orderItemId, quantity] of lines) {
        const remaining = left.get(orderItemId)!;
        if (quantity > remaining) throw unprocessable('quantity_exceeds_unshipped', `Only ${remaining} of ${orderItemId} are left to ship`, { index, orderItemId, requested: quantity, remaining });
        left.set(orderItemId, remaining - quantity);
      }
      if (lines.size === 0) throw unprocessable('nothing_to_ship', 'This parcel holds nothing that is left to ship', { index });

      const row: repo.ShipmentRow = {
        id: newId('shipment'),
        orderId,
        merchantId,
        buyerId: order.buyerId,
        carrier: carrier.code,
        trackingNumber,
        state: 'awaiting_pickup',
        trackingCode: null,
        lastEventAt: null,
        lastEventText: null,
        lastEventArea: null,
        exceptionKind: null,
        exceptionAt: null,
        feedStatus: null,
        subscription: 'pending',
        subscribeAttempts: 0,
        subscribeNextAt: at,
        subscribeError: null,
        shippedBy: actor,
        shippedAt: at,
        deliveredAt: null,
        updatedAt: at,
      };
      const parcelItems = [...lines].map(([orderItemId, quantity]) => ({ shipmentId: row.id, orderId, orderItemId, quantity }));
      await repo.insertShipment(tx, row, parcelItems);
      await appendFlowEvent(tx, {
        type: 'shipment.ship',
        objectType: 'shipment',
        objectId: row.id,
        actor,
        occurredAt: at,
        related: related(order),
        data: { to: 'awaiting_pickup', carrier: carrier.code, trackingNumber, items: parcelItems.map(({ orderItemId, quantity }) => ({ orderItemId, quantity })) },
      });
      created.push(row);
    }

    let state = order.state as string;
    if ([...left.values()].every((q) => q <= 0)) {
      // Everything has left: the order is shipped; the receipt clock starts (reset again at delivery).
      const shippedLate = fulfillment.lateAt === null && fulfillment.shipDeadlineAt !== null && fulfillment.shipDeadlineAt < at;
      state = (await orders.markShipped(tx, order, actor, at, { shipmentIds: created.map((s) => s.id), late: shippedLate || fulfillment.lateAt !== null })).state;
      const confirmAt = new Date(at.getTime() + core.settings.autoConfirmUndeliveredMs);
      await repo.updateFulfillment(tx, orderId, {
        shippedAt: at,
        shipDeadlineAt: null,
        lateAt: shippedLate ? fulfillment.shipDeadlineAt : fulfillment.lateAt,
        ...(fulfillment.confirmPauses > 0 ? { confirmRemainingMs: core.settings.autoConfirmUndeliveredMs, confirmDeadlineAt: null } : { confirmDeadlineAt: confirmAt }),
        updatedAt: at,
      });
    }
    return { shipments: created, orderState: state };
  }

  async function ship(merchantId: string, orderId: string, actor: Actor, parcels: ParcelInput[]) {
    let result: Awaited<ReturnType<typeof shipIn>>;
    try {
      result = await db.transaction((tx) => shipIn(tx, merchantId, orderId, actor, parcels));
    } catch (err) {
      // Two stores racing for one number: the unique index decides.
      if (isUniqueViolation(err, 'shipments_tracking_uq')) throw conflict('tracking_number_in_use', 'This tracking number is already the number of another parcel');
      throw err;
    }
    hooks.afterShip(result.shipments.map((s) => s.id));
    return result;
  }

  return {
    ship,

    /** 批量发货: each row ships the whole rest of one order in one parcel; rows succeed or fail alone. */
    async shipMany(merchantId: string, actor: Actor, rows: BulkRow[]): Promise<BulkResult[]> {
      const results: BulkResult[] = [];
      for (const row of rows) {
        const base = { orderId: row.orderId, trackingNumber: row.trackingNumber };
        const carrier = carrierOf(carrierCode(row.carrier));
        if (!carrier) {
          results.push({ ...base, ok: false, shipmentId: null, orderState: null, error: { code: 'unknown_carrier', message: `${row.carrier} is not a known carrier code` } });
          continue;
        }
        try {
          const done = await ship(merchantId, row.orderId.trim(), actor, [{ carrier: carrier.code as CarrierCode, trackingNumber: row.trackingNumber }]);
          results.push({ ...base, ok: true, shipmentId: done.shipments[0]!.id, orderState: done.orderState, error: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ ...base, ok: false, shipmentId: null, orderState: null, error: { code: err.code, message: err.message } });
        }
      }
      return results;
    },

    async settings(merchantId: string) {
      return { shipDeadlineHours: (await repo.shipDeadlineHours(db, [merchantId])).get(merchantId)! };
    },

    async putSettings(merchantId: string, actor: Actor, input: { shipDeadlineHours: number }) {
      const at = clock.now();
      await db.transaction(async (tx) => {
        await repo.putShippingSettings(tx, { merchantId, shipDeadlineHours: input.shipDeadlineHours, updatedAt: at, updatedBy: actor.id });
        await appendFlowEvent(tx, { type: 'merchant.update_shipping_settings', objectType: 'merchant', objectId: merchantId, actor, occurredAt: at, data: { ...input } });
      });
      return input;
    },
  };
}

export type Shipping = ReturnType<typeof createShipping>;
