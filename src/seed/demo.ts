import sharp from 'sharp';
import type { Platform } from '../app.js';
import type { Actor } from '../platform/events.js';
import { creditCodeCheckChar } from '../modules/merchants/index.js';
import { categoryTree, type LeafTemplate, sellingPoints, type StoreTemplate, stores } from './catalog-data.js';

export type DemoAccount = { role: string; login: string; password: string };

const DEMO_PASSWORD = 'flowmart-demo';
export const DEMO_SHOPPER = { email: 'shopper@flowmart.local', password: DEMO_PASSWORD, name: '演示买家' };
export const DEMO_MERCHANT = { email: 'merchant@flowmart.local', password: DEMO_PASSWORD };
const PRODUCTS_PER_STORE = 40;
const seedActor: Actor = { kind: 'system', id: 'seed' };

/**
 * Fills an empty platform with a demo marketplace. Idempotent: every part creates only what is
 * missing (categories by name under their parent, stores by owner account, products for stores
 * that have none yet).
 */
export async function seedDemo(platform: Platform, options: { adminUserId: string }): Promise<{ accounts: DemoAccount[] }> {
  await platform.identity.service.ensureUser(DEMO_SHOPPER);
  const leaves = await ensureCategories(platform);
  for (const [index, template] of stores.entries()) {
    const merchantId = await ensureStore(platform, index, template, options.adminUserId);
    await ensureProducts(platform, merchantId, index, template, leaves, options.adminUserId);
  }
  return {
    accounts: [
      { role: 'shopper', login: DEMO_SHOPPER.email, password: DEMO_SHOPPER.password },
      { role: 'merchant', login: DEMO_MERCHANT.email, password: DEMO_MERCHANT.password },
    ],
  };
}

type SeededLeaf = { id: string; topNameZh: string; template: LeafTemplate };

async function ensureCategories(platform: Platform): Promise<SeededLeaf[]> {
  const { categories } = platform.catalog;
  const existing = await categories.tree({ enabledOnly: false });
  const leaves: SeededLeaf[] = [];
  type Node = (typeof existing)[number];
  const ensure = async (siblings: Node[], parentId: string | null, sortOrder: number, input: { nameZh: string; nameEn: string; attributes?: LeafTemplate['specs'] }) => {
    const found = siblings.find((n) => n.nameZh === input.nameZh);
    if (found) return found;
    const attributes = (input.attributes ?? []).map((s) => ({ key: s.key, nameZh: s.nameZh, nameEn: s.nameEn, kind: 'spec' as const, required: false, options: s.values }));
    const created = await categories.create(seedActor, { parentId, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder, enabled: true, attributes });
    return { ...created, children: [] } as Node;
  };
  for (const [i, top] of categoryTree.entries()) {
    const topNode = await ensure(existing, null, i * 10, top);
    for (const [j, middle] of top.children.entries()) {
      const middleNode = await ensure(topNode.children ?? [], topNode.id, j * 10, middle);
      for (const [k, leaf] of middle.leaves.entries()) {
        const leafNode = await ensure(middleNode.children ?? [], middleNode.id, k * 10, { ...leaf, attributes: leaf.specs });
        leaves.push({ id: leafNode.id, topNameZh: top.nameZh, template: leaf });
      }
    }
  }
  return leaves;
}

async function ensureStore(platform: Platform, index: number, template: StoreTemplate, adminUserId: string): Promise<string> {
  const { identity, merchants } = platform;
  const login = index === 0 ? DEMO_MERCHANT.email : `seller${index + 1}@flowmart.local`;
  const ownerId = await identity.service.ensureUser({ email: login, password: DEMO_PASSWORD, name: template.contactName });
  if (await merchants.service.isStaff(ownerId)) return (await merchants.service.membership(ownerId)).merchant.id;
  const latest = await merchants.service.applicationOf(ownerId).catch(() => undefined);
  const application =
    latest?.state === 'applied'
      ? latest
      : await merchants.service.apply(ownerId, {
          name: template.name,
          contactName: template.contactName,
          contactMobile: `1380013${String(8000 + index).padStart(4, '0')}`,
          contactEmail: login,
          creditCode: demoCreditCode(index),
          description: template.description,
        });
  await merchants.service.approve(application.id, adminUserId);
  return application.id;
}

async function ensureProducts(platform: Platform, merchantId: string, storeIndex: number, template: StoreTemplate, leaves: SeededLeaf[], adminUserId: string) {
  const { catalog } = platform;
  const store = { merchantId, actor: seedActor, via: 'session' as const };
  if ((await catalog.products.list(store, { limit: 1 })).items.length > 0) return;
  const ownLeaves = leaves.filter((l) => template.sells.includes(l.topNameZh));
  const random = seededRandom(storeIndex + 1);
  const items = [];
  const imagesByLeaf = new Map<string, { id: string }>();
  for (let j = 0; j < PRODUCTS_PER_STORE; j++) {
    const leaf = ownLeaves[j % ownLeaves.length]!;
    const t = leaf.template;
    const brand = t.brands[Math.floor(random() * t.brands.length)]!;
    const stem = t.items[Math.floor(random() * t.items.length)]!;
    const point = sellingPoints[Math.floor(random() * sellingPoints.length)]!;
    const model = `${String.fromCharCode(65 + Math.floor(random() * 26))}${10 + Math.floor(random() * 90)}`;
    // One picture per category and store keeps the first start quick.
    let image = imagesByLeaf.get(leaf.id);
    if (!image) {
      image = await catalog.images.upload(merchantId, { buffer: await productImage(storeIndex * 7 + j, brand), filename: `demo-${j}.png` });
      imagesByLeaf.set(leaf.id, image);
    }
    const dims = t.specs.slice(0, 2).map((s) => ({ key: s.key, values: s.values.slice(0, 3) }));
    const combos = dims.reduce<Record<string, string>[]>((acc, d) => acc.flatMap((c) => d.values.map((v) => ({ ...c, [d.key]: v }))), [{}]);
    const basePrice = roundPrice(t.price[0] + random() * (t.price[1] - t.price[0]));
    const discounted = random() < 0.4;
    const code = `DEMO-${storeIndex + 1}-${String(j + 1).padStart(3, '0')}`;
    items.push({
      code,
      title: `${brand} ${stem} ${model} ${point}`,
      subtitle: `${leaf.template.nameZh}精选 · ${template.name}`,
      description: `<p>${brand}${stem}，${point}。</p><ul><li>正品保障</li><li>48 小时内发货</li><li>支持 7 天无理由退货</li></ul>`,
      brand,
      categoryId: leaf.id,
      specs: dims,
      imageIds: [image.id],
      skus: combos.map((specs, k) => {
        // Larger variants cost a little more, as they do in real shops.
        const price = roundPrice(basePrice * (1 + k * 0.08));
        return {
          code: `${code}-${k + 1}`,
          specs,
          price,
          listPrice: discounted ? roundPrice(price * 1.25) : null,
          onHand: random() < 0.08 ? 0 : 20 + Math.floor(random() * 480),
          weightGrams: t.weightGrams,
        };
      }),
    });
  }
  const result = await catalog.bulk.upsert(store, items, { submit: true });
  const failed = result.items.filter((i) => i.result === 'failed');
  if (failed.length > 0) throw new Error(`demo seed: ${failed.length} products failed: ${JSON.stringify(failed[0]!.errors)}`);
  for (const item of result.items) {
    if (item.productId && item.status === 'pending_review') await catalog.review.decide({ kind: 'user', id: adminUserId }, item.productId, { outcome: 'approve' });
  }
}

/** Prices end in 9 or 90 fen-wise, e.g. 129.00 or 59.90. */
function roundPrice(fen: number): number {
  return fen >= 10_000 ? Math.round(fen / 1000) * 1000 - 100 : Math.round(fen / 100) * 100 - 10;
}

/** A valid 统一社会信用代码 per store index, stable across runs. */
function demoCreditCode(index: number): string {
  const body = `9131000066${String(1000000 + index * 7919).slice(0, 7)}`;
  return body + creditCodeCheckChar(body)!;
}

function seededRandom(seed: number): () => number {
  let state = seed * 2_654_435_761;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const palette = ['#ff6a3d', '#2f80ed', '#27ae60', '#9b51e0', '#f2994a', '#eb5757', '#00a3a3', '#6d6875'];

/** A 600×600 product picture: a soft gradient, a shape and the brand's first Latin letter or a dot. */
async function productImage(n: number, brand: string): Promise<Buffer> {
  const a = palette[n % palette.length]!;
  const b = palette[(n * 3 + 1) % palette.length]!;
  const letter = /^[A-Za-z]/.test(brand) ? brand[0]!.toUpperCase() : '';
  const shape =
    n % 3 === 0
      ? '<circle cx="300" cy="300" r="170" fill="white" fill-opacity="0.9"/>'
      : n % 3 === 1
        ? '<rect x="140" y="140" width="320" height="320" rx="48" fill="white" fill-opacity="0.9"/>'
        : '<polygon points="300,120 480,450 120,450" fill="white" fill-opacity="0.9"/>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>
    <rect width="600" height="600" fill="url(#g)"/>${shape}
    ${letter ? `<text x="300" y="350" font-family="sans-serif" font-size="150" font-weight="700" text-anchor="middle" fill="${a}">${letter}</text>` : `<circle cx="300" cy="310" r="46" fill="${a}"/>`}
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
