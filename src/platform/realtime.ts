import type { Database } from './db.js';
import { FLOW_EVENTS_CHANNEL, type FlowEventNotice } from './events.js';

/**
 * Live pushes. Every committed flow event (but the cart's, see cart/repo.ts) is announced with NOTIFY (PostgreSQL: to every app
 * process; PGlite: within this one). This hub holds one LISTEN per process and fans each notice
 * out to local subscribers of the objects it names, e.g. an order's SSE stream.
 */
export type Realtime = {
  /** Calls `handler` for every event whose object or related objects include `type:id`. */
  subscribe(type: string, id: string, handler: (notice: FlowEventNotice) => void): () => void;
  close(): Promise<void>;
};

export async function createRealtime(database: Database): Promise<Realtime> {
  const subscribers = new Map<string, Set<(notice: FlowEventNotice) => void>>();
  const unlisten = await database.listen(FLOW_EVENTS_CHANNEL, (payload) => {
    let notice: FlowEventNotice;
    try {
      notice = JSON.parse(payload) as FlowEventNotice;
    } catch {
      return;
    }
    const keys = new Set([`${notice.objectType}:${notice.objectId}`, ...notice.related.map((r) => `${r.type}:${r.id}`)]);
    for (const key of keys) for (const handler of subscribers.get(key) ?? []) handler(notice);
  });
  return {
    subscribe(type, id, handler) {
      const key = `${type}:${id}`;
      let set = subscribers.get(key);
      if (!set) subscribers.set(key, (set = new Set()));
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0) subscribers.delete(key);
      };
    },
    close: unlisten,
  };
}
