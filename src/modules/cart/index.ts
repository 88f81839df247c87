import type { Job } from '../../platform/scheduler.js';
import { cartRoutes } from './routes.js';
import { type CartDeps, createCartService } from './service.js';

export type { CartOwner, CartService, CartView, StoreInfo } from './service.js';
export { CART_COOKIE, cartSchema } from './routes.js';

/** 购物车: guest and user carts, merged at login; lines grouped by store with totals and warnings. */
export function createCartModule(deps: CartDeps & { secureCookies: boolean }) {
  const service = createCartService(deps);
  const jobs: Job[] = [{ name: 'cart.forget-guest-carts', everyMs: 60 * 60_000, sweep: (_db, now) => service.sweepExpiredGuestCarts(now) }];
  return { service, routes: cartRoutes(service, { secureCookies: deps.secureCookies }), jobs };
}

export type CartModule = ReturnType<typeof createCartModule>;
