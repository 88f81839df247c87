/** Rows to API shapes (see contract.ts). */
import type { ProductContent } from './content.js';
import type { CategoryRow, ImageRow, ProductRow, RevisionRow, SkuRow, StockAdjustmentRow } from './repo.js';
import type { AttributeDefinition } from './schema.js';
import type { FileStorage } from './storage.js';

export type ImageRefView = { id: string; url: string; thumbUrl: string; smallUrl: string; width: number; height: number };

export function imageRef(row: ImageRow, storage: FileStorage): ImageRefView {
  return {
    id: row.id,
    url: storage.url(row.variants.full.key),
    thumbUrl: storage.url(row.variants.w800.key),
    smallUrl: storage.url(row.variants.w240.key),
    width: row.variants.full.width,
    height: row.variants.full.height,
  };
}

/** The product's images in its order; an image that vanished is left out rather than failing the read. */
export function orderedImages(imageIds: string[], rows: ImageRow[], storage: FileStorage): ImageRefView[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return imageIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [imageRef(row, storage)] : [];
  });
}

/** The stored content of a product, in the same form input normalizes to. */
export function contentOf(product: ProductRow, skus: SkuRow[]): ProductContent {
  return {
    title: product.title,
    subtitle: product.subtitle,
    description: product.description,
    brand: product.brand,
    categoryId: product.categoryId,
    attributes: product.attributes,
    specs: product.specs,
    imageIds: product.imageIds,
    skus: [...skus]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ code: s.code, specs: s.specs, price: s.price, listPrice: s.listPrice, weightGrams: s.weightGrams })),
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function skuView(s: SkuRow) {
  return {
    id: s.id,
    code: s.code,
    specs: s.specs,
    price: s.price,
    listPrice: s.listPrice,
    weightGrams: s.weightGrams,
    onHand: s.onHand,
    reserved: s.reserved,
    available: s.onHand - s.reserved,
  };
}

/** The latest revision of a listed product, as its merchant sees it. */
export function revisionView(row: RevisionRow) {
  return {
    id: row.id,
    state: row.state,
    content: row.content,
    changes: row.changes,
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    decidedAt: iso(row.decidedAt),
  };
}

export function productView(product: ProductRow, skus: SkuRow[], images: ImageRow[], storage: FileStorage, revision?: RevisionRow) {
  return {
    id: product.id,
    merchantId: product.merchantId,
    code: product.code,
    title: product.title,
    subtitle: product.subtitle,
    description: product.description,
    brand: product.brand,
    categoryId: product.categoryId,
    attributes: product.attributes,
    specs: product.specs,
    images: orderedImages(product.imageIds, images, storage),
    status: product.status,
    rejectionReason: product.rejectionReason,
    currency: product.currency,
    priceMin: product.priceMin,
    priceMax: product.priceMax,
    stockTotal: product.stockTotal,
    skus: [...skus].sort((a, b) => a.position - b.position).map(skuView),
    submittedAt: iso(product.submittedAt),
    reviewedAt: iso(product.reviewedAt),
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
    revision: revision ? revisionView(revision) : null,
  };
}

export function productSummaryView(product: ProductRow, mainImage: ImageRow | undefined, storage: FileStorage) {
  return {
    id: product.id,
    merchantId: product.merchantId,
    code: product.code,
    title: product.title,
    status: product.status,
    categoryId: product.categoryId,
    currency: product.currency,
    priceMin: product.priceMin,
    priceMax: product.priceMax,
    stockTotal: product.stockTotal,
    mainImage: mainImage ? imageRef(mainImage, storage) : null,
    submittedAt: iso(product.submittedAt),
    updatedAt: product.updatedAt.toISOString(),
  };
}

/** What a shopper sees: names resolved from the category, stock as availability only. */
export function publicProductView(
  product: ProductRow,
  skus: SkuRow[],
  images: ImageRow[],
  path: CategoryRow[],
  definitions: AttributeDefinition[],
  storage: FileStorage,
) {
  const defs = new Map(definitions.map((d) => [d.key, d]));
  const names = (key: string) => ({ nameZh: defs.get(key)?.nameZh ?? key, nameEn: defs.get(key)?.nameEn ?? key });
  return {
    id: product.id,
    merchantId: product.merchantId,
    title: product.title,
    subtitle: product.subtitle,
    description: product.description,
    brand: product.brand,
    category: { id: product.categoryId, path: path.map((c) => ({ id: c.id, nameZh: c.nameZh, nameEn: c.nameEn })) },
    attributes: Object.entries(product.attributes).map(([key, value]) => ({ key, ...names(key), value })),
    specs: product.specs.map((d) => ({ key: d.key, ...names(d.key), values: d.values })),
    images: orderedImages(product.imageIds, images, storage),
    currency: product.currency,
    priceMin: product.priceMin,
    priceMax: product.priceMax,
    skus: [...skus]
      .sort((a, b) => a.position - b.position)
      .map((s) => ({ id: s.id, specs: s.specs, price: s.price, listPrice: s.listPrice, available: Math.max(0, s.onHand - s.reserved) })),
  };
}

export function stockAdjustmentView(row: StockAdjustmentRow) {
  return {
    id: row.id,
    skuId: row.skuId,
    mode: row.mode,
    delta: row.delta,
    onHandAfter: row.onHandAfter,
    reason: row.reason,
    actor: { kind: row.actor.kind, id: row.actor.id },
    createdAt: row.createdAt.toISOString(),
  };
}
