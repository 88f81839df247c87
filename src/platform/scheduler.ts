import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.js';
import type { Db, Tx } from './db.js';

/**
 * Time-based rules (unpaid orders close, receipts auto-confirm, sessions expire) are deadline
 * columns plus jobs that sweep due rows. A job claims its rows with `FOR UPDATE SKIP LOCKED` inside
 * a transaction (see `claimDue`), so any number of app processes can run the same scheduler: each
 * row is handled once, and a crash mid-sweep rolls the claim back for the next sweep.
 */
export type Job = {
  name: string;
  everyMs: number;
  /** Handles one batch of due rows; resolves to how many it handled. */
  sweep: (db: Db, now: Date) => Promise<number>;
};

export type Scheduler = {
  start(): void;
  stop(): Promise<void>;
  /** Runs every job once until nothing is due; for tests and for start-up catch-up. */
  drain(): Promise<Record<string, number>>;
};

export function createScheduler(deps: { db: Db; clock: Clock; log: FastifyBaseLogger; jobs: Job[] }): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<Promise<unknown>>();
  let stopped = true;

  const runJob = async (job: Job) => {
    try {
      const handled = await job.sweep(deps.db, deps.clock.now());
      if (handled > 0) deps.log.info({ job: job.name, handled }, 'scheduler sweep');
      return handled;
    } catch (err) {
      deps.log.error({ err, job: job.name }, 'scheduler sweep failed');
      return 0;
    }
  };

  const schedule = (job: Job) => {
    const timer = setTimeout(async () => {
      if (stopped) return;
      const run = runJob(job);
      running.add(run);
      await run;
      running.delete(run);
      if (!stopped) schedule(job);
    }, job.everyMs);
    timer.unref();
    timers.push(timer);
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      for (const job of deps.jobs) schedule(job);
    },
    async stop() {
      stopped = true;
      for (const t of timers.splice(0)) clearTimeout(t);
      await Promise.all(running);
    },
    async drain() {
      const totals: Record<string, number> = {};
      for (const job of deps.jobs) {
        let total = 0;
        for (let handled = await runJob(job); handled > 0; handled = await runJob(job)) total += handled;
        totals[job.name] = total;
      }
      return totals;
    },
  };
}

/**
 * Claims up to `limit` due rows in a transaction and hands them to `handle` within it.
 * `select` must end in `FOR UPDATE SKIP LOCKED` (Drizzle: `.for('update', { skipLocked: true })`).
 */
export async function claimDue<Row>(
  db: Db,
  select: (tx: Tx) => Promise<Row[]>,
  handle: (tx: Tx, rows: Row[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await select(tx);
    if (rows.length > 0) await handle(tx, rows);
    return rows.length;
  });
}
