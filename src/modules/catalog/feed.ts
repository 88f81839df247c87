/**
 * Read-only facts for consumers that keep their own copy of the catalog (the search index): many
 * products in a few set-based queries, and which products hang on given stores, categories or SKUs.
 */
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import type { ImageRow } from './repo.js';
import type { ProductStatus, SpecDimension } from './schema.js';
import type { FileStorage } from './storage.js';
import { type ImageRefView, imageRef } from './views.js';

export type FeedSku = { specs: Record<string, string>; price: number; listPrice: number | null; available: number };

export type FeedProduct = {
  id: string;
  merchantId: string;
  status: ProductStatus;
  title: string;
  subtitle: string;
  /** Sanitized HTML as stored. */
  description: string;
  brand: string;
  categoryId: string;
  attributes: Record<string, string>;
  specs: SpecDimension[];
  mainImage: ImageRefView | null;
  priceMin: number;
  priceMax: number;
  skus: FeedSku[];
  createdAt: Date;
  reviewedAt: Date | null;
};

type FeedRow = {
  id: string;
  merchant_id: string;
  status: ProductStatus;
  title: string;
  subtitle: string;
  description: string;
  brand: string;
  category_id: string;
  attributes: Record<string, string>;
  specs: SpecDimension[];
  price_min: number;
  price_max: number;
  created_at: Date | string;
  reviewed_at: Date | string | null;
  image: ImageRow['variants'] | null;
  image_id: string | null;
  skus: FeedSku[] | null;
};

export function createCatalogFeed(storage: FileStorage) {
  return {
    /** The products named (in no particular order); ids that do not exist are left out. */
    async products(exec: Executor, productIds: readonly string[]): Promise<FeedProduct[]> {
      if (productIds.length === 0) return [];
      const rows = await queryRows<FeedRow>(
        exec,
        sql`select p.id, p.merchant_id, p.status, p.title, p.subtitle, p.description, p.brand, p.category_id, p.attributes, p.specs,
                   p.price_min, p.price_max, p.created_at, p.reviewed_at, i.id as image_id, i.variants as image,
                   (select json_agg(json_build_object('specs', k.specs, 'price', k.price, 'listPrice', k.list_price,
                                                      'available', greatest(0, k.on_hand - k.reserved)) order by k.position)
                      from skus k where k.product_id = p.id and k.removed_at is null) as skus
              from products p
              left join images i on i.id = p.image_ids ->> 0
             where p.id = any(${sql.param([...productIds])}::text[])`,
      );
      return rows.map((r) => ({
        id: r.id,
        merchantId: r.merchant_id,
        status: r.status,
        title: r.title,
        subtitle: r.subtitle,
        description: r.description,
        brand: r.brand,
        categoryId: r.category_id,
        attributes: r.attributes,
        specs: r.specs,
        mainImage: r.image && r.image_id ? imageRef({ id: r.image_id, variants: r.image } as ImageRow, storage) : null,
        priceMin: r.price_min,
        priceMax: r.price_max,
        skus: r.skus ?? [],
        createdAt: new Date(r.created_at),
        reviewedAt: r.reviewed_at ? new Date(r.reviewed_at) : null,
      }));
    },

    /** Ids of the products of these stores, in these categories or holding these SKUs. */
    async productIds(exec: Executor, of: { merchantIds?: readonly string[]; categoryIds?: readonly string[]; skuIds?: readonly string[] }): Promise<string[]> {
      const parts = [];
      if (of.merchantIds?.length) parts.push(sql`select id from products where merchant_id = any(${sql.param([...of.merchantIds])}::text[])`);
      if (of.categoryIds?.length) parts.push(sql`select id from products where category_id = any(${sql.param([...of.categoryIds])}::text[])`);
      if (of.skuIds?.length) parts.push(sql`select product_id as id from skus where id = any(${sql.param([...of.skuIds])}::text[])`);
      if (parts.length === 0) return [];
      const rows = await queryRows<{ id: string }>(exec, sql.join(parts, sql` union `));
      return rows.map((r) => r.id);
    },

    /**
     * Whether each product holding one of these SKUs (removed ones too) has stock to sell: a SKU
     * not removed with `on_hand - reserved > 0`, as `available` above. One query, for consumers that
     * only follow stock (an order changes no text).
     */
    async stockFacts(exec: Executor, of: { skuIds: readonly string[] }): Promise<Map<string, boolean>> {
      if (of.skuIds.length === 0) return new Map();
      const rows = await queryRows<{ product_id: string; in_stock: boolean }>(
        exec,
        sql`select k.product_id, bool_or(k.removed_at is null and k.on_hand - k.reserved > 0) as in_stock
              from skus k
             where k.product_id in (select product_id from skus where id = any(${sql.param([...of.skuIds])}::text[]))
             group by k.product_id`,
      );
      return new Map(rows.map((r) => [r.product_id, r.in_stock]));
    },

    /** Ids of every on-sale product after `afterId`, in id order: for rebuilding an index in batches. */
    async onSaleIds(exec: Executor, afterId: string, limit: number): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        exec,
        sql`select id from products where status = 'on_sale' and id > ${afterId} order by id limit ${limit}`,
      );
      return rows.map((r) => r.id);
    },
  };
}

export type CatalogFeed = ReturnType<typeof createCatalogFeed>;
