/**
 * `npx tsx bench/flash-sale.ts`: the shopping flow under load, on PostgreSQL.
 * Creates a database, starts the platform on it as a separate process (as `npm start` would),
 * prepares two stores and their products over HTTP, then:
 *   1. flash sale: one SKU with stock 100, BENCH_SHOPPERS (default 1,000) shoppers each checking
 *      out one unit at the same moment. Prints order groups created, sold-out answers, 500s,
 *      stock afterwards, when the last order was placed and the time until every answer was in
 *      (BENCH_FLASH_STOCK changes the stock: 0 measures refusals alone, 1000 placements alone);
 *   2. add to cart: autocannon on POST /api/v1/cart/items (req/s, p50, p99);
 *   3. full checkout: 3 SKUs from 2 stores added to the cart, checkout, sandbox payment, until the
 *      payment notification has been handled (order groups/s, and the CPU the whole machine spent
 *      per group).
 * BENCH_REPEAT=N runs N rounds and prints medians; BENCH_ONLY (flash,cart,checkout) picks parts; BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_DURATION
 * (seconds for 2 and 3, default 10) and BENCH_CONNECTIONS (default 20) size it.
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import sharp from 'sharp';
import { makeCreditCode } from '../test/helpers/factories.js';
import { BENCH_ADMIN, type LeanResponse, leanClient, machineBusyMs, median, runBench, withBenchPlatform } from './harness.js';

const shoppers = Number(process.env.BENCH_SHOPPERS ?? 1000);
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const FLASH_STOCK = Number(process.env.BENCH_FLASH_STOCK ?? 100);
/** BENCH_ONLY=cart,checkout runs only those parts (flash, cart, checkout). */
const only = (part: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);

let base = '';
let databaseUrl = '';
let send: ReturnType<typeof leanClient>;

async function dbQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

type Headers = Record<string, string>;
async function call<T = unknown>(method: string, url: string, body: unknown, headers: Headers, expected?: number) {
  const res = await send(method, url, body === undefined ? undefined : JSON.stringify(body), {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    origin: base,
    ...headers,
  });
  if (expected !== undefined && res.status !== expected) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
  return { status: res.status, json: (res.text ? JSON.parse(res.text) : undefined) as T, res };
}
const cookieOf = (res: LeanResponse) => ({ cookie: res.setCookies.find((c) => c.startsWith('fm_session='))!.split(';')[0]! });

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** A registered shopper with a default address. */
async function shopper(n: number) {
  const registered = await call('POST', '/api/v1/auth/register', { email: `shopper-${n}-${Date.now()}@example.com`, password: 'bench-password' }, {}, 201);
  const headers = cookieOf(registered.res);
  const address = await call<{ address: { id: string } }>(
    'POST',
    '/api/v1/addresses',
    { recipient: '李雷', mobile: '13812345678', provinceCode: '330000', cityCode: '330100', districtCode: '330106', detail: '文三路 90 号' },
    headers,
    201,
  );
  return { headers, addressId: address.json.address.id };
}

async function prepare() {
  const adminHeaders = cookieOf((await call('POST', '/api/v1/auth/login', BENCH_ADMIN, {}, 200)).res);
  const category = async (body: object) => (await call<{ category: { id: string } }>('POST', '/api/v1/admin/categories', body, adminHeaders, 201)).json.category.id;
  const rootId = await category({ nameZh: '食品', nameEn: 'Food' });
  const leafId = await category({ parentId: rootId, nameZh: '茶叶', nameEn: 'Tea', attributes: [{ key: 'grade', nameZh: '等级', nameEn: 'Grade', kind: 'spec' }] });
  const image = await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 40, g: 120, b: 60 } } }).jpeg().toBuffer();

  const store = async (name: string) => {
    const owner = cookieOf((await call('POST', '/api/v1/auth/register', { email: `owner-${randomUUID().slice(0, 8)}@example.com`, password: 'bench-password' }, {}, 201)).res);
    const application = { name: `${name}${Date.now().toString(36)}`, contactName: '王芳', contactMobile: '13812345678', contactEmail: 'bench@example.com', creditCode: makeCreditCode() };
    const merchantId = (await call<{ merchant: { id: string } }>('POST', '/api/v1/merchant/application', application, owner, 201)).json.merchant.id;
    await call('POST', `/api/v1/admin/merchants/${merchantId}/approve`, undefined, adminHeaders, 200);
    return owner;
  };
  const product = async (owner: Headers, code: string, grades: { grade: string; price: number; onHand: number }[]) => {
    const boundary = `----bench${randomUUID()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tea.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const uploaded = await fetch(`${base}/api/v1/merchant/images`, { method: 'POST', headers: { ...owner, origin: base, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: payload });
    if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
    const imageId = ((await uploaded.json()) as { image: { id: string } }).image.id;
    const created = await call<{ product: { id: string; skus: { id: string }[] } }>(
      'POST',
      '/api/v1/merchant/products',
      {
        code,
        title: `武夷岩茶 ${code}`,
        categoryId: leafId,
        imageIds: [imageId],
        specs: [{ key: 'grade', values: grades.map((g) => g.grade) }],
        skus: grades.map((g) => ({ code: `${code}-${g.grade}`, specs: { grade: g.grade }, price: g.price, onHand: g.onHand, weightGrams: 250 })),
      },
      owner,
      201,
    );
    const submitted = await call<{ product: { status: string } }>('POST', `/api/v1/merchant/products/${created.json.product.id}/submit`, undefined, owner, 200);
    // Clean listings are approved by the automatic review; only a queued one needs the admin.
    if (submitted.json.product.status === 'pending_review') {
      await call('POST', `/api/v1/admin/products/${created.json.product.id}/approve`, undefined, adminHeaders, 200);
    }
    return created.json.product.skus.map((s) => s.id);
  };

  const storeA = await store('岩茶铺');
  const storeB = await store('白茶庄');
  const [flashSku] = await product(storeA, 'FLASH', [{ grade: '特级', price: 9900, onHand: FLASH_STOCK }]);
  const skusA = await product(storeA, 'DAILY', [
    { grade: '一级', price: 3900, onHand: 10_000_000 },
    { grade: '二级', price: 2900, onHand: 10_000_000 },
  ]);
  const skusB = await product(storeB, 'WHITE', [{ grade: '白牡丹', price: 5900, onHand: 10_000_000 }]);
  return { flashSku: flashSku!, mixed: [...skusA, ...skusB] };
}

async function flashSale(flashSku: string) {
  process.stdout.write(`registering ${shoppers} shoppers… `);
  const people: Awaited<ReturnType<typeof shopper>>[] = [];
  await pool(Array.from({ length: shoppers }, (_, i) => i), 8, async (i) => {
    people.push(await shopper(i));
  });
  console.log('done');
  const answers: Record<string, number> = {};
  let lastPlacedMs = 0;
  const started = performance.now();
  await Promise.all(
    people.map(async (p) => {
      const res = await call('POST', '/api/v1/checkout', { buyNow: { skuId: flashSku, quantity: 1 }, addressId: p.addressId }, { ...p.headers, 'idempotency-key': randomUUID() }).catch(() => ({ status: 0, json: undefined }));
      const code = res.status === 201 ? '201' : `${res.status} ${(res.json as { error?: { code?: string } } | undefined)?.error?.code ?? ''}`.trim();
      answers[code] = (answers[code] ?? 0) + 1;
      if (code === '201') lastPlacedMs = performance.now() - started;
    }),
  );
  const settledMs = performance.now() - started;
  const [stock] = await dbQuery<{ on_hand: number; reserved: number }>('select on_hand, reserved from skus where id = $1', [flashSku]);
  const [groups] = await dbQuery<{ groups: number; units: number }>(
    `select count(distinct o.group_id)::int as groups, coalesce(sum(i.quantity), 0)::int as units from order_items i join orders o on o.id = i.order_id where i.sku_id = $1`,
    [flashSku],
  );
  const soldOut = Object.entries(answers).filter(([k]) => k.startsWith('409') || k.startsWith('422')).reduce((n, [, v]) => n + v, 0);
  const errors500 = Object.entries(answers).filter(([k]) => k.startsWith('5') || k.startsWith('0')).reduce((n, [, v]) => n + v, 0);
  return {
    shoppers,
    'order groups created': groups!.groups,
    'units ordered': groups!.units,
    'sold-out answers (409/422)': soldOut,
    '5xx or network errors': errors500,
    'stock on_hand / reserved after': `${stock!.on_hand} / ${stock!.reserved}`,
    'oversold units': Math.max(0, groups!.units - FLASH_STOCK),
    'last order placed (s)': Number((lastPlacedMs / 1000).toFixed(2)),
    'time to settle (s)': Number((settledMs / 1000).toFixed(2)),
    answers: JSON.stringify(answers),
  };
}

async function addToCart(skuId: string) {
  const people = await Promise.all(Array.from({ length: connections }, (_, i) => shopper(100_000 + i)));
  let n = 0;
  const result = await autocannon({
    url: `${base}/api/v1/cart/items`,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ skuId, quantity: 1 }),
    // Each request as another shopper: their carts do not contend for one row.
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: people[n++ % people.length]!.headers.cookie } }) }],
  });
  return { 'req/s (avg)': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts };
}

async function fullCheckout(skus: string[]) {
  const people = await Promise.all(Array.from({ length: connections }, (_, i) => shopper(200_000 + i)));
  const payments: string[] = [];
  let failures = 0;
  const latencies: number[] = [];
  const until = performance.now() + duration * 1000;
  const started = performance.now();
  const busyBefore = machineBusyMs();
  await Promise.all(
    people.map(async (p) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const lines = [];
          for (const skuId of skus) lines.push((await call<{ line: { id: string } }>('POST', '/api/v1/cart/items', { skuId, quantity: 1 }, p.headers, 201)).json.line.id);
          const placed = await call<{ payment: { id: string } }>('POST', '/api/v1/checkout', { cartLineIds: lines, addressId: p.addressId }, { ...p.headers, 'idempotency-key': randomUUID() }, 201);
          await call('POST', `/api/v1/payments/${placed.json.payment.id}/sandbox/pay`, undefined, p.headers, 202);
          payments.push(placed.json.payment.id);
          latencies.push(performance.now() - t0);
        } catch (err) {
          failures += 1;
          if (failures < 3) console.error((err as Error).message);
        }
      }
    }),
  );
  // Done when every payment's notification has been handled.
  for (;;) {
    const [row] = await dbQuery<{ n: number }>(`select count(*)::int as n from payments where id = any($1) and state = 'succeeded'`, [payments]);
    if (row!.n === payments.length) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const busyMs = machineBusyMs() - busyBefore;
  latencies.sort((a, b) => a - b);
  return {
    'order groups paid': payments.length,
    'groups/s': Math.round(payments.length / seconds),
    'machine CPU ms/group': Number((busyMs / payments.length).toFixed(1)),
    'shopper journey p50 ms': Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
    'p99 ms': Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
    failures,
  };
}

type Row = Record<string, number | string>;

/** One round: a fresh platform and database, then the parts asked for. */
async function round(): Promise<Record<string, Row>> {
  const results: Record<string, Row> = {};
  await withBenchPlatform('flash', async (platform) => {
    base = platform.baseUrl;
    // The flash sale opens every shopper's request at once; the other parts use one socket per shopper.
    send = leanClient(base, Math.max(shoppers, connections));
    databaseUrl = platform.databaseUrl;
    const { flashSku, mixed } = await prepare();
    if (only('flash')) {
      results.flash = await flashSale(flashSku);
      console.log(`\nFlash sale: one SKU with stock ${FLASH_STOCK}, ${shoppers} shoppers checking out one unit each at once (PostgreSQL)\n`);
      console.table([results.flash]);
    }
    if (only('cart')) {
      results.cart = await addToCart(mixed[0]!);
      console.log(`\nAdd to cart: POST /api/v1/cart/items, ${connections} connections, ${duration}s\n`);
      console.table([results.cart]);
    }
    if (only('checkout')) {
      results.checkout = await fullCheckout(mixed);
      console.log(`\nFull checkout: 3 SKUs from 2 stores → checkout → sandbox payment → notification handled, ${connections} shoppers, ${duration}s\n`);
      console.table([results.checkout]);
    }
  });
  return results;
}

/** BENCH_REPEAT=N runs N rounds and then prints each part's numbers as medians (this machine's noise is ±10–25 %). */
async function main() {
  const repeats = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
  const rounds: Record<string, Row>[] = [];
  for (let i = 0; i < repeats; i++) rounds.push(await round());
  if (repeats === 1) return;
  for (const part of Object.keys(rounds[0]!)) {
    const rows = rounds.map((r) => r[part]!);
    const numeric = Object.keys(rows[0]!).filter((key) => rows.every((row) => typeof row[key] === 'number'));
    console.log(`\n${part}: medians of ${repeats} rounds (each round's figures in brackets)\n`);
    console.table([Object.fromEntries(numeric.map((key) => [key, `${median(rows.map((row) => row[key] as number))} [${rows.map((row) => row[key]).join(', ')}]`]))]);
  }
}

runBench(main);
