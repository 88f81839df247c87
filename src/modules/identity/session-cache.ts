/**
 * Sessions resolved lately, so that most requests learn who is asking without a database read.
 * Whatever could change a cached answer (a logout, a role gained or lost) drops the entries here
 * and, through NOTIFY on `identity_changed`, in every other process; an entry lives at most
 * `ttlMs`, which bounds the harm of a notice that never arrives (e.g. during a reconnect).
 */

/** The NOTIFY channel on which identity changes are announced to every process. */
export const IDENTITY_CHANNEL = 'identity_changed';

/** What changed: some users' roles or profiles, one session, or (unreadable notice) anything. */
export type IdentityChange = { userIds: string[] } | { sessionId: string } | { all: true };

export function parseIdentityChange(payload: string): IdentityChange {
  try {
    const change = JSON.parse(payload) as Partial<{ userIds: unknown; sessionId: unknown }>;
    if (Array.isArray(change.userIds) && change.userIds.every((id) => typeof id === 'string')) return { userIds: change.userIds as string[] };
    if (typeof change.sessionId === 'string') return { sessionId: change.sessionId };
  } catch {
    // fall through: drop everything
  }
  return { all: true };
}

type Cached = { sessionId: string; userId: string };

export function createSessionCache<V extends Cached>(options: { max: number; ttlMs: number; now?: () => number }) {
  const now = options.now ?? (() => performance.now());
  const entries = new Map<string, { value: V; until: number }>();
  // A read that began before a drop must not store what it found: it may be what was dropped.
  let generation = 0;

  return {
    get(key: string): V | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return hit.value;
    },

    /** The token to pass to `set` for a value about to be read from the database. */
    generation: () => generation,

    set(key: string, value: V, readAt: number) {
      if (readAt !== generation) return;
      entries.delete(key); // re-inserted last: the oldest entry is first in line to go
      entries.set(key, { value, until: now() + options.ttlMs });
      if (entries.size > options.max) entries.delete(entries.keys().next().value!);
    },

    drop(change: IdentityChange) {
      generation += 1;
      if ('all' in change) {
        entries.clear();
        return;
      }
      const users = 'userIds' in change ? new Set(change.userIds) : undefined;
      for (const [key, { value }] of entries) {
        if (users ? users.has(value.userId) : value.sessionId === (change as { sessionId: string }).sessionId) entries.delete(key);
      }
    },

    get size() {
      return entries.size;
    },
  };
}
