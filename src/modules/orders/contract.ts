/**
 * Request and response shapes of the orders API that the web client shares. Money is integer fen.
 */
import { z } from 'zod';
import { isProvinceCode } from '../addresses/index.js';
import { orderStates } from './states.js';

export const MAX_FEE = 100_000_00; // 10 万元
export const MAX_AMOUNT = 1_000_000_000;

export const storeRulesSchema = z
  .strictObject({
    minOrderAmount: z.int().min(0).max(MAX_AMOUNT),
    maxQuantityPerSku: z.int().min(1).max(9999).nullable(),
    deliveryProvinces: z
      .array(z.string().refine(isProvinceCode, 'a GB/T 2260 province code, e.g. 330000'))
      .min(1)
      .max(34)
      .nullable(),
    shippingFee: z.int().min(0).max(MAX_FEE),
    freeShippingFrom: z.int().min(0).max(MAX_AMOUNT).nullable(),
    acceptMode: z.enum(['auto', 'manual']),
    acceptDeadlineHours: z.int().min(1).max(168),
  })
  .meta({
    id: 'StoreOrderRules',
    example: {
      minOrderAmount: 2000,
      maxQuantityPerSku: 5,
      deliveryProvinces: ['310000', '320000', '330000'],
      shippingFee: 800,
      freeShippingFrom: 9900,
      acceptMode: 'manual',
      acceptDeadlineHours: 24,
    },
  });

export const unmetConditionSchema = z
  .discriminatedUnion('code', [
    z.object({ code: z.literal('below_minimum_amount'), minimum: z.number(), itemsTotal: z.number(), shortBy: z.number() }),
    z.object({ code: z.literal('quantity_above_limit'), skuId: z.string(), limit: z.number(), quantity: z.number() }),
    z.object({ code: z.literal('province_not_served'), provinceCode: z.string(), provinces: z.array(z.string()) }),
  ])
  .meta({ id: 'UnmetCondition' });

export const addressSnapshotSchema = z
  .object({
    addressId: z.string(),
    recipient: z.string(),
    mobile: z.string(),
    provinceCode: z.string(),
    provinceName: z.string(),
    cityCode: z.string(),
    cityName: z.string(),
    districtCode: z.string(),
    districtName: z.string(),
    detail: z.string(),
    postalCode: z.string().nullable(),
  })
  .meta({ id: 'ShippingAddress' });

export const orderItemSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    title: z.string(),
    specs: z.record(z.string(), z.string()),
    imageUrl: z.string().nullable(),
    unitPrice: z.number().int(),
    quantity: z.number().int(),
    lineTotal: z.number().int(),
  })
  .meta({ id: 'OrderItem' });

export const cancelRequestSchema = z
  .object({
    state: z.enum(['pending', 'approved', 'declined']),
    reason: z.string(),
    requestedAt: z.string(),
    answer: z.string().optional(),
    answeredAt: z.string().optional(),
  })
  .meta({ id: 'CancelRequest' });

export const orderSummarySchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    merchantId: z.string(),
    storeName: z.string(),
    buyerId: z.string(),
    state: z.enum(orderStates),
    itemsTotal: z.number().int(),
    shippingFee: z.number().int(),
    total: z.number().int(),
    currency: z.literal('CNY'),
    note: z.string(),
    acceptMode: z.enum(['auto', 'manual']),
    items: z.array(orderItemSchema),
    cancelRequest: cancelRequestSchema.nullable(),
    cancelReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    paidAt: z.iso.datetime().nullable(),
    acceptedAt: z.iso.datetime().nullable(),
    cancelledAt: z.iso.datetime().nullable(),
    /** 接单 deadline while waiting for a manual store. */
    acceptDeadlineAt: z.iso.datetime().nullable(),
    /** When an unpaid order closes. */
    payDeadlineAt: z.iso.datetime().nullable(),
    /** What the caller may do next, e.g. ["pay", "cancel"] for the buyer of an unpaid order. */
    actions: z.array(z.string()),
  })
  .meta({ id: 'OrderSummary' });

export const refundSchema = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    state: z.enum(['pending', 'succeeded', 'failed']),
    amount: z.number().int(),
    currency: z.literal('CNY'),
    reason: z.string(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Refund' });

export const timelineEntrySchema = z
  .object({
    type: z.string(),
    at: z.iso.datetime(),
    actor: z.object({ kind: z.string(), id: z.string() }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OrderTimelineEntry' });

export const orderDetailSchema = orderSummarySchema
  .extend({
    address: addressSnapshotSchema,
    refunds: z.array(refundSchema),
    timeline: z.array(timelineEntrySchema),
  })
  .meta({ id: 'OrderDetail' });
