/**
 * `npm run bench`: starts the platform on a new PostgreSQL database, runs each load scenario with
 * autocannon and prints a table. BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres)
 * names the server; BENCH_DURATION (seconds per scenario, default 10) and BENCH_CONNECTIONS
 * (default 20) size it; BENCH_ONLY runs the scenarios whose name contains it. Heavier, scenario-specific benches sit beside this file (catalog-bulk.ts, …).
 */
import autocannon from 'autocannon';
import { runBench, withBenchPlatform } from './harness.js';
import { scenarios } from './scenarios.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

runBench(() =>
  withBenchPlatform('http', async (platform) => {
    const rows = [];
    for (const scenario of scenarios.filter((s) => !process.env.BENCH_ONLY || s.name.includes(process.env.BENCH_ONLY))) {
      const setup = await scenario.setup(platform);
      const result = await autocannon({ url: `${platform.baseUrl}${scenario.path}`, method: scenario.method ?? 'GET', headers: setup.headers, connections, duration });
      rows.push({
        scenario: scenario.name,
        'req/s (avg)': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    }
    console.log(`\nFlowmart bench: ${connections} connections, ${duration}s per scenario, PostgreSQL\n`);
    console.table(rows);
  }),
);
