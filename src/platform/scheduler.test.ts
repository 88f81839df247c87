import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { type Database, openDatabase, queryRows } from './db.js';
import { manualClock } from './clock.js';
import { claimDue, createScheduler, type Job } from './scheduler.js';

const log = pino({ level: 'silent' });

describe('scheduler', () => {
  let database: Database;
  let url: string | undefined;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, url, drop } = await createTestDatabase());
    await database.db.execute(sql`create table reminders (id int primary key, due_at timestamptz not null, handled_by text)`);
  });
  afterAll(() => drop());

  /** Claims due, unhandled reminders and marks which worker handled them. */
  const sweeper = (db: Database['db'], worker: string, batch: number) => (now: Date) =>
    claimDue(
      db,
      (tx) =>
        queryRows<{ id: number }>(
          tx,
          sql`select id from reminders where due_at <= ${now} and handled_by is null order by id limit ${batch} for update skip locked`,
        ),
      async (tx, rows) => {
        // Hold the claim a moment so that concurrent sweeps overlap.
        await tx.execute(sql`select pg_sleep(0.01)`);
        for (const row of rows) {
          await tx.execute(sql`update reminders set handled_by = coalesce(handled_by || ',', '') || ${worker} where id = ${row.id}`);
        }
      },
    );

  it('handles only due rows, and drain() sweeps until nothing is due', async () => {
    const clock = manualClock(new Date('2026-03-01T00:00:00Z'));
    await database.db.execute(sql`
      insert into reminders (id, due_at) select g, timestamptz '2026-03-01T00:00:00Z' + (g || ' minutes')::interval
      from generate_series(1, 30) g`);
    clock.set(new Date('2026-03-01T00:20:00Z'));
    const job: Job = { name: 'remind', everyMs: 60_000, sweep: (db, now) => sweeper(db, 'a', 7)(now) };
    const totals = await createScheduler({ db: database.db, clock, log, jobs: [job] }).drain();
    expect(totals).toEqual({ remind: 20 });
    const pending = await queryRows(database.db, sql`select count(*)::int as n from reminders where handled_by is null`);
    expect(pending).toEqual([{ n: 10 }]);
    await database.db.execute(sql`delete from reminders`);
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'two processes sweeping at once handle every row exactly once (PostgreSQL)',
    async () => {
      await database.db.execute(sql`insert into reminders (id, due_at) select g, now() - interval '1 minute' from generate_series(1, 200) g`);
      const other = await openDatabase({ databaseUrl: url!, poolSize: 3 });
      try {
        const now = new Date(Date.now() + 1000);
        const run = async (db: Database['db'], worker: string) => {
          let total = 0;
          for (let n = await sweeper(db, worker, 10)(now); n > 0; n = await sweeper(db, worker, 10)(now)) total += n;
          return total;
        };
        const [a, b] = await Promise.all([run(database.db, 'a'), run(other.db, 'b')]);
        expect(a + b).toBe(200);
        expect(a).toBeGreaterThan(0);
        expect(b).toBeGreaterThan(0);
        const rows = await queryRows(database.db, sql`select handled_by, count(*)::int as n from reminders group by handled_by order by 1`);
        expect(rows).toEqual([
          { handled_by: 'a', n: a },
          { handled_by: 'b', n: b },
        ]);
      } finally {
        await other.close();
      }
    },
  );
});
