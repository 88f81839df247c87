/**
 * What every benchmark needs: its own PostgreSQL database, the platform started on it as a
 * separate process (as `npm start` would), a JSON client, and cleanup. Each bench script imports
 * this and adds its scenario.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { adminQuery as adminQueryOn, withDatabase } from '../test/helpers/database.js';

const root = path.resolve(import.meta.dirname, '..');
export const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const BENCH_ADMIN = { login: 'admin@flowmart.local', password: 'bench-admin-password' };

export const adminQuery = (text: string) => adminQueryOn(serverUrl, text);

export type BenchPlatform = {
  baseUrl: string;
  databaseUrl: string;
  /** A JSON call that throws unless the status is `expected`. */
  call<T = unknown>(method: string, url: string, body: unknown, headers: Record<string, string>, expected: number): Promise<{ json: T; res: Response }>;
  /** Logs in (or registers) and returns the session cookie header. */
  login(login: string, password: string): Promise<{ cookie: string }>;
};

/**
 * Runs `scenario` against a platform on a fresh database, then stops it and drops the database,
 * whatever happens.
 */
export async function withBenchPlatform(name: string, scenario: (platform: BenchPlatform) => Promise<void>, env: Record<string, string> = {}) {
  const dbName = `flowmart_bench_${name}_${Date.now().toString(36)}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-bench-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const baseUrl = `http://127.0.0.1:${port}`;
  const databaseUrl = withDatabase(serverUrl, dbName);
  await adminQuery(`create database ${dbName}`);
  let child: ChildProcess | undefined;
  try {
    // BENCH_PROFILE_DIR=/tmp/prof writes a V8 CPU profile of the platform when it stops.
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
    child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        SEED: 'none',
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '0',
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitReady(child, baseUrl);
    const call: BenchPlatform['call'] = async (method, url, body, headers, expected) => {
      const res = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: baseUrl, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.status !== expected) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
      return { json: (await res.json().catch(() => null)) as never, res };
    };
    const login: BenchPlatform['login'] = async (loginName, password) => {
      const { res } = await call('POST', '/api/v1/auth/login', { login: loginName, password }, {}, 200);
      return { cookie: cookieOf(res) };
    };
    await scenario({ baseUrl, databaseUrl, call, login });
  } finally {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, process.env.BENCH_PROFILE_DIR ? 5000 : 1000));
    await adminQuery(`drop database if exists ${dbName} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('fm_session='))!.split(';')[0]!;

async function waitReady(child: ChildProcess, baseUrl: string) {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error('the platform exited during start-up');
    if (await fetch(`${baseUrl}/readyz`).then((r) => r.ok).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the platform did not become ready within 60 s');
}

/** Runs `main` and exits non-zero on failure. */
export function runBench(main: () => Promise<void>) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

export type LeanResponse = { status: number; text: string; setCookies: string[] };

/**
 * A keep-alive HTTP/1.1 client for load loops. `fetch` costs the load generator about three times
 * the CPU per request, and on two cores that CPU is taken from the platform being measured.
 */
export function leanClient(baseUrl: string, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return (method: string, url: string, body: string | undefined, headers: Record<string, string>) =>
    new Promise<LeanResponse>((resolve, reject) => {
      const req = http.request(`${baseUrl}${url}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), setCookies: res.headers['set-cookie'] ?? [] }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * CPU time the whole machine has spent (every process: platform, database, load generator), from
 * /proc/stat, in ms (USER_HZ is 100 on Linux). Per unit of work it shows what the work costs
 * rather than how fast it went; on a virtual machine whose speed drifts it drifts too (15.5 to
 * 20.6 ms per checkout group for the same code, stop 13).
 */
export function machineBusyMs(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait
  const busy = fields.slice(0, 8).reduce((sum, ticks, i) => (i === 3 || i === 4 ? sum : sum + ticks), 0);
  return busy * 10;
}

/** The middle value (the mean of the middle two for an even count): benches report medians of several runs. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
