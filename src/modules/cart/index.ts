import type { Clock } from '../../platform/clock.js';
import type { Job } from '../../platform/scheduler.js';
import type { MerchantsService } from '../merchants/index.js';
import { cartRoutes } from './routes.js';
import { type CartDeps, createCartService, type StoreInfo } from './service.js';

export type { CartOwner, CartService, CartView } from './service.js';
export { CART_COOKIE, cartSchema } from './routes.js';

/** How long a store's name and open/closed state may be served from this process's memory. */
const STORE_INFO_TTL_MS = 5_000;

/** 购物车: guest and user carts, merged at login; lines grouped by store with totals and warnings. */
export function createCartModule(deps: Omit<CartDeps, 'stores'> & { merchants: Pick<MerchantsService, 'get'>; secureCookies: boolean }) {
  const service = createCartService({ ...deps, stores: storeDirectory(deps.merchants, deps.clock) });
  const jobs: Job[] = [{ name: 'cart.forget-guest-carts', everyMs: 60 * 60_000, sweep: (_db, now) => service.sweepExpiredGuestCarts(now) }];
  return { service, routes: cartRoutes(service, { secureCookies: deps.secureCookies }), jobs };
}

/**
 * Store names and states for cart pages, cached for a few seconds per process: a suspension shows
 * in carts within that time, while checkout always asks the merchants module afresh.
 */
function storeDirectory(merchants: Pick<MerchantsService, 'get'>, clock: Clock) {
  const cache = new Map<string, { info: StoreInfo; until: number }>();
  return async (merchantIds: readonly string[]) => {
    const now = clock.now().getTime();
    const result = new Map<string, StoreInfo>();
    await Promise.all(
      merchantIds.map(async (id) => {
        const hit = cache.get(id);
        if (hit && hit.until > now) return result.set(id, hit.info);
        const info = await merchants.get(id).then(
          (m) => ({ name: m.name, active: m.state === 'active' }),
          () => ({ name: '', active: false }),
        );
        if (cache.size > 10_000) cache.clear();
        cache.set(id, { info, until: now + STORE_INFO_TTL_MS });
        return result.set(id, info);
      }),
    );
    return result;
  };
}

export type CartModule = ReturnType<typeof createCartModule>;
