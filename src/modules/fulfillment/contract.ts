/** Request and response shapes of the fulfillment API, shared with the web client. */
import { z } from 'zod';
import { carrierCodes } from './carriers.js';
import { exceptionKinds, shipmentStates } from './states.js';

const id = z.string().max(64);

export const carrierSchema = z
  .object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), pattern: z.string().nullable(), example: z.string() })
  .meta({ id: 'Carrier', example: { code: 'shunfeng', nameZh: '顺丰速运', nameEn: 'SF Express', pattern: '^(SF\\d{12,13}|\\d{12})$', example: 'SF1234567890123' } });

export const trackingEventSchema = z
  .object({ id: z.string(), at: z.iso.datetime(), context: z.string(), status: z.string().nullable(), code: z.number().int().nullable(), areaName: z.string().nullable() })
  .meta({ id: 'TrackingEvent' });

export const shipmentSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    carrier: z.string(),
    carrierNameZh: z.string(),
    carrierNameEn: z.string(),
    trackingNumber: z.string(),
    state: z.enum(shipmentStates),
    /** Kuaidi100 code of the latest event: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转投, 14 拒签. */
    trackingCode: z.number().int().nullable(),
    exception: z.object({ kind: z.enum(exceptionKinds), at: z.iso.datetime() }).nullable(),
    latest: z.object({ context: z.string(), at: z.iso.datetime(), areaName: z.string().nullable() }).nullable(),
    items: z.array(z.object({ orderItemId: z.string(), quantity: z.number().int() })),
    subscription: z.enum(['pending', 'subscribed', 'failed']),
    shippedAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
    /** The carrier's events, oldest first (only in an order's detail). */
    events: z.array(trackingEventSchema),
  })
  .meta({ id: 'Shipment' });

export const orderFulfillmentSchema = z
  .object({
    orderId: z.string(),
    /** 发货时限 while the order waits to ship. */
    shipDeadlineAt: z.iso.datetime().nullable(),
    /** Missed the shipping deadline (still unshipped, or shipped after it). */
    late: z.boolean(),
    shippedAt: z.iso.datetime().nullable(),
    deliveredAt: z.iso.datetime().nullable(),
    /** 自动确认收货 time, while the clock runs. */
    confirmDeadlineAt: z.iso.datetime().nullable(),
    /** An open after-sales request stops the receipt clock. */
    receiptClockPaused: z.boolean(),
    unshipped: z.array(z.object({ orderItemId: z.string(), quantity: z.number().int() })),
    shipments: z.array(shipmentSchema),
  })
  .meta({ id: 'OrderFulfillment' });

export const trackingSummarySchema = z
  .object({
    orderId: z.string(),
    parcels: z.number().int(),
    delivered: z.number().int(),
    late: z.boolean(),
    shipDeadlineAt: z.iso.datetime().nullable(),
    exceptions: z.number().int(),
    /** The newest tracking line over all parcels. */
    latest: z.object({ shipmentId: z.string(), carrierNameZh: z.string(), carrierNameEn: z.string(), trackingNumber: z.string(), state: z.enum(shipmentStates), context: z.string().nullable(), at: z.iso.datetime().nullable() }).nullable(),
  })
  .meta({ id: 'OrderTrackingSummary' });

export const parcelInputSchema = z.strictObject({
  carrier: z.enum(carrierCodes),
  trackingNumber: z.string().trim().min(1).max(40),
  /** Lines and quantities in this parcel; omitted: everything not shipped yet. */
  items: z
    .array(z.strictObject({ orderItemId: id, quantity: z.int().min(1).max(100_000) }))
    .min(1)
    .max(200)
    .optional(),
});

export const shipBodySchema = z
  .strictObject({ parcels: z.array(parcelInputSchema).min(1).max(20) })
  .meta({
    example: {
      parcels: [
        { carrier: 'shunfeng', trackingNumber: 'SF1234567890123', items: [{ orderItemId: 'oit_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', quantity: 1 }] },
        { carrier: 'zhongtong', trackingNumber: '781234567890' },
      ],
    },
  });

export const bulkShipBodySchema = z
  .strictObject({
    items: z.array(z.strictObject({ orderId: id, carrier: z.string().max(40), trackingNumber: z.string().max(40) })).min(1).max(500),
  })
  .meta({ example: { items: [{ orderId: 'ord_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', carrier: 'yuantong', trackingNumber: 'YT1234567890123' }] } });

export const bulkResultSchema = z
  .object({
    orderId: z.string(),
    trackingNumber: z.string(),
    ok: z.boolean(),
    shipmentId: z.string().nullable(),
    orderState: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'BulkShipResult' });

export const shippingSettingsSchema = z.strictObject({ shipDeadlineHours: z.int().min(1).max(720) }).meta({ id: 'ShippingSettings', example: { shipDeadlineHours: 48 } });

export const storeFulfillmentStatsSchema = z
  .object({
    merchantId: z.string(),
    storeName: z.string(),
    /** Orders unshipped past their deadline right now. */
    lateNow: z.number().int(),
    /** Orders that ever missed their shipping deadline. */
    lateEver: z.number().int(),
    /** Parcels in exception (疑难, 退签, 拒签, 退回, tracking stopped). */
    exceptions: z.number().int(),
  })
  .meta({ id: 'StoreFulfillmentStats' });
