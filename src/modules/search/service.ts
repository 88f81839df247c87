/** The storefront's reads: listings, search, suggestions, store pages, the zero-result report. */
import { type SQL, sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import { type Db, queryRows } from '../../platform/db.js';
import { badRequest, forbidden, notFound } from '../../platform/errors.js';
import { type CategoryNode, publicProductSchema } from '../catalog/index.js';
import { readCache } from './cache.js';
import { type ProductCard, type ProductPage, productPageSchema, type ProductSearchQuery, type PublicStore, type Suggestion } from './contract.js';
import * as listing from './listing.js';
import type { DocumentHit, Filters, Keyset } from './listing.js';
import { correctedQuery, highlightRanges, highlightTerms, queryTexts, queryWords, resolveWords, type ResolvedWord, type TermFacts } from './query.js';
import * as repo from './repo.js';
import { isLatin, lexeme, normalizeText, type Word } from './text.js';

/** Fewer strict matches than this and the fuzzy tier answers instead. */
const FEW_RESULTS = 3;
/** Counting stops here: past it a listing says "1000+" (counting 10,000 rows costs more than the page). */
const COUNT_CAP = 1_000;
/** Below this many matches a page is sorted from the matches, above it read off the sort's index. */
const WALK_MIN_MATCHES = 2_000;
const QUERY_LOG_FLUSH_MS = 2_000;

export type StoreProfile = { id: string; name: string; description: string; logoUrl: string | null; openedAt: Date | null; active: boolean };

export type SearchServiceDeps = {
  db: Db;
  clock: Clock;
  /** The catalog's public product (404 unless on sale in an open store). */
  publicProduct: (productId: string) => Promise<unknown>;
  /** The enabled category tree. */
  categoryTree: () => Promise<CategoryNode[]>;
  storeProfile: (merchantId: string) => Promise<StoreProfile | undefined>;
};

type Cursor = { o: number } | { k: Keyset };

/** The page as sent: checked against (and stripped to) its schema once, when it is made. */
const pageEntry = (page: ProductPage) => ({ json: JSON.stringify(productPageSchema.parse(page)), count: page.total ?? page.items.length });

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString()) as Cursor;
    if ('o' in c && Number.isSafeInteger(c.o) && c.o >= 0 && c.o <= 10_000) return c;
    if ('k' in c && typeof c.k?.id === 'string' && (typeof c.k.value === 'number' || typeof c.k.value === 'string')) return c;
  } catch {
    // falls through
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
}

type CategoryEntry = { node: CategoryNode; path: CategoryNode[] };

function indexTree(tree: CategoryNode[]): Map<string, CategoryEntry> {
  const map = new Map<string, CategoryEntry>();
  const walk = (nodes: CategoryNode[], parents: CategoryNode[]) => {
    for (const node of nodes) {
      map.set(node.id, { node, path: [...parents, node] });
      walk(node.children, [...parents, node]);
    }
  };
  walk(tree, []);
  return map;
}

export function createSearchService(deps: SearchServiceDeps) {
  const { db, clock } = deps;
  // Hot pages are kept as the JSON text they are sent as: a hit costs no serialization.
  const pages = readCache<{ json: string; count: number }>({ max: 2_000, ttlMs: 30_000 });
  const products = readCache<string>({ max: 20_000, ttlMs: 30_000 });
  const suggestions = readCache<Suggestion[]>({ max: 5_000, ttlMs: 30_000 });
  const termFacts = readCache<TermFacts>({ max: 5_000, ttlMs: 30_000 });
  const stores = readCache<PublicStore>({ max: 2_000, ttlMs: 10_000 });
  const categories = readCache<Map<string, CategoryEntry>>({ max: 1, ttlMs: 60_000 });
  // How many documents each category holds, as a planning hint only (not cleared by notices).
  const categorySizes = readCache<Map<string, number>>({ max: 1, ttlMs: 60_000 });
  /**
   * Whether a browse should read the sort's index in order: yes when many documents match (the first
   * page is found at once), no for a small category or a store with a sort other than 综合 (walking
   * the index would pass over nearly everything to find them).
   */
  async function walkIndex(filters: Filters, sort: string): Promise<boolean> {
    if (filters.merchantId) return sort === 'popular' && !filters.categoryId;
    if (!filters.categoryId) return true;
    const sizes = await categorySizes.get('sizes', () => listing.categorySizes(db));
    return (sizes.get(filters.categoryId) ?? 0) >= WALK_MIN_MATCHES;
  }
  const categoryMap = () => categories.get('tree', async () => indexTree(await deps.categoryTree()));

  // ── Query log: counted in memory, written in batches ──
  const pending = new Map<string, repo.QueryCount>();
  let flushing: Promise<void> | undefined;
  const flushQueryLog = async () => {
    if (flushing) await flushing;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    flushing = repo.addQueryCounts(db, batch, clock.now()).finally(() => (flushing = undefined));
    await flushing;
  };
  const timer = setInterval(() => void flushQueryLog().catch(() => {}), QUERY_LOG_FLUSH_MS);
  timer.unref();
  const logQuery = (query: string, results: number) => {
    const entry = pending.get(query) ?? { query, searches: 0, zeroResults: 0, lastResults: 0 };
    entry.searches += 1;
    if (results === 0) entry.zeroResults += 1;
    entry.lastResults = results;
    pending.set(query, entry);
  };

  /** What the index knows about the query's words: known terms, prefixes, nearest terms for typos. */
  async function factsOf(list: readonly Word[]): Promise<TermFacts> {
    const terms = [...new Set(list.map((w) => w.text))].sort();
    return termFacts.get(terms.join(' '), async () => {
      const known = await listing.knownTerms(db, terms);
      const unknownLatin = terms.filter((t) => !known.has(t) && isLatin(t) && /[a-z]/.test(t));
      const withPrefix = new Map<string, boolean>();
      const nearest = new Map<string, { term: string; docs: number }[]>();
      await Promise.all(
        unknownLatin.map(async (t) => {
          withPrefix.set(t, await listing.hasPrefix(db, t));
          if (t.length >= 3) nearest.set(t, await listing.nearestTerms(db, t, 8));
        }),
      );
      return { known, withPrefix, nearest };
    });
  }

  function filtersOf(query: ProductSearchQuery): Filters {
    const specs = new Map<string, string[]>();
    for (const raw of query.spec === undefined ? [] : Array.isArray(query.spec) ? query.spec : [query.spec]) {
      const at = raw.indexOf(':');
      if (at <= 0 || at === raw.length - 1) throw badRequest('invalid_spec_filter', `A spec filter is key:value, not ${raw}`);
      const key = raw.slice(0, at).trim();
      const value = raw.slice(at + 1).normalize('NFKC').trim();
      specs.set(key, [...(specs.get(key) ?? []), value]);
    }
    return {
      categoryId: query.category,
      merchantId: query.store,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
      specs,
    };
  }

  function cardOf(hit: DocumentHit, terms: readonly string[], debug: boolean): ProductCard {
    return {
      id: hit.productId,
      title: hit.title,
      subtitle: hit.card.subtitle,
      brand: hit.card.brand,
      merchantId: hit.merchantId,
      storeName: hit.card.storeName,
      categoryId: hit.categoryId,
      currency: 'CNY',
      priceMin: hit.priceMin,
      priceMax: hit.priceMax,
      listPrice: hit.card.listPrice,
      inStock: hit.inStock,
      unitsSold: hit.unitsSold,
      image: hit.card.image,
      highlights: terms.length > 0 ? highlightRanges(hit.title, terms) : [],
      ...(debug && hit.explain ? { debug: hit.explain } : {}),
    };
  }

  async function facetsOf(filters: Filters, match: SQL | null) {
    const tree = await categoryMap();
    const selected = filters.categoryId ? tree.get(filters.categoryId) : undefined;
    const keys = selected?.node.attributes ?? [];
    const counts = await listing.facetCounts(db, filters, match, keys.map((a) => a.key));
    const children = selected ? selected.node.children : [...tree.values()].filter((e) => e.path.length === 1).map((e) => e.node);
    return {
      categories: children
        .map((c) => ({ id: c.id, nameZh: c.nameZh, nameEn: c.nameEn, count: counts.categories.get(c.id) ?? 0 }))
        .filter((c) => c.count > 0),
      stores: counts.stores.map((s) => ({ id: s.merchantId, name: s.name, count: s.count })),
      specs: keys
        .map((a) => ({
          key: a.key,
          nameZh: a.nameZh,
          nameEn: a.nameEn,
          values: [...counts.facets]
            .filter(([f]) => f.startsWith(`${a.key}=`))
            .map(([f, count]) => ({ value: f.slice(a.key.length + 1), count }))
            .sort((x, y) => y.count - x.count || x.value.localeCompare(y.value)),
        }))
        .filter((s) => s.values.length > 0),
      price: counts.price,
    };
  }

  async function emptySuggestions(resolved: readonly ResolvedWord[]): Promise<string[]> {
    const corrected = correctedQuery(resolved);
    const related = (await Promise.all(resolved.slice(0, 3).map((w) => listing.popularQueries(db, w.text, 4)))).flat();
    const top = related.length >= 4 ? [] : await listing.topQueries(db, 8);
    return [...new Set([...(corrected ? [corrected] : []), ...related, ...top])].slice(0, 8);
  }

  async function search(query: ProductSearchQuery, filters: Filters, cursor: Cursor | undefined, debug: boolean): Promise<ProductPage> {
    const q = query.q!;
    const list = queryWords(q);
    const resolved = resolveWords(list, await factsOf(list));
    const texts = queryTexts(resolved)!;
    const qnorm = normalizeText(q);
    const terms = highlightTerms(resolved);
    let fuzzy: boolean;
    let hits: DocumentHit[];
    let total: number | null = null;
    let capped = false;
    let next: Cursor | null = null;
    if (query.sort === 'relevance') {
      const offset = cursor && 'o' in cursor ? cursor.o : 0;
      // The strict page counts its matches: only when they are too few does the fuzzy tier run.
      let page = offset === 0 ? await listing.searchByRelevance(db, filters, { texts, qnorm, fuzzy: false }, 0, query.limit + 1, debug) : undefined;
      fuzzy = page ? page.total < FEW_RESULTS : (await listing.countStrict(db, filters, texts, FEW_RESULTS)) < FEW_RESULTS;
      if (!page || fuzzy) page = await listing.searchByRelevance(db, filters, { texts, qnorm, fuzzy }, offset, query.limit + 1, debug);
      hits = page.hits.slice(0, query.limit);
      total = offset === 0 ? page.total : null;
      if (page.hits.length > query.limit) next = { o: offset + query.limit };
    } else {
      fuzzy = (await listing.countStrict(db, filters, texts, FEW_RESULTS)) < FEW_RESULTS;
      const match = fuzzy ? sql`(d.terms @@ ${texts.loose}::tsquery or d.title_norm % ${qnorm})` : sql`d.terms @@ ${texts.strict}::tsquery`;
      const after = cursor && 'k' in cursor ? cursor.k : undefined;
      const rows = await listing.listByKeyset(db, filters, match, query.sort, after, query.limit + 1);
      hits = rows.slice(0, query.limit);
      if (!cursor) ({ total, capped } = await listing.countMatching(db, filters, match, COUNT_CAP));
      if (rows.length > query.limit) next = { k: listing.keysetOf(hits[hits.length - 1]!, query.sort) };
    }
    const correctedTo = correctedQuery(resolved);
    const facets = query.facets && !cursor ? await facetsOf(filters, fuzzy ? sql`(d.terms @@ ${texts.loose}::tsquery or d.title_norm % ${qnorm})` : sql`d.terms @@ ${texts.strict}::tsquery`) : undefined;
    return {
      items: hits.map((h) => cardOf(h, terms, debug)),
      nextCursor: next ? encodeCursor(next) : null,
      total,
      totalCapped: capped,
      query: {
        q,
        terms: texts.words,
        correctedQuery: correctedTo,
        fuzzy,
        suggestions: hits.length === 0 && !cursor ? await emptySuggestions(resolved) : [],
      },
      ...(facets ? { facets } : {}),
    };
  }

  async function browse(query: ProductSearchQuery, filters: Filters, cursor: Cursor | undefined): Promise<ProductPage> {
    const sort = query.sort === 'relevance' ? 'popular' : query.sort;
    const after = cursor && 'k' in cursor ? cursor.k : undefined;
    const rows = await listing.listByKeyset(db, filters, null, sort, after, query.limit + 1, await walkIndex(filters, sort));
    const hits = rows.slice(0, query.limit);
    const [count, facets] = cursor ? [null, undefined] : await Promise.all([listing.countMatching(db, filters, null, COUNT_CAP), query.facets ? facetsOf(filters, null) : undefined]);
    return {
      items: hits.map((h) => cardOf(h, [], false)),
      nextCursor: rows.length > query.limit ? encodeCursor({ k: listing.keysetOf(hits[hits.length - 1]!, sort) }) : null,
      total: count?.total ?? null,
      totalCapped: count?.capped ?? false,
      query: null,
      ...(facets ? { facets } : {}),
    };
  }

  return {
    /**
     * One page of on-sale products of active stores, filtered, sorted, optionally matching `q`, as
     * the JSON text of a `ProductPage` (checked against its schema when made, then cached).
     */
    async listJson(query: ProductSearchQuery, viewer: { admin: boolean }): Promise<string> {
      if (query.debug && !viewer.admin) throw forbidden('Only platform admins may ask for the score explanation', 'debug_needs_admin');
      const filters = filtersOf(query);
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      const hasText = query.q !== undefined && queryWords(query.q).length > 0;
      if (!hasText) return (await pages.get(JSON.stringify(['browse', { ...query, q: undefined }]), async () => pageEntry(await browse(query, filters, cursor)))).json;
      const page = query.debug ? pageEntry(await search(query, filters, cursor, true)) : await pages.get(JSON.stringify(['search', query]), async () => pageEntry(await search(query, filters, cursor, false)));
      // Counted on first pages, also when the page comes from the cache.
      if (!cursor) logQuery(normalizeText(query.q!), page.count);
      return page.json;
    },

    /** The same page as an object (tests, tools). */
    async list(query: ProductSearchQuery, viewer: { admin: boolean }): Promise<ProductPage> {
      return JSON.parse(await this.listJson(query, viewer)) as ProductPage;
    },

    /** The public product page's data as JSON text, cached per product until the index says it changed. */
    productJson(productId: string): Promise<string> {
      return products.get(productId, async () => JSON.stringify({ product: publicProductSchema.parse(await deps.publicProduct(productId)) }));
    },

    /** What the search box offers while typing: popular queries, categories, product titles. */
    async suggest(raw: string): Promise<Suggestion[]> {
      const q = normalizeText(raw);
      return suggestions.get(q, async () => {
        const list = queryWords(q);
        const tree = await categoryMap();
        const matchingCategories = [...tree.values()]
          .filter((e) => normalizeText(e.node.nameZh).includes(q) || normalizeText(e.node.nameEn).includes(q))
          .sort((a, b) => b.path.length - a.path.length)
          .slice(0, 3);
        // Title words only (weight A): a category name alone does not make a title suggestion.
        const tsquery = list.length === 0 ? null : list.map((w, i) => `${lexeme(w.text)}:${i === list.length - 1 ? '*' : ''}A`).join(' & ');
        const [queries, titles] = await Promise.all([listing.popularQueries(db, q, 5), tsquery ? listing.suggestTitles(db, tsquery, 6) : Promise.resolve([])]);
        const seen = new Set<string>();
        const items: Suggestion[] = [];
        const add = (s: Suggestion) => {
          const key = `${s.kind}:${s.text}`;
          if (seen.has(key)) return;
          seen.add(key);
          items.push(s);
        };
        for (const text of queries) add({ kind: 'query', text, id: null });
        for (const e of matchingCategories) add({ kind: 'category', text: e.node.nameZh, id: e.node.id, path: e.path.map((p) => p.nameZh) });
        for (const t of titles) add({ kind: 'product', text: t.title, id: t.productId });
        return items.slice(0, 12);
      });
    },

    /** A store's public page: only while it is open. */
    async store(merchantId: string): Promise<PublicStore> {
      return stores.get(merchantId, async () => {
        const profile = await deps.storeProfile(merchantId);
        if (!profile || !profile.active) throw notFound('Store');
        const [stats] = await queryRows<{ n: string | number; sold: string | number | null }>(
          db,
          sql`select count(*) as n, sum(units_sold) as sold from search_documents where merchant_id = ${merchantId}`,
        );
        return {
          id: profile.id,
          name: profile.name,
          description: profile.description,
          logoUrl: profile.logoUrl,
          openedAt: profile.openedAt ? profile.openedAt.toISOString() : null,
          productCount: Number(stats?.n ?? 0),
          unitsSold: Number(stats?.sold ?? 0),
        };
      });
    },

    /** A category for its page head: names, path, how many products, the most popular one's image. */
    async categoryFacts(categoryId: string) {
      const entry = (await categoryMap()).get(categoryId);
      if (!entry) return undefined;
      const filters = { categoryId };
      const [count, top] = await Promise.all([listing.countMatching(db, filters, null, 100_000), listing.listByKeyset(db, filters, null, 'popular', undefined, 1)]);
      return { id: categoryId, nameZh: entry.node.nameZh, nameEn: entry.node.nameEn, path: entry.path.map((c) => c.nameZh), count: count.total, image: top[0]?.card.image?.thumbUrl };
    },

    async zeroResults(page: { cursor?: string; limit: number }) {
      let after: { zeroResults: number; query: string } | undefined;
      if (page.cursor) {
        try {
          after = JSON.parse(Buffer.from(page.cursor, 'base64url').toString()) as { zeroResults: number; query: string };
        } catch {
          throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
        }
        if (typeof after?.query !== 'string' || typeof after.zeroResults !== 'number') throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
      }
      await flushQueryLog();
      const rows = await listing.zeroResultQueries(db, after, page.limit + 1);
      const items = rows.slice(0, page.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > page.limit && last ? Buffer.from(JSON.stringify({ zeroResults: last.zeroResults, query: last.query })).toString('base64url') : null };
    },

    /** Drops cached reads on the index's NOTIFY: everything listed, and the products named (or all). */
    /** Drops one product's cached page (its listings stay until the index says they changed). */
    forgetProduct(productId: string) {
      products.delete(productId);
    },

    invalidate(notice: { productIds?: string[]; all?: boolean } = { all: true }) {
      if (notice.all || !notice.productIds) products.clear();
      else for (const id of notice.productIds) products.delete(id);
      pages.clear();
      suggestions.clear();
      termFacts.clear();
      stores.clear();
      categories.clear();
    },

    flushQueryLog,
    async close() {
      clearInterval(timer);
      await flushQueryLog().catch(() => {});
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
