import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { MerchantsModule } from '../merchants/index.js';
import { merchantOrderRoutes } from './merchant-routes.js';
import { createStoreRulesService } from './store-rules.js';

export type { StoreRules, UnmetCondition } from './store-rules.js';
export { defaultStoreRules, evaluateStoreRules, shippingFeeFor } from './store-rules.js';

/** Orders: store order conditions, orders and their lifecycle. */
export function createOrdersModule(deps: { db: Db; clock: Clock; merchants: Pick<MerchantsModule, 'access'> }) {
  const rules = createStoreRulesService(deps);
  return { rules, merchantRoutes: merchantOrderRoutes({ access: deps.merchants.access, rules }) };
}

export type OrdersModule = ReturnType<typeof createOrdersModule>;
