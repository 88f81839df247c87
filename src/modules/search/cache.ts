/**
 * A small in-process cache for hot reads (first listing pages, suggestions, term lookups). The
 * index's NOTIFY on every change clears it in every process, so the TTL only bounds staleness if a
 * notice is lost (e.g. while the listening connection reconnects). An entry past its TTL is still
 * answered once more while a single reload runs behind it (stale-while-revalidate), so expiry never
 * makes a queue of shoppers wait; a clear() is never answered from before it. Concurrent misses for
 * one key share one load.
 */
export type ReadCache<V> = {
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
};

export function readCache<V>(options: { max: number; ttlMs: number; now?: () => number }): ReadCache<V> {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: Promise<V>; until: number; generation: number; refreshing: boolean }>();
  let generation = 0;
  return {
    get(key, load) {
      const hit = entries.get(key);
      const at = now();
      if (hit && hit.generation === generation) {
        // Map order is insertion order: re-inserting keeps the most recently used last.
        entries.delete(key);
        entries.set(key, hit);
        if (hit.until <= at && !hit.refreshing) {
          hit.refreshing = true;
          const fresh = load();
          fresh.then(
            () => {
              if (entries.get(key) === hit) entries.set(key, { value: fresh, until: now() + options.ttlMs, generation: hit.generation, refreshing: false });
            },
            () => {
              hit.refreshing = false;
            },
          );
        }
        return hit.value;
      }
      const value = load();
      const entry = { value, until: at + options.ttlMs, generation, refreshing: false };
      entries.set(key, entry);
      // A failed load is not remembered; a load that started before a clear() is not kept after it.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      if (entries.size > options.max) entries.delete(entries.keys().next().value!);
      return value;
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      generation += 1;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
