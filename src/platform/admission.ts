/**
 * Admission gate: at most `limit` calls run at once; the rest wait in arrival order.
 *
 * Under a burst (a flash sale: a thousand checkouts in the same second) every admitted request
 * shares the database pool's queue, which is first in, first out per statement. Without a gate,
 * each request's next statement waits behind every other request's current one, so the first
 * arrivals reach their write only after everyone has run their reads, and the sold-out check
 * cannot refuse anybody early. With the gate, the first arrivals finish (and take the stock) while
 * later ones wait without costing anything; those then see the stock gone at their first read.
 *
 * A waiter leaves the queue when its `signal` aborts (the shopper hung up: placing the order
 * anyway would hold stock for an unpaid order nobody sees) or after `maxWaitMs` (503 busy).
 */
import { AppError } from './errors.js';

export type Gate = {
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Calls running and calls waiting, for tests and metrics. */
  readonly load: { running: number; waiting: number };
};

/** The caller went away while waiting; nobody reads the answer. */
export const abandoned = () => new AppError(499, 'client_closed_request', 'The request was abandoned while waiting its turn');
export const busy = () => new AppError(503, 'busy', 'Too many requests are waiting; try again shortly', undefined, { 'retry-after': '5' });

export function createGate(limit: number, options: { maxWaitMs?: number } = {}): Gate {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`admission limit must be a positive integer, got ${limit}`);
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  let running = 0;
  const waiting = new Set<{ admit: () => void }>();

  const release = () => {
    // The freed place passes straight to the longest waiter (a Set keeps insertion order).
    const next = waiting.values().next().value;
    if (next) {
      waiting.delete(next);
      next.admit();
    } else running -= 1;
  };

  const wait = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abandoned());
      const leave = (error: AppError) => {
        waiting.delete(entry);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = () => leave(abandoned());
      const entry = {
        admit: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const timer = setTimeout(() => leave(busy()), maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.add(entry);
    });

  return {
    async run(work, signal) {
      if (running < limit) running += 1;
      else await wait(signal);
      try {
        return await work();
      } finally {
        release();
      }
    },
    get load() {
      return { running, waiting: waiting.size };
    },
  };
}
