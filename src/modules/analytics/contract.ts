/** Request and response shapes of the flow analytics API (流程分析), shared with the web client. */
import { z } from 'zod';

/**
 * The object types the flow log knows: the objects events are about (`object_type`) and those they
 * relate to (`related[].type`). A type outside this list is refused (400 `unknown_object_type`), so
 * a typo never quietly yields an empty report; the integration test checks the list against the log.
 */
export const flowObjectTypes = [
  'product',
  'product_revision',
  'sku',
  'category',
  'merchant',
  'store_qualification',
  'review_task',
  'review_rule',
  'user',
  'cart',
  'order',
  'order_group',
  'payment',
  'refund',
  'shipment',
  'aftersales',
] as const;
export type FlowObjectType = (typeof flowObjectTypes)[number];

/** The object types with a lifecycle (a state machine), in the order the admin page offers them. */
export const stepObjectTypes = ['order', 'payment', 'shipment', 'refund', 'aftersales', 'product', 'product_revision', 'review_task', 'merchant', 'store_qualification'] as const;

const instant = z.iso.datetime({ offset: true });

/** A period `[from, to)`; the last 30 days by default. */
export const periodQuery = z.strictObject({
  from: instant.optional().describe('Start (inclusive), ISO 8601; default: 30 days before `to`'),
  to: instant.optional().describe('End (exclusive), ISO 8601; default: now'),
});

export const stepsQuery = periodQuery.extend({
  objectType: z.string().max(40).default('order').describe('Whose lifecycle: order, payment, shipment, product, aftersales, …'),
});

export const ocelQuery = periodQuery.extend({
  objectTypes: z.string().max(400).optional().describe('Comma-separated object types; events of these types, relationships among them. Default: all'),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(200_000).describe('At most this many events (oldest first); the export says when it stopped short'),
});

export const csvQuery = periodQuery.extend({
  objectType: z.string().max(40).default('order').describe('The case notion: one case per object of this type'),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(200_000).describe('At most this many rows (oldest first); the `x-flowmart-truncated` header says when it stopped short'),
});

const periodSchema = z.object({ from: z.string(), to: z.string() });

export const funnelStepSchema = z.object({
  key: z.string(),
  count: z.number().int(),
  /** Share of the previous step (null for the first step or when the previous is 0). Can pass 1 where a step has several sources. */
  fromPrevious: z.number().nullable(),
  /** Share of the first step (null when the first is 0). */
  fromFirst: z.number().nullable(),
});

export const funnelOutcomeSchema = z.object({
  key: z.string(),
  count: z.number().int(),
  /** Share of the funnel's first step. */
  share: z.number().nullable(),
});

const funnelPart = z.object({ steps: z.array(funnelStepSchema), outcomes: z.array(funnelOutcomeSchema) });

export const funnelSchema = z
  .object({
    period: periodSchema,
    /** Carts that got an item, then the orders placed in the period and how far each has come since. */
    shopping: funnelPart,
    /** Products submitted for review in the period, and their outcome since. */
    listing: funnelPart,
    /** Stores that applied in the period, and their outcome since. */
    merchants: funnelPart,
  })
  .meta({ id: 'FlowFunnel' });

export const stepSchema = z.object({
  /** The event that left the previous state, e.g. `order.pay`. */
  from: z.string(),
  /** The next state change of the same object, e.g. `order.accept`. */
  to: z.string(),
  count: z.number().int(),
  medianMs: z.number(),
  p90Ms: z.number(),
  maxMs: z.number(),
  /** The step with the largest median: where objects of this type wait longest. */
  bottleneck: z.boolean(),
});

export const stepsSchema = z
  .object({
    period: periodSchema,
    objectType: z.string(),
    /** Objects with at least one step ending in the period. */
    objects: z.number().int(),
    steps: z.array(stepSchema),
  })
  .meta({ id: 'FlowSteps' });

export type Period = { from: Date; to: Date };
export type Funnel = z.infer<typeof funnelSchema>;
export type Steps = z.infer<typeof stepsSchema>;
