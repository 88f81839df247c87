import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** What a listing card shows, copied into the document so a page of results is one query. */
export type DocumentCard = {
  subtitle: string;
  brand: string;
  storeName: string;
  image: { id: string; url: string; thumbUrl: string; smallUrl: string; width: number; height: number } | null;
  listPrice: number | null;
};

/**
 * One row per product a shopper may see: on sale, in an active store. Anything else has no row.
 * Rebuilt from the catalog whenever the flow log says the product, its store, its category or its
 * stock changed (indexer.ts).
 */
export const searchDocuments = pgTable(
  'search_documents',
  {
    productId: text('product_id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    categoryId: text('category_id').notNull(),
    /** The category and its ancestors, so a category page includes its descendants. */
    categoryIds: text('category_ids').array().notNull(),
    title: text('title').notNull(),
    /** NFKC, lower case: for trigram similarity and highlighting. */
    titleNorm: text('title_norm').notNull(),
    /** Pre-segmented terms with positions and weights: title A, brand and category B, subtitle, specs and attributes C, description D. */
    terms: tsvector('terms').notNull(),
    currency: text('currency').notNull().default('CNY'),
    priceMin: integer('price_min').notNull(),
    priceMax: integer('price_max').notNull(),
    inStock: boolean('in_stock').notNull(),
    unitsSold: integer('units_sold').notNull().default(0),
    /** 综合 order without a query: in stock first, then units sold (in_stock · 2⁴⁰ + units sold). */
    popularity: bigint('popularity', { mode: 'number' }).notNull(),
    /** `key=value` for every spec and attribute value, for the category's filters. */
    facets: text('facets').array().notNull(),
    card: jsonb('card').$type<DocumentCard>().notNull(),
    listedAt: timestamp('listed_at', { withTimezone: true }).notNull(),
    indexedAt: timestamp('indexed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('search_documents_terms_idx').using('gin', t.terms),
    index('search_documents_title_trgm_idx').using('gin', t.titleNorm.op('gin_trgm_ops')),
    index('search_documents_categories_idx').using('gin', t.categoryIds),
    index('search_documents_facets_idx').using('gin', t.facets),
    index('search_documents_merchant_idx').on(t.merchantId, t.popularity.desc(), t.productId.desc()),
    index('search_documents_popularity_idx').on(t.popularity.desc(), t.productId.desc()),
    index('search_documents_sales_idx').on(t.unitsSold.desc(), t.productId.desc()),
    index('search_documents_price_idx').on(t.priceMin, t.productId),
    index('search_documents_listed_idx').on(t.listedAt.desc(), t.productId.desc()),
  ],
);

/** Every term in the index and in how many documents: for typo correction and prefix checks. */
export const searchTerms = pgTable(
  'search_terms',
  {
    term: text('term').primaryKey(),
    docs: integer('docs').notNull(),
  },
  (t) => [index('search_terms_trgm_idx').using('gist', t.term.op('gist_trgm_ops'))],
);

/**
 * How far a flow-log consumer has read, and the sequence numbers it skipped that may still commit.
 * One process consumes at a time, holding a short lease (no transaction stays open while it works).
 */
export const searchConsumers = pgTable('search_consumers', {
  name: text('name').primaryKey(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  /** `[{ seq, since }]`: holes below lastSeq from transactions still open when it was read. */
  gaps: jsonb('gaps').$type<{ seq: number; since: string }[]>().notNull().default([]),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Queries shoppers typed, normalized: popular ones feed suggestions, zero-result ones the admins. */
export const searchQueries = pgTable(
  'search_queries',
  {
    query: text('query').primaryKey(),
    searches: integer('searches').notNull().default(0),
    zeroResults: integer('zero_results').notNull().default(0),
    lastResults: integer('last_results').notNull().default(0),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('search_queries_prefix_idx').on(t.query.op('text_pattern_ops')),
    index('search_queries_zero_idx').on(t.zeroResults.desc(), t.query).where(sql`${t.zeroResults} > 0`),
  ],
);
