/**
 * `npm run bench`: creates a PostgreSQL database, starts the platform on it as a separate process
 * (as `npm start` would), runs each load scenario with autocannon and prints a table.
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server;
 * BENCH_DURATION (seconds per scenario, default 10) and BENCH_CONNECTIONS (default 20) size it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { withDatabase } from '../test/helpers/database.js';
import { scenarios, type BenchContext } from './scenarios.js';

const root = path.resolve(import.meta.dirname, '..');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const port = 3900 + Math.floor(Math.random() * 90);
const dbName = `flowmart_bench_${Date.now().toString(36)}`;

async function admin(text: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function startPlatform(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: withDatabase(serverUrl, dbName),
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED: 'none',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      ADMIN_PASSWORD: 'bench-admin-password',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error('the platform exited during start-up');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok).catch(() => false);
    if (ready) return child;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the platform did not become ready within 60 s');
}

async function main() {
  await admin(`create database ${dbName}`);
  let child: ChildProcess | undefined;
  try {
    child = await startPlatform();
    const ctx: BenchContext = { baseUrl: `http://127.0.0.1:${port}` };
    const rows = [];
    for (const scenario of scenarios) {
      const setup = await scenario.setup(ctx);
      const result = await autocannon({
        url: `${ctx.baseUrl}${scenario.path}`,
        method: scenario.method ?? 'GET',
        headers: setup.headers,
        connections,
        duration,
      });
      rows.push({
        scenario: scenario.name,
        'req/s (avg)': Math.round(result.requests.average),
        'p50 ms': result.latency.p50,
        'p99 ms': result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        ...(setup.check ? await setup.check() : {}),
      });
    }
    console.log(`\nFlowmart bench: ${connections} connections, ${duration}s per scenario, PostgreSQL\n`);
    console.table(rows);
  } finally {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await admin(`drop database if exists ${dbName} with (force)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
