/**
 * Funnels and step durations (流程分析) from the flow log. The log is the only source: every state
 * change of every object is in it, so these measures need no counters of their own and cover the
 * past as far back as the log goes.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { badRequest } from '../../platform/errors.js';
import { productMachine } from '../catalog/index.js';
import { orderMachine } from '../orders/index.js';
import { type FlowObjectType, type Funnel, flowObjectTypes, type Period, type Steps } from './contract.js';
import * as repo from './repo.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_PERIOD_MS = 30 * DAY_MS;

/** `[from, to)`, the last 30 days unless given; `from` after `to` is a 400. */
export function periodOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): Period {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
  if (from > to) throw badRequest('invalid_period', '`from` must not be after `to`', { from: from.toISOString(), to: to.toISOString() });
  return { from, to };
}

/** Checks object types against the known list (400 `unknown_object_type`, naming the known ones). */
export function knownObjectTypes(types: readonly string[]): FlowObjectType[] {
  const unknown = types.filter((t) => !(flowObjectTypes as readonly string[]).includes(t));
  if (unknown.length > 0) throw badRequest('unknown_object_type', `Unknown object type: ${unknown.join(', ')}`, { unknown, known: flowObjectTypes });
  return types as FlowObjectType[];
}

/** The log's event types of these object types (`<objectType>.<event>`, the convention every append follows). */
export async function typesOf(db: Db, objectTypes: readonly string[]): Promise<string[]> {
  const all = await repo.eventTypes(db);
  return all.filter((type) => objectTypes.some((o) => type.startsWith(`${o}.`)));
}

const typesTo = (machine: { objectType: string; rows: readonly { event: string; to: string }[] }, to: string) =>
  machine.rows.filter((r) => r.to === to).map((r) => `${machine.objectType}.${r.event}`);

/**
 * The order's funnel stages after `order.place`, in order; an order counts at a stage when it
 * reached that stage or any later one (an order confirmed without a carrier's 签收 was still received).
 */
const orderStages: { key: string; types: string[] }[] = [
  { key: 'paid', types: ['order.pay'] },
  { key: 'accepted', types: ['order.accept'] },
  { key: 'shipped', types: ['order.ship'] },
  { key: 'delivered', types: ['order.deliver'] },
  { key: 'completed', types: typesTo(orderMachine, 'completed') },
];
const orderCancelTypes = typesTo(orderMachine, 'cancelled');
// Review decisions of a submitted product (on_shelf also leads to on_sale, but is no review).
const productApproved = typesTo(productMachine, 'on_sale').filter((t) => t !== 'product.on_shelf');
const productRejected = typesTo(productMachine, 'rejected');

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function funnelSteps(counts: { key: string; count: number }[]) {
  const first = counts[0]?.count ?? 0;
  return counts.map((c, i) => ({ ...c, fromPrevious: i === 0 ? null : share(c.count, counts[i - 1]!.count), fromFirst: share(c.count, first) }));
}

/** A decision cohort: `approved` when it was ever approved since the seed, else `rejected` when refused, else still open. */
function decided(paths: { types: string[]; objects: number }[], approved: readonly string[], rejected: readonly string[]) {
  let total = 0;
  let yes = 0;
  let no = 0;
  for (const p of paths) {
    total += p.objects;
    if (p.types.some((t) => approved.includes(t))) yes += p.objects;
    else if (p.types.some((t) => rejected.includes(t))) no += p.objects;
  }
  return { total, approved: yes, rejected: no, open: total - yes - no };
}

export function createAnalyticsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  return {
    periodOf: (query: { from?: string | undefined; to?: string | undefined }) => periodOf(query, clock.now()),

    /**
     * The funnels of the period. Carts: distinct carts that got an item in the period. Orders,
     * products and stores are cohorts: those placed / submitted / applied in the period, followed
     * to where they have come since (up to now).
     */
    async funnel(period: Period): Promise<Funnel> {
      const [carts, orderPaths, productPaths, merchantPaths] = await Promise.all([
        repo.distinctObjects(db, 'cart.add_item', period),
        repo.cohortPaths(db, 'order', 'order.place', period),
        repo.cohortPaths(db, 'product', 'product.submit', period),
        repo.cohortPaths(db, 'merchant', 'merchant.apply', period),
      ]);

      let placed = 0;
      const atStage = orderStages.map(() => 0);
      const cancelled = new Map<string, number>();
      for (const path of orderPaths) {
        placed += path.objects;
        const furthest = orderStages.findLastIndex((stage) => stage.types.some((t) => path.types.includes(t)));
        for (let i = 0; i <= furthest; i++) atStage[i]! += path.objects;
        const cancel = orderCancelTypes.find((t) => path.types.includes(t));
        if (cancel) cancelled.set(cancel, (cancelled.get(cancel) ?? 0) + path.objects);
      }
      const cancelledTotal = [...cancelled.values()].reduce((a, b) => a + b, 0);
      const shoppingSteps = funnelSteps([{ key: 'carts', count: carts }, { key: 'placed', count: placed }, ...orderStages.map((s, i) => ({ key: s.key, count: atStage[i]! }))]);

      const products = decided(productPaths, productApproved, productRejected);
      const merchants = decided(merchantPaths, ['merchant.approve'], ['merchant.reject']);
      return {
        period: { from: period.from.toISOString(), to: period.to.toISOString() },
        shopping: {
          steps: shoppingSteps,
          outcomes: [
            { key: 'cancelled', count: cancelledTotal, share: share(cancelledTotal, placed) },
            ...orderCancelTypes.map((type) => ({ key: type, count: cancelled.get(type) ?? 0, share: share(cancelled.get(type) ?? 0, placed) })),
          ],
        },
        listing: {
          steps: funnelSteps([{ key: 'submitted', count: products.total }, { key: 'approved', count: products.approved }]),
          outcomes: [
            { key: 'rejected', count: products.rejected, share: share(products.rejected, products.total) },
            { key: 'open', count: products.open, share: share(products.open, products.total) },
          ],
        },
        merchants: {
          steps: funnelSteps([{ key: 'applied', count: merchants.total }, { key: 'approved', count: merchants.approved }]),
          outcomes: [
            { key: 'rejected', count: merchants.rejected, share: share(merchants.rejected, merchants.total) },
            { key: 'open', count: merchants.open, share: share(merchants.open, merchants.total) },
          ],
        },
      };
    },

    /** Step durations of one object type's lifecycle in the period; the step with the largest median is the bottleneck. */
    async steps(objectType: string, period: Period): Promise<Steps> {
      const [type] = knownObjectTypes([objectType]);
      const rows = await repo.steps(db, type!, await typesOf(db, [type!]), period);
      const worst = rows.reduce<repo.StepRow | undefined>((w, r) => (w === undefined || r.median_ms > w.median_ms ? r : w), undefined);
      return {
        period: { from: period.from.toISOString(), to: period.to.toISOString() },
        objectType: type!,
        objects: rows[0]?.total_objects ?? 0,
        steps: rows.map((r) => ({
          from: r.from,
          to: r.to,
          count: r.count,
          medianMs: Math.round(r.median_ms),
          p90Ms: Math.round(r.p90_ms),
          maxMs: Math.round(r.max_ms),
          bottleneck: r === worst && worst.median_ms > 0,
        })),
      };
    },
  };
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
