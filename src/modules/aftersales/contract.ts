/** Request and response shapes of the after-sales API (售后), shared with the web client. */
import { z } from 'zod';
import { aftersalesKinds, aftersalesStates } from './states.js';

const id = z.string().max(64);

/** Why the buyer asks; the words are the UI's. */
export const aftersalesReasons = ['not_received', 'damaged', 'wrong_item', 'not_as_described', 'quality', 'changed_mind', 'other'] as const;

const parcelSchema = z.object({ carrier: z.string(), carrierNameZh: z.string(), carrierNameEn: z.string(), trackingNumber: z.string(), at: z.iso.datetime() });

export const aftersalesSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderItemId: z.string(),
    merchantId: z.string(),
    storeName: z.string(),
    buyerId: z.string(),
    kind: z.enum(aftersalesKinds),
    state: z.enum(aftersalesStates),
    /** The item as bought. */
    item: z.object({ skuId: z.string(), title: z.string(), specs: z.record(z.string(), z.string()), imageUrl: z.string().nullable(), unitPrice: z.number().int(), quantity: z.number().int() }),
    /** Units this request covers. */
    quantity: z.number().int(),
    /** Money to give back, in fen (0 for an exchange). */
    amount: z.number().int(),
    currency: z.literal('CNY'),
    reason: z.enum(aftersalesReasons),
    description: z.string(),
    /** The store's answer when it refused, and the platform's ruling when it was asked. */
    rejectReason: z.string().nullable(),
    escalationReason: z.string().nullable(),
    ruling: z.object({ for: z.enum(['buyer', 'merchant']), note: z.string(), at: z.iso.datetime() }).nullable(),
    /** Where the store wants the goods back (return and exchange), and the buyer's parcel. */
    returnParcel: parcelSchema.nullable(),
    /** The store's replacement parcel (exchange). */
    replacementParcel: parcelSchema.nullable(),
    /** requested: the store must answer before this (silence approves); rejected: the buyer may ask the platform until then (then it closes). */
    respondBy: z.iso.datetime().nullable(),
    /** What the acting viewer may do now. */
    actions: z.array(z.enum(['cancel', 'escalate', 'ship_back', 'confirm', 'approve', 'reject', 'receive_return', 'reship', 'rule'])),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** Every step, oldest first (from the flow log); only in the detail. */
    timeline: z.array(z.object({ type: z.string(), at: z.iso.datetime(), actor: z.object({ kind: z.string(), id: z.string() }), data: z.record(z.string(), z.unknown()) })),
  })
  .meta({ id: 'Aftersales' });
export type AftersalesView = z.infer<typeof aftersalesSchema>;

export const createAftersalesBody = z
  .strictObject({
    orderItemId: id,
    kind: z.enum(aftersalesKinds),
    quantity: z.int().min(1).max(999),
    reason: z.enum(aftersalesReasons),
    description: z.string().trim().max(500).default(''),
  })
  .meta({ example: { orderItemId: 'oit_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', kind: 'return_refund', quantity: 1, reason: 'damaged', description: '外包装破损，杯子有裂纹' } });

export const parcelBody = z.strictObject({ carrier: z.string().min(1).max(32), trackingNumber: z.string().trim().min(4).max(40) }).meta({ example: { carrier: 'shunfeng', trackingNumber: 'SF1234567890123' } });
export const reasonBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export const ruleBody = z.strictObject({ for: z.enum(['buyer', 'merchant']), note: z.string().trim().min(1).max(500) });
export const listQuery = z.strictObject({
  state: z.enum(aftersalesStates).optional(),
  /** open: every state still in progress. */
  open: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const aftersalesPageSchema = z.object({ items: z.array(aftersalesSchema), nextCursor: z.string().nullable() }).meta({ id: 'AftersalesPage' });
