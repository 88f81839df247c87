/** Request and response shapes of the storefront's listing and search API, shared with the web client. Money is integer fen. */
import { z } from 'zod';

export const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export const MAX_PAGE = 60;

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `a ${prefix}_… id`);
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();
const fen = z.coerce.number().int().min(0).max(1_000_000_000);

export const productSearchQuery = z
  .strictObject({
    /** Words to find, Chinese or English; empty lists without a text query. */
    q: z.string().trim().max(100).optional(),
    /** A category; its descendants are included. */
    category: id('cat').optional(),
    store: id('mer').optional(),
    minPrice: fen.optional(),
    maxPrice: fen.optional(),
    inStock: flag,
    /** `key:value`, repeatable: a spec or attribute value of the category (any value of a key, every key). */
    spec: z.union([z.string().max(100), z.array(z.string().max(100)).max(30)]).optional(),
    /** 综合 (relevance; without `q`: in stock first, then units sold), sales, price ↑/↓, newest. */
    sort: z.enum(SORTS).default('relevance'),
    /** Counts per sub-category, store, spec value and the price span (first page only). */
    facets: flag,
    /** Admins only: each item carries how its score was made. */
    debug: flag,
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(20),
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, { message: 'minPrice must not exceed maxPrice', path: ['minPrice'] });

export type ProductSearchQuery = z.infer<typeof productSearchQuery>;

export const imageSchema = z.object({ id: z.string(), url: z.string(), thumbUrl: z.string(), smallUrl: z.string(), width: z.number(), height: z.number() });

export const productCardSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    subtitle: z.string(),
    brand: z.string(),
    merchantId: z.string(),
    storeName: z.string(),
    categoryId: z.string(),
    currency: z.literal('CNY'),
    priceMin: z.number().int(),
    priceMax: z.number().int(),
    listPrice: z.number().int().nullable(),
    inStock: z.boolean(),
    unitsSold: z.number().int(),
    image: imageSchema.nullable(),
    /** `[start, end)` ranges of the title that matched the query. */
    highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
    /** Admins with `debug=true`: the parts of the score. */
    debug: z.record(z.string(), z.number()).optional(),
  })
  .meta({ id: 'ProductCard' });

const countSchema = z.object({ count: z.number().int() });

export const facetsSchema = z
  .object({
    categories: z.array(countSchema.extend({ id: z.string(), nameZh: z.string(), nameEn: z.string() })),
    stores: z.array(countSchema.extend({ id: z.string(), name: z.string() })),
    specs: z.array(
      z.object({
        key: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        values: z.array(countSchema.extend({ value: z.string() })),
      }),
    ),
    price: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  })
  .meta({ id: 'SearchFacets' });

export const productPageSchema = z
  .object({
    items: z.array(productCardSchema),
    nextCursor: z.string().nullable(),
    /** Matches in all (first page only; null on later pages), at most 1,000 unless sorted by relevance. */
    total: z.number().int().nullable(),
    /** True when there are more matches than `total` says ("1000+"). */
    totalCapped: z.boolean(),
    query: z
      .object({
        q: z.string(),
        /** The words the query was cut into. */
        terms: z.array(z.string()),
        /** The query with typos corrected, when the results are for it. */
        correctedQuery: z.string().nullable(),
        /** True when too few products had every word and the results are the closest ones instead. */
        fuzzy: z.boolean(),
        /** Other things to search for when nothing matched. */
        suggestions: z.array(z.string()),
      })
      .nullable(),
    facets: facetsSchema.optional(),
  })
  .meta({ id: 'ProductPage' });

export type ProductPage = z.infer<typeof productPageSchema>;
export type ProductCard = z.infer<typeof productCardSchema>;

export const suggestQuery = z.strictObject({ q: z.string().trim().min(1).max(50) });

export const suggestionSchema = z.object({
  kind: z.enum(['query', 'category', 'product']),
  text: z.string(),
  /** The category or product to open, when the suggestion names one. */
  id: z.string().nullable(),
  /** For a category: its path, root first. */
  path: z.array(z.string()).optional(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestResponse = z.object({ items: z.array(suggestionSchema) }).meta({ id: 'Suggestions' });

export const storeSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    logoUrl: z.string().nullable(),
    openedAt: z.iso.datetime().nullable(),
    productCount: z.number().int(),
    unitsSold: z.number().int(),
  })
  .meta({ id: 'PublicStore' });
export type PublicStore = z.infer<typeof storeSchema>;

export const zeroResultsQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const zeroResultSchema = z
  .object({ query: z.string(), zeroResults: z.number().int(), searches: z.number().int(), lastResults: z.number().int(), lastAt: z.iso.datetime() })
  .meta({ id: 'ZeroResultQuery' });

export const idParams = z.strictObject({ id: z.string().min(1).max(64) });
