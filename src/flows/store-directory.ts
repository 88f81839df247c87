import type { Clock } from '../platform/clock.js';
import type { MerchantsService } from '../modules/merchants/index.js';

/** How long a store's name and open/closed state may be served from this process's memory. */
const TTL_MS = 5_000;

export type StoreInfo = { name: string; active: boolean };

/**
 * Store names and states for cart pages and order lists, cached for a few seconds per process: a
 * suspension shows in carts within that time, while checkout always asks the merchants module afresh.
 */
export function storeDirectory(merchants: Pick<MerchantsService, 'get'>, clock: Clock) {
  const cache = new Map<string, { info: StoreInfo; until: number }>();
  const lookup = async (merchantIds: readonly string[]) => {
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
        cache.set(id, { info, until: now + TTL_MS });
        return result.set(id, info);
      }),
    );
    return result;
  };
  return {
    lookup,
    async names(merchantIds: readonly string[]) {
      return new Map([...(await lookup(merchantIds))].map(([id, info]) => [id, info.name]));
    },
  };
}
