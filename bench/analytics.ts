/**
 * `npx tsx bench/analytics.ts`: the flow analytics on a large flow log, on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres). Creates a database,
 * writes a synthetic log with generate_series — BENCH_ORDERS (default 100,000) orders over 90 days,
 * each placed → paid → accepted → shipped → delivered → confirmed at realistic gaps, with two
 * tracking notes and a cart add each — then times, median of 3 runs: the funnel, the order steps
 * for 7 and 30 days, and the OCEL and CSV exports of 7 days (drained, bytes counted).
 */
import { sql } from 'drizzle-orm';
import { systemClock } from '../src/platform/clock.js';
import { openDatabase, queryRows } from '../src/platform/db.js';
import { csvExport, ocelExport } from '../src/modules/analytics/export.js';
import { createAnalyticsService } from '../src/modules/analytics/service.js';
import { withDatabase } from '../test/helpers/database.js';
import { adminQuery, median, runBench, serverUrl } from './harness.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100_000);
const DAY = 24 * 3600_000;

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = await run();
    times.push(performance.now() - t0);
  }
  return { ms: Math.round(median(times)), result };
}

async function drain(chunks: AsyncGenerator<string>): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) bytes += Buffer.byteLength(chunk);
  return bytes;
}

runBench(async () => {
  const name = `flowmart_bench_analytics_${Date.now().toString(36)}`;
  await adminQuery(`create database ${name}`);
  const database = await openDatabase({ databaseUrl: withDatabase(serverUrl, name), poolSize: 4 });
  try {
    const now = Date.now();
    const t0 = performance.now();
    // Step k of order n happens gap(k) after step k-1; orders spread over 90 days.
    await database.db.execute(sql`
      insert into flow_events (id, occurred_at, type, object_type, object_id, related, actor, data)
      select 'evt_' || n || '_' || k,
        to_timestamp(${(now - 90 * DAY) / 1000} + (n::float / ${ORDERS}) * ${(90 * DAY) / 1000}) + step.offset_s * interval '1 second',
        step.type, step.object_type,
        case when step.object_type = 'order' then 'ord_' || n when step.object_type = 'cart' then 'crt_' || (n % ${Math.max(1, Math.floor(ORDERS / 2))}) else 'shp_' || n end,
        jsonb_build_array(jsonb_build_object('type', 'merchant', 'id', 'mer_' || (n % 50), 'qualifier', 'store'), jsonb_build_object('type', 'order_group', 'id', 'grp_' || n, 'qualifier', 'group')),
        jsonb_build_object('kind', 'user', 'id', 'usr_' || (n % 5000)),
        case when step.to_state is null then '{}'::jsonb else jsonb_build_object('to', step.to_state) end
      from generate_series(1, ${ORDERS}) n
      cross join (values
        (0, -600, 'cart.add_item', 'cart', null),
        (1, 0, 'order.place', 'order', 'pending_payment'),
        (2, 600 + 0, 'order.pay', 'order', 'paid'),
        (3, 600 + 3 * 3600, 'order.accept', 'order', 'to_ship'),
        (4, 600 + 3 * 3600 + 20 * 3600, 'order.ship', 'order', 'shipped'),
        (5, 600 + 3 * 3600 + 40 * 3600, 'shipment.track', 'shipment', null),
        (6, 600 + 3 * 3600 + 60 * 3600, 'shipment.track', 'shipment', null),
        (7, 600 + 3 * 3600 + 70 * 3600, 'order.deliver', 'order', 'delivered'),
        (8, 600 + 3 * 3600 + 100 * 3600, 'order.confirm_receipt', 'order', 'completed')
      ) as step(k, offset_s, type, object_type, to_state)
      order by n, k`);
    await database.db.execute(sql`analyze flow_events`);
    const [{ events }] = (await queryRows<{ events: number }>(database.db, sql`select count(*)::int as events from flow_events`)) as [{ events: number }];
    console.log(`\n${events.toLocaleString()} events written in ${Math.round((performance.now() - t0) / 1000)} s (${ORDERS.toLocaleString()} orders over 90 days)\n`);

    const service = createAnalyticsService({ db: database.db, clock: systemClock });
    const last = (days: number) => ({ from: new Date(now - days * DAY), to: new Date(now) });
    const rows: Record<string, string | number>[] = [];
    const funnel = await timed(() => service.funnel(last(30)));
    rows.push({ query: 'funnel, 30 days', 'median ms': funnel.ms, result: `${funnel.result.shopping.steps[1]?.count ?? '?'} orders placed` });
    for (const days of [7, 30]) {
      const steps = await timed(() => service.steps('order', last(days)));
      const bottleneck = steps.result.steps.find((s) => s.bottleneck);
      rows.push({ query: `order steps, ${days} days`, 'median ms': steps.ms, result: `${steps.result.objects.toLocaleString()} orders; bottleneck ${bottleneck ? `${bottleneck.from} → ${bottleneck.to}` : 'none'}` });
    }
    const ocel = await timed(async () => drain((await ocelExport(database.db, last(7), { limit: 200_000 })).chunks));
    rows.push({ query: 'OCEL 2.0 JSON, 7 days', 'median ms': ocel.ms, result: `${(ocel.result / 1e6).toFixed(1)} MB` });
    const csv = await timed(async () => drain((await csvExport(database.db, last(7), { objectType: 'order', limit: 200_000 })).chunks));
    rows.push({ query: 'CSV event log (orders), 7 days', 'median ms': csv.ms, result: `${(csv.result / 1e6).toFixed(1)} MB` });
    console.table(rows);
  } finally {
    await database.close();
    await adminQuery(`drop database if exists ${name} with (force)`);
  }
});
