import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Actor } from '../../platform/events.js';

/** An attribute a leaf category asks for: a spec dimension (颜色, 尺码) or a product attribute. */
export type AttributeDefinition = {
  key: string;
  nameZh: string;
  nameEn: string;
  kind: 'spec' | 'attr';
  /** Only meaningful for `attr`: the value must be given before the product is submitted. */
  required: boolean;
  /** When present, values must be one of these. */
  options?: string[];
};

/** 商品分类: a tree of at most three levels; products hang on enabled leaves only. */
export const categories = pgTable(
  'categories',
  {
    id: text('id').primaryKey(),
    parentId: text('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
    /** 1 for a root, at most 3. */
    depth: smallint('depth').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    attributes: jsonb('attributes').$type<AttributeDefinition[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('categories_parent_idx').on(t.parentId, t.sortOrder), check('categories_depth_ck', sql`${t.depth} between 1 and 3`)],
);

export type ProductStatus = 'draft' | 'pending_review' | 'on_sale' | 'rejected' | 'off_shelf';
export type SpecDimension = { key: string; values: string[] };

/** The SPU. Price range and stock are denormalized from its live SKUs for listings. */
export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    /** The merchant's own product code, unique within the store: the key of bulk upserts. */
    code: text('code').notNull(),
    title: text('title').notNull(),
    subtitle: text('subtitle').notNull().default(''),
    /** Sanitized HTML. */
    description: text('description').notNull().default(''),
    brand: text('brand').notNull().default(''),
    categoryId: text('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'restrict' }),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    specs: jsonb('specs').$type<SpecDimension[]>().notNull().default([]),
    /** Image ids in display order; the first is the main image. */
    imageIds: jsonb('image_ids').$type<string[]>().notNull().default([]),
    status: text('status').$type<ProductStatus>().notNull(),
    rejectionReason: text('rejection_reason'),
    currency: text('currency').$type<'CNY'>().notNull().default('CNY'),
    priceMin: integer('price_min').notNull().default(0),
    priceMax: integer('price_max').notNull().default(0),
    /** Sum of on_hand over live SKUs. */
    stockTotal: integer('stock_total').notNull().default(0),
    /** Hash of the material content when last submitted, so an unchanged rejected product is not resubmitted. */
    submittedHash: text('submitted_hash'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('products_merchant_code_uq').on(t.merchantId, t.code),
    index('products_merchant_idx').on(t.merchantId, t.id),
    index('products_merchant_status_idx').on(t.merchantId, t.status, t.id),
    index('products_status_submitted_idx').on(t.status, t.submittedAt, t.id),
    index('products_category_idx').on(t.categoryId),
    // Trigrams of titles: near-duplicate checks of the review (title % probe) and the merchant's title search (ilike).
    // Without the pending list (fastupdate), every product update costs its title's trigrams at
    // once, but a lookup no longer scans the recent updates one by one (4 ms → 0.4 ms at 100k products).
    index('products_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')).with({ fastupdate: false }),
  ],
);

/**
 * A SKU: one combination of spec values. Removed SKUs keep their row (orders will point at them)
 * with `removed_at` set; their codes are free again.
 */
export const skus = pgTable(
  'skus',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    merchantId: text('merchant_id').notNull(),
    code: text('code').notNull(),
    /** `{ dimensionKey: value }` for each of the product's spec dimensions. */
    specs: jsonb('specs').$type<Record<string, string>>().notNull().default({}),
    position: integer('position').notNull().default(0),
    price: integer('price').notNull(),
    listPrice: integer('list_price'),
    weightGrams: integer('weight_grams').notNull().default(0),
    onHand: integer('on_hand').notNull().default(0),
    reserved: integer('reserved').notNull().default(0),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('skus_merchant_code_uq').on(t.merchantId, t.code).where(sql`${t.removedAt} is null`),
    index('skus_product_idx').on(t.productId, t.position),
    check('skus_reserved_ck', sql`${t.reserved} >= 0`),
    check('skus_on_hand_ck', sql`${t.onHand} >= ${t.reserved}`),
    check('skus_price_ck', sql`${t.price} >= 0 and (${t.listPrice} is null or ${t.listPrice} >= 0)`),
  ],
);

export type RevisionState = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/**
 * A material edit of an on-sale product, waiting for review while the approved version stays on
 * sale (docs/decisions/006). `content` is the whole proposed product without stock; on approval it
 * replaces the live content. A product has at most one pending revision.
 */
export const productRevisions = pgTable(
  'product_revisions',
  {
    id: text('id').primaryKey(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    merchantId: text('merchant_id').notNull(),
    state: text('state').$type<RevisionState>().notNull(),
    content: jsonb('content').$type<RevisionContent>().notNull(),
    /** What changed against the live product when proposed: fields, and SKUs whose price moves by more than the threshold. */
    changes: jsonb('changes').$type<{ fields: string[]; priceMoves: string[] }>().notNull(),
    reason: text('reason'),
    createdBy: jsonb('created_by').$type<Actor>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('product_revisions_pending_uq').on(t.productId).where(sql`${t.state} = 'pending'`),
    index('product_revisions_product_idx').on(t.productId, t.id),
  ],
);

/** The proposed product content of a revision (as ProductContent in content.ts, SKUs without stock). */
export type RevisionContent = {
  title: string;
  subtitle: string;
  description: string;
  brand: string;
  categoryId: string;
  attributes: Record<string, string>;
  specs: SpecDimension[];
  imageIds: string[];
  skus: { code: string; specs: Record<string, string>; price: number; listPrice: number | null; weightGrams: number }[];
};

export type StockMode = 'set' | 'add' | 'remove' | 'initial' | 'sync';

/** Every change of a SKU's on_hand: who, when, by how much, why. */
export const stockAdjustments = pgTable(
  'stock_adjustments',
  {
    id: text('id').primaryKey(),
    skuId: text('sku_id')
      .notNull()
      .references(() => skus.id, { onDelete: 'cascade' }),
    productId: text('product_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    mode: text('mode').$type<StockMode>().notNull(),
    delta: integer('delta').notNull(),
    onHandAfter: integer('on_hand_after').notNull(),
    reason: text('reason').notNull().default(''),
    actor: jsonb('actor').$type<Actor>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('stock_adjustments_sku_idx').on(t.skuId, t.id)],
);

export type ImageVariant = { key: string; width: number; height: number; bytes: number; format: string };

/** An uploaded image, re-encoded without metadata, with its thumbnails. */
export const images = pgTable(
  'images',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    /** `full` (re-encoded original), `w800` and `w240` (webp thumbnails). */
    variants: jsonb('variants').$type<Record<'full' | 'w800' | 'w240', ImageVariant>>().notNull(),
    originalName: text('original_name').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('images_merchant_idx').on(t.merchantId, t.id)],
);
