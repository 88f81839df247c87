/**
 * Admission gate: at most `limit` calls run at once; the rest wait in arrival order.
 *
 * Under a burst (a flash sale: a thousand checkouts in the same second) every admitted request
 * shares the database pool's queue, which is first in, first out per statement. Without a gate,
 * each request's next statement waits behind every other request's current one, so the first
 * arrivals reach their write only after everyone has run their reads, and the sold-out check
 * cannot refuse anybody early. With the gate, the first arrivals finish (and take the stock) while
 * later ones wait without costing anything; those then see the stock gone at their first read.
 */
export type Gate = {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Calls running and calls waiting, for tests and metrics. */
  readonly load: { running: number; waiting: number };
};

export function createGate(limit: number): Gate {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`admission limit must be a positive integer, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    // The freed place passes straight to the next waiter, so a newcomer cannot overtake it.
    if (next) next();
    else running -= 1;
  };

  return {
    async run(work) {
      if (running < limit) running += 1;
      else await new Promise<void>((admit) => waiting.push(admit));
      try {
        return await work();
      } finally {
        release();
      }
    },
    get load() {
      return { running, waiting: waiting.length };
    },
  };
}
