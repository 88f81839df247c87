/** Stock per SKU: the merchant sets, adds or removes; every change is recorded. available = on_hand − reserved. */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { MAX_ON_HAND } from './contract.js';
import type { StoreActor } from './products.js';
import * as repo from './repo.js';
import { skuView, stockAdjustmentView } from './views.js';

export type StockRequest = { mode: 'set' | 'add' | 'remove'; quantity: number; reason: string };

export function createStockService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  return {
    /**
     * One conditional UPDATE decides: on_hand never drops below what orders have reserved, so a
     * concurrent checkout can never be oversold by a merchant's correction.
     */
    async adjust(store: StoreActor, skuId: string, request: StockRequest) {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const changed = await repo.changeOnHand(tx, store.merchantId, skuId, request, MAX_ON_HAND, now);
        if (!changed) {
          const sku = await repo.findLiveSku(tx, skuId, store.merchantId);
          if (!sku) throw notFound('SKU');
          const target = request.mode === 'add' ? sku.onHand + request.quantity : request.mode === 'remove' ? sku.onHand - request.quantity : request.quantity;
          if (target > MAX_ON_HAND) throw unprocessable('stock_too_high', `Stock cannot exceed ${MAX_ON_HAND}`);
          throw unprocessable('insufficient_stock', `On hand cannot go below the ${sku.reserved} reserved units`, {
            onHand: sku.onHand,
            reserved: sku.reserved,
            requested: target,
          });
        }
        const adjustment = {
          id: newId('stockAdjustment'),
          skuId,
          productId: changed.productId,
          merchantId: store.merchantId,
          mode: request.mode,
          delta: changed.after - changed.before,
          onHandAfter: changed.after,
          reason: request.reason,
          actor: store.actor,
          createdAt: now,
        };
        await repo.insertStockAdjustments(tx, [adjustment]);
        await repo.refreshProductStats(tx, [changed.productId]);
        // In the flow log too, so that search and live views learn of it (e.g. stock reaching zero).
        await appendFlowEvent(tx, {
          type: 'sku.adjust_stock',
          objectType: 'sku',
          objectId: skuId,
          actor: store.actor,
          occurredAt: now,
          related: [
            { type: 'product', id: changed.productId, qualifier: 'sku of' },
            { type: 'merchant', id: store.merchantId, qualifier: 'store' },
          ],
          data: { mode: request.mode, delta: adjustment.delta, onHandAfter: changed.after, reason: request.reason },
        });
        const sku = (await repo.findLiveSku(tx, skuId, store.merchantId))!;
        return { sku: skuView(sku), adjustment: stockAdjustmentView(adjustment) };
      });
    },

    async history(store: StoreActor, skuId: string, page: { cursor?: string; limit: number }) {
      if (!(await repo.findLiveSku(db, skuId, store.merchantId))) throw notFound('SKU');
      const rows = await repo.listStockAdjustments(db, skuId, { ...page, limit: page.limit + 1 });
      const items = rows.slice(0, page.limit);
      return { items: items.map(stockAdjustmentView), nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
    },
  };
}

export type StockService = ReturnType<typeof createStockService>;
