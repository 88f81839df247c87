import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import { type Db, preparedPerExecutor } from '../../platform/db.js';
import { appendFlowEvent, type Actor } from '../../platform/events.js';
import { type AcceptMode, storeOrderRules } from './schema.js';

/** A store's order conditions (订单生成条件). Money in fen. */
export type StoreRules = {
  minOrderAmount: number;
  maxQuantityPerSku: number | null;
  deliveryProvinces: string[] | null;
  shippingFee: number;
  freeShippingFrom: number | null;
  acceptMode: AcceptMode;
  acceptDeadlineHours: number;
};

export const defaultStoreRules: StoreRules = {
  minOrderAmount: 0,
  maxQuantityPerSku: null,
  deliveryProvinces: null,
  shippingFee: 0,
  freeShippingFrom: null,
  acceptMode: 'auto',
  acceptDeadlineHours: 24,
};

/** A condition the shopper's order for one store does not meet. */
export type UnmetCondition =
  | { code: 'below_minimum_amount'; minimum: number; itemsTotal: number; shortBy: number }
  | { code: 'quantity_above_limit'; skuId: string; limit: number; quantity: number }
  | { code: 'province_not_served'; provinceCode: string; provinces: string[] };

export type StoreOrderDraft = {
  itemsTotal: number;
  lines: readonly { skuId: string; quantity: number }[];
  /** Unknown before the shopper picks an address (the cart): the region check waits for checkout. */
  provinceCode?: string;
};

export function shippingFeeFor(rules: StoreRules, itemsTotal: number): number {
  if (rules.freeShippingFrom !== null && itemsTotal >= rules.freeShippingFrom) return 0;
  return rules.shippingFee;
}

/** The shipping fee and every unmet condition of one store's part of an order. Pure. */
export function evaluateStoreRules(rules: StoreRules, draft: StoreOrderDraft): { shippingFee: number; unmet: UnmetCondition[] } {
  const unmet: UnmetCondition[] = [];
  if (draft.itemsTotal < rules.minOrderAmount) {
    unmet.push({ code: 'below_minimum_amount', minimum: rules.minOrderAmount, itemsTotal: draft.itemsTotal, shortBy: rules.minOrderAmount - draft.itemsTotal });
  }
  if (rules.maxQuantityPerSku !== null) {
    const perSku = new Map<string, number>();
    for (const line of draft.lines) perSku.set(line.skuId, (perSku.get(line.skuId) ?? 0) + line.quantity);
    for (const [skuId, quantity] of perSku) {
      if (quantity > rules.maxQuantityPerSku) unmet.push({ code: 'quantity_above_limit', skuId, limit: rules.maxQuantityPerSku, quantity });
    }
  }
  if (draft.provinceCode !== undefined && rules.deliveryProvinces !== null && !rules.deliveryProvinces.includes(draft.provinceCode)) {
    unmet.push({ code: 'province_not_served', provinceCode: draft.provinceCode, provinces: rules.deliveryProvinces });
  }
  return { shippingFee: shippingFeeFor(rules, draft.itemsTotal), unmet };
}

type RulesRow = typeof storeOrderRules.$inferSelect;
const fromRow = (row: RulesRow): StoreRules => ({
  minOrderAmount: row.minOrderAmount,
  maxQuantityPerSku: row.maxQuantityPerSku,
  deliveryProvinces: row.deliveryProvinces,
  shippingFee: row.shippingFee,
  freeShippingFrom: row.freeShippingFrom,
  acceptMode: row.acceptMode,
  acceptDeadlineHours: row.acceptDeadlineHours,
});

const rulesRows = preparedPerExecutor((db) =>
  db
    .select()
    .from(storeOrderRules)
    .where(sql`${storeOrderRules.merchantId} = any(${sql.placeholder('ids')}::text[])`)
    .prepare('store_rules_of'),
);

export async function rulesOf(db: Db, merchantIds: readonly string[]): Promise<Map<string, StoreRules>> {
  const unique = [...new Set(merchantIds)];
  const rows = unique.length ? await rulesRows(db).execute({ ids: unique }) : [];
  const found = new Map(rows.map((r) => [r.merchantId, fromRow(r)]));
  return new Map(unique.map((id) => [id, found.get(id) ?? defaultStoreRules]));
}

export function createStoreRulesService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  return {
    async get(merchantId: string): Promise<StoreRules> {
      const [row] = await db.select().from(storeOrderRules).where(eq(storeOrderRules.merchantId, merchantId));
      return row ? fromRow(row) : defaultStoreRules;
    },

    rulesOf: (merchantIds: readonly string[]) => rulesOf(db, merchantIds),

    /** Replaces the store's rules; the change is logged (old and new) so analytics can relate it to orders. */
    async put(merchantId: string, actor: Actor, rules: StoreRules): Promise<StoreRules> {
      const at = clock.now();
      const values = {
        ...rules,
        deliveryProvinces: rules.deliveryProvinces === null ? null : [...new Set(rules.deliveryProvinces)].sort(),
        updatedAt: at,
        updatedBy: actor.id,
      };
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(storeOrderRules)
          .values({ merchantId, ...values })
          .onConflictDoUpdate({ target: storeOrderRules.merchantId, set: values })
          .returning();
        await appendFlowEvent(tx, {
          type: 'merchant.set_order_rules',
          objectType: 'merchant',
          objectId: merchantId,
          actor,
          occurredAt: at,
          data: { rules: fromRow(row!) },
        });
        return fromRow(row!);
      });
    },
  };
}

export type StoreRulesService = ReturnType<typeof createStoreRulesService>;
