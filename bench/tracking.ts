/**
 * `npx tsx bench/tracking.ts`: parcel tracking under load, on PostgreSQL. Starts the platform on a new
 * database (as `npm start` would), prepares BENCH_PARCELS (default 300) paid and shipped orders over
 * HTTP, then measures:
 *   1. push ingestion: BENCH_PUSHES (default 6,000) signed Kuaidi100 pushes, each carrying one new
 *      event of one parcel (and the parcel's earlier events, as the protocol does), from
 *      BENCH_CONNECTIONS (default 50) concurrent senders: pushes/s, p50, p99, errors;
 *   2. open streams: BENCH_STREAMS (default 2,000) Server-Sent Events connections on the orders,
 *      and the server's resident memory before and after (from /metrics);
 *   3. push → browser latency: with the streams open, pushes whose event must reach every stream of
 *      its order; p50 and p99 from sending the push to the event arriving at a stream.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import sharp from 'sharp';
import { formatChinaTime, pushSign, saltFor } from '../src/modules/fulfillment/index.js';
import { makeCreditCode } from '../test/helpers/factories.js';
import { BENCH_ADMIN, cookieOf, runBench, withBenchPlatform } from './harness.js';

const PARCELS = Number(process.env.BENCH_PARCELS ?? 300);
const PUSHES = Number(process.env.BENCH_PUSHES ?? 6000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 2000);
const LATENCY_PUSHES = 200;
const SECRET = 'bench-kuaidi100-salt-secret';

let base = '';
type Headers = Record<string, string>;

async function call<T = unknown>(method: string, url: string, body: unknown, headers: Headers, expected: number) {
  const res = await fetch(`${base}${url}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), origin: base, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return { json: (text ? JSON.parse(text) : undefined) as T, res };
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const ms = (n: number) => Math.round(n * 10) / 10;

/** A store with one product, a buyer, and PARCELS paid orders each shipped in one parcel. */
async function prepare() {
  const admin = { cookie: cookieOf((await call('POST', '/api/v1/auth/login', BENCH_ADMIN, {}, 200)).res) };
  const category = async (body: object) => (await call<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body, admin, 201)).json.category.id;
  const rootId = await category({ nameZh: '食品', nameEn: 'Food' });
  const leafId = await category({ parentId: rootId, nameZh: '茶叶', nameEn: 'Tea', attributes: [{ key: 'grade', nameZh: '等级', nameEn: 'Grade', kind: 'spec' }] });
  const owner = { cookie: cookieOf((await call('POST', '/api/v1/auth/register', { email: `owner-${randomUUID().slice(0, 8)}@example.com`, password: 'bench-password' }, {}, 201)).res) };
  const application = { name: `物流压测店${Date.now().toString(36)}`, contactName: '王芳', contactMobile: '13812345678', contactEmail: 'bench@example.com', creditCode: makeCreditCode() };
  const merchantId = (await call<{ merchant: { id: string } }>('POST', '/api/v1/merchant/application', application, owner, 201)).json.merchant.id;
  await call('POST', `/api/v1/admin/merchants/${merchantId}/approve`, undefined, admin, 200);
  const image = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 40, g: 120, b: 60 } } }).jpeg().toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(image)], { type: 'image/jpeg' }), 'tea.jpg');
  const uploaded = await fetch(`${base}/api/v1/merchant/images`, { method: 'POST', headers: { ...owner, origin: base }, body: form });
  const imageId = ((await uploaded.json()) as { image: { id: string } }).image.id;
  const product = await call<{ product: { id: string; skus: { id: string }[] } }>(
    'POST',
    '/api/v1/merchant/products',
    { code: 'TRACK', title: '武夷岩茶', categoryId: leafId, imageIds: [imageId], specs: [{ key: 'grade', values: ['一级'] }], skus: [{ code: 'TRACK-1', specs: { grade: '一级' }, price: 3900, onHand: 1_000_000, weightGrams: 250 }] },
    owner,
    201,
  );
  await call('POST', `/api/v1/merchant/products/${product.json.product.id}/submit`, undefined, owner, 200);
  await call('POST', `/api/v1/admin/products/${product.json.product.id}/approve`, undefined, admin, 200).catch(() => undefined);
  const skuId = product.json.product.skus[0]!.id;

  const buyer = { cookie: cookieOf((await call('POST', '/api/v1/auth/register', { email: `buyer-${Date.now()}@example.com`, password: 'bench-password' }, {}, 201)).res) };
  const addressId = (await call<{ address: { id: string } }>('POST', '/api/v1/addresses', { recipient: '李雷', mobile: '13812345678', provinceCode: '330000', cityCode: '330100', districtCode: '330106', detail: '文三路 90 号' }, buyer, 201)).json.address.id;

  process.stdout.write(`preparing ${PARCELS} shipped orders… `);
  const parcels: { orderId: string; nu: string }[] = [];
  await pool(Array.from({ length: PARCELS }, (_, i) => i), 8, async (i) => {
    const placed = await call<{ orders: { id: string }[]; payment: { id: string } }>('POST', '/api/v1/checkout', { buyNow: { skuId, quantity: 1 }, addressId }, { ...buyer, 'idempotency-key': randomUUID() }, 201);
    const orderId = placed.json.orders[0]!.id;
    await call('POST', `/api/v1/payments/${placed.json.payment.id}/sandbox/pay`, undefined, buyer, 202);
    for (let tries = 0; ; tries++) {
      const state = (await call<{ order: { state: string } }>('GET', `/api/v1/orders/${orderId}`, undefined, buyer, 200)).json.order.state;
      if (state === 'to_ship') break;
      if (tries > 200) throw new Error(`order ${orderId} stays ${state}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const nu = `78${String(1e10 + i)}`;
    await call('POST', `/api/v1/merchant/orders/${orderId}/shipments`, { parcels: [{ carrier: 'zhongtong', trackingNumber: nu }] }, owner, 201);
    parcels.push({ orderId, nu });
  });
  console.log('done');
  return { buyer, parcels };
}

/** The events a parcel has had so far, newest first, as Kuaidi100 lists them. */
const histories = new Map<string, { context: string; time: string; ftime: string; status: string; areaName: string }[]>();
let clock = Date.now() - 30 * 24 * 3600_000;
function nextPush(nu: string, context?: string) {
  clock += 1000; // one second apart: each event a distinct instant
  const time = formatChinaTime(new Date(clock));
  const event = { context: context ?? `【杭州市】快件已到达 杭州转运中心 ${clock}`, time, ftime: time, status: '在途', areaName: '浙江省,杭州市' };
  const history = [event, ...(histories.get(nu) ?? [])].slice(0, 30);
  histories.set(nu, history);
  const param = JSON.stringify({ status: 'polling', billstatus: 'got', message: '', lastResult: { message: 'ok', state: '0', status: '200', condition: '00', ischeck: '0', com: 'zhongtong', nu, data: history } });
  return new URLSearchParams({ param, sign: pushSign(param, saltFor(SECRET, 'zhongtong', nu)) }).toString();
}

// Keep-alive connections and plain node:http: the sender must not be what limits the rate (fetch
// cost more CPU per push than the platform's ingestion did).
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
function push(body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/v1/hooks/kuaidi100`, { method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (res.statusCode === 200 && (JSON.parse(text) as { result?: boolean }).result === true ? resolve() : reject(new Error(`push: ${res.statusCode} ${text}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function ingestion(parcels: { nu: string }[]) {
  // Signed bodies are prepared before the clock starts: what is measured is the platform's work.
  const bodies = Array.from({ length: PUSHES }, (_, i) => nextPush(parcels[i % parcels.length]!.nu));
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await pool(bodies, CONNECTIONS, async (body) => {
    const t0 = performance.now();
    try {
      await push(body);
      latencies.push(performance.now() - t0);
    } catch {
      errors += 1;
    }
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { 'pushes/s': Math.round(latencies.length / seconds), 'p50 ms': ms(percentile(latencies, 50)), 'p99 ms': ms(percentile(latencies, 99)), errors };
}

async function residentMb(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('process_resident_memory_bytes '));
  return Math.round(Number(line?.split(' ')[1]) / 1024 / 1024);
}

type Stream = { orderId: string; close(): void };

/** Opens an SSE stream with plain http (no per-stream fetch machinery), reporting each event's data. */
function openStream(orderId: string, cookie: string, lastEventId: number, onData: (data: string) => void): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/v1/orders/${orderId}/events`, { headers: { cookie, accept: 'text/event-stream', 'last-event-id': String(lastEventId) }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) onData(data.slice(6));
        }
      });
      resolve({ orderId, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

runBench(() =>
  withBenchPlatform(
    'tracking',
    async (platform) => {
      base = platform.baseUrl;
      const { buyer, parcels } = await prepare();

      console.log(`\n1. push ingestion: ${PUSHES} pushes over ${parcels.length} parcels, ${CONNECTIONS} concurrent senders`);
      console.table([await ingestion(parcels)]);

      const before = await residentMb();
      const waiting = new Map<string, { sent: number; left: number }>();
      const latencies: number[] = [];
      const onData = (data: string) => {
        const token = /bench-token-(\d+)/.exec(data)?.[0];
        const wait = token ? waiting.get(token) : undefined;
        if (!wait) return;
        latencies.push(performance.now() - wait.sent);
        wait.left -= 1;
      };
      // Streams resume after the newest event: no replay of the ingestion phase.
      const client = new pg.Client({ connectionString: platform.databaseUrl });
      await client.connect();
      const lastSeq = Number((await client.query<{ seq: string }>('select max(seq) as seq from flow_events')).rows[0]!.seq);
      await client.end();
      const streams: Stream[] = [];
      const opened = performance.now();
      const openMore = (count: number) =>
        pool(Array.from({ length: count }, (_, i) => parcels[(streams.length + i) % parcels.length]!.orderId), 50, async (orderId) => {
          streams.push(await openStream(orderId, buyer.cookie, lastSeq, onData));
        });
      // Memory per stream is the slope between half and all of the streams, both measured after a
      // pause: the ingestion phase's garbage makes the first reading alone meaningless.
      await openMore(Math.floor(STREAMS / 2));
      await new Promise((r) => setTimeout(r, 2000));
      const half = await residentMb();
      const halfCount = streams.length;
      await openMore(STREAMS - halfCount);
      await new Promise((r) => setTimeout(r, 2000));
      const after = await residentMb();
      console.log(`\n2. ${streams.length} open event streams (opened in ${Math.round(performance.now() - opened)} ms, with two 2 s pauses)`);
      console.table([{ 'RSS before MB': before, [`RSS with ${halfCount} MB`]: half, [`RSS with ${streams.length} MB`]: after, 'KB per stream (slope)': Math.round(((after - half) * 1024) / (streams.length - halfCount)) }]);

      const perOrder = new Map<string, number>();
      for (const s of streams) perOrder.set(s.orderId, (perOrder.get(s.orderId) ?? 0) + 1);
      const targets = parcels.filter((p) => perOrder.has(p.orderId));
      for (let i = 0; i < LATENCY_PUSHES; i++) {
        const parcel = targets[i % targets.length]!;
        const token = `bench-token-${i}`;
        const body = nextPush(parcel.nu, `【杭州市】${token} 快件已到达`);
        waiting.set(token, { sent: performance.now(), left: perOrder.get(parcel.orderId)! });
        await push(body);
        await new Promise((r) => setTimeout(r, 20));
      }
      const until = Date.now() + 10_000;
      while ([...waiting.values()].some((w) => w.left > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const missing = [...waiting.values()].reduce((n, w) => n + Math.max(0, w.left), 0);
      latencies.sort((a, b) => a - b);
      console.log(`\n3. push → stream latency: ${LATENCY_PUSHES} pushes, each to every stream of its order (${latencies.length} deliveries)`);
      console.table([{ 'p50 ms': ms(percentile(latencies, 50)), 'p99 ms': ms(percentile(latencies, 99)), 'max ms': ms(latencies.at(-1) ?? NaN), missing }]);
      for (const s of streams) s.close();
    },
    { KUAIDI100_SALT_SECRET: SECRET, SSE_HEARTBEAT_MS: '30000' },
  ),
);
