/**
 * Keeps `search_documents` in step with the catalog, driven by the flow log: a consumer reads the
 * events after its cursor (woken by every NOTIFY on `flow_events`, and by a periodic sweep as a
 * safety net), works out which products they affect and brings those documents up to date. Both
 * paths read the current state, so handling an event twice is harmless:
 * - a full rebuild (text, terms, prices, facets, numbers) for products reached through product, SKU,
 *   store and category events;
 * - a numbers-only refresh for products reached only through orders (an order changes stock and
 *   sales, never text): the stock facts and units sold are read, then one UPDATE sets in_stock,
 *   units_sold and popularity of the documents that exist and NOTIFYs the products that changed.
 *
 * The cursor is one row with a 30 s lease: one process at a time consumes. A round takes the lease
 * only when there is something to read (one statement, which is all an idle sweep sends) and gives
 * it up together with the cursor's move (one more). Sequence numbers are taken at insert and commit
 * in any order, so a number below the newest one read may still appear later; such holes are kept
 * with the cursor and read again until they show up or are a minute old (a rolled-back transaction
 * leaves a hole forever).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { CatalogFeed, CategoryNode } from '../catalog/index.js';
import { buildDocument, type CategoryInfo, type DocumentRow, isVisible, salesNumbers, type StoreInfo } from './documents.js';
import * as repo from './repo.js';

export const SEARCH_INDEX_CHANNEL = 'search_index';
const CONSUMER = 'search.indexer';
const EVENTS_PER_BATCH = 500;
const PRODUCTS_PER_BATCH = 500;
const HOLE_PATIENCE_MS = 60_000;
/** A notice names at most this many products; a larger change clears every cache. */
const NOTICE_MAX_IDS = 200;
/** A consumer that dies mid-batch leaves its lease; another process takes over after this. */
const LEASE_MS = 30_000;
/** Store events that change what shoppers may see or what cards show. */
const STORE_EVENTS = new Set(['merchant.approve', 'merchant.suspend', 'merchant.reactivate', 'merchant.reject', 'merchant.update_profile', 'merchant.updated']);

export type IndexerDeps = {
  db: Db;
  clock: Clock;
  feed: CatalogFeed;
  /** The whole category tree, disabled categories included. */
  categoryTree: () => Promise<CategoryNode[]>;
  /** Name and open/closed state of each store asked for; unknown stores may be left out. */
  stores: (merchantIds: readonly string[]) => Promise<Map<string, StoreInfo>>;
  unitsSold: (productIds: readonly string[]) => Promise<Map<string, number>>;
};

/**
 * Objects whose events never change a product document (carts, parcels in transit, accounts). They
 * are the log's busiest writers: a cart line names its SKU, but adding it changes neither stock nor
 * price, so it must not rebuild the product and clear every process's listing caches.
 */
const NEVER_INDEXED = new Set(['cart', 'shipment', 'user']);

/** Whether an event (or its NOTIFY notice) may change what the index holds. */
export function mayAffectIndex(event: { objectType: string }): boolean {
  return !NEVER_INDEXED.has(event.objectType);
}

/** What a batch of events asks to rebuild. */
export type Affected = { productIds: Set<string>; merchantIds: Set<string>; categoryIds: Set<string>; skuIds: Set<string>; orderIds: Set<string>; categoriesChanged: boolean };

/** Routes events to what they affect. Pure. */
export function affectedBy(events: readonly repo.LoggedEvent[]): Affected {
  const out: Affected = { productIds: new Set(), merchantIds: new Set(), categoryIds: new Set(), skuIds: new Set(), orderIds: new Set(), categoriesChanged: false };
  for (const e of events) {
    if (!mayAffectIndex(e)) continue;
    if (e.objectType === 'order') {
      // An order changes stock and sales, never a product's text. The SKUs its place event names are
      // found again through the order (skusOfOrders), for the numbers-only refresh.
      out.orderIds.add(e.objectId);
      continue;
    }
    if (e.objectType === 'product') out.productIds.add(e.objectId);
    else if (e.objectType === 'sku') out.skuIds.add(e.objectId);
    else if (e.objectType === 'merchant' && STORE_EVENTS.has(e.type)) out.merchantIds.add(e.objectId);
    else if (e.objectType === 'category') {
      out.categoryIds.add(e.objectId);
      out.categoriesChanged = true;
    }
    for (const r of e.related) {
      if (r.type === 'product') out.productIds.add(r.id);
      else if (r.type === 'sku') out.skuIds.add(r.id);
    }
  }
  return out;
}

/** Holes in the sequence numbers read, given the previous cursor and holes still awaited. */
export function nextCursor(lastSeq: number, gaps: repo.ConsumerRow['gaps'], seen: readonly number[], now: Date): { lastSeq: number; gaps: repo.ConsumerRow['gaps'] } {
  const seenSet = new Set(seen);
  const newest = seen.reduce((max, s) => Math.max(max, s), lastSeq);
  const stillOpen = gaps.filter((g) => !seenSet.has(g.seq) && now.getTime() - Date.parse(g.since) < HOLE_PATIENCE_MS);
  const fresh: repo.ConsumerRow['gaps'] = [];
  for (let s = lastSeq + 1; s < newest && fresh.length < 1000; s++) if (!seenSet.has(s)) fresh.push({ seq: s, since: now.toISOString() });
  return { lastSeq: newest, gaps: [...stillOpen, ...fresh] };
}

function categoryIndex(tree: CategoryNode[]): Map<string, CategoryInfo> {
  const index = new Map<string, CategoryInfo>();
  const walk = (nodes: CategoryNode[], parents: CategoryInfo['path']) => {
    for (const node of nodes) {
      const path = [...parents, { id: node.id, nameZh: node.nameZh, nameEn: node.nameEn }];
      index.set(node.id, { id: node.id, nameZh: node.nameZh, nameEn: node.nameEn, path, attributes: node.attributes });
      walk(node.children, path);
    }
  };
  walk(tree, []);
  return index;
}

export function createIndexer(deps: IndexerDeps) {
  const { db, clock, feed } = deps;
  const owner = randomUUID();
  /** How far this process has read the log: the cursor as it last moved it, with the holes still awaited. */
  let read: { lastSeq: number; holes: Set<number> } | undefined;
  const remember = (cursor: repo.Cursor) => (read = { lastSeq: cursor.lastSeq, holes: new Set(cursor.gaps.map((g) => g.seq)) });
  let categories: Promise<Map<string, CategoryInfo>> | undefined;
  const categoryInfo = () => (categories ??= deps.categoryTree().then(categoryIndex, (err: unknown) => {
    categories = undefined;
    throw err;
  }));

  /**
   * Rebuilds the documents of these products. Store states and units sold come from other modules
   * before the transaction; the catalog is read again inside it, under the index lock, so of two
   * writers the later one also read the later state.
   */
  async function reindex(productIds: readonly string[], storeMemo?: Map<string, StoreInfo>): Promise<string[]> {
    const ids = [...new Set(productIds)];
    if (ids.length === 0) return [];
    const known = await feed.products(db, ids);
    const merchantIds = [...new Set(known.map((p) => p.merchantId))];
    const lookupStores = async () => {
      if (!storeMemo) return deps.stores(merchantIds);
      for (const [id, info] of await deps.stores(merchantIds.filter((id) => !storeMemo.has(id)))) storeMemo.set(id, info);
      return storeMemo;
    };
    const [stores, sold, cats] = await Promise.all([
      lookupStores(),
      deps.unitsSold(known.filter((p) => p.status === 'on_sale').map((p) => p.id)),
      categoryInfo(),
    ]);
    await db.transaction(async (tx) => {
      await repo.lockIndex(tx);
      const products = await feed.products(tx, ids);
      const rows: DocumentRow[] = [];
      for (const product of products) {
        const store = stores.get(product.merchantId);
        if (!store || !isVisible(product, store)) continue;
        rows.push(buildDocument(product, { category: cats.get(product.categoryId), store, unitsSold: sold.get(product.id) ?? 0 }));
      }
      await repo.replaceDocuments(tx, ids, rows, clock.now());
      // Every process drops what it cached about these products once this commits.
      await tx.execute(sql`select pg_notify(${SEARCH_INDEX_CHANNEL}, ${JSON.stringify(ids.length > NOTICE_MAX_IDS ? { all: true } : { productIds: ids })})`);
    });
    return ids;
  }

  /**
   * Refreshes only the stock and sales numbers of the documents of these products (those without a
   * document stay without): the facts come from the catalog and the orders module, then one
   * statement writes them and NOTIFYs the products whose numbers changed. The facts are read before
   * the write and without the index lock: any later stock or sales change through an order logs a
   * later event, whose round reads them again.
   */
  async function refreshNumbers(inStock: ReadonlyMap<string, boolean>): Promise<void> {
    const ids = [...inStock.keys()];
    const sold = await deps.unitsSold(ids);
    const numbers = ids.map((id) => ({ productId: id, ...salesNumbers(inStock.get(id)!, sold.get(id) ?? 0) }));
    await repo.refreshNumbers(db, numbers, { channel: SEARCH_INDEX_CHANNEL, maxIds: NOTICE_MAX_IDS });
  }

  /**
   * What an event batch asks for: the products to rebuild (store and category events expanded to
   * their products), and the products reached only through orders, with whether each is in stock.
   */
  async function productsOf(affected: Affected): Promise<{ rebuild: string[]; numbersOnly: Map<string, boolean> }> {
    if (affected.categoriesChanged) categories = undefined;
    const [expanded, inStock] = await Promise.all([
      feed.productIds(db, { merchantIds: [...affected.merchantIds], categoryIds: [...affected.categoryIds], skuIds: [...affected.skuIds] }),
      repo.skusOfOrders(db, [...affected.orderIds]).then((skuIds) => feed.stockFacts(db, { skuIds })),
    ]);
    const rebuild = new Set([...affected.productIds, ...expanded]);
    for (const id of rebuild) inStock.delete(id);
    return { rebuild: [...rebuild], numbersOnly: inStock };
  }

  /** Handles a batch of events: full rebuilds first, then the numbers-only refreshes. */
  async function apply(events: readonly repo.LoggedEvent[]): Promise<void> {
    const { rebuild, numbersOnly } = await productsOf(affectedBy(events));
    for (let i = 0; i < rebuild.length; i += PRODUCTS_PER_BATCH) await reindex(rebuild.slice(i, i + PRODUCTS_PER_BATCH));
    const refresh = [...numbersOnly];
    for (let i = 0; i < refresh.length; i += PRODUCTS_PER_BATCH) await refreshNumbers(new Map(refresh.slice(i, i + PRODUCTS_PER_BATCH)));
  }

  /**
   * Reads the log from the cursor and rebuilds what it affects, batch by batch, until it is caught
   * up. Resolves to the number of events handled (0 when another process holds the lease).
   */
  async function catchUp(): Promise<number> {
    let handled = 0;
    let leased = false;
    try {
      for (;;) {
        // The sweep runs every second in every process: when nothing is new, this one statement is all it sends.
        const cursor = await repo.leaseIfWork(db, CONSUMER, owner, clock.now(), LEASE_MS);
        if (cursor === 'absent') {
          // First start on this database: begin at the log's end and index what is already on sale.
          if (!(await repo.createConsumer(db, CONSUMER, clock.now()))) return handled;
          handled += await rebuildAll();
          continue;
        }
        // Nothing left to read, or another process holds the lease.
        if (!cursor) return handled;
        leased = true;
        const events = await repo.eventsAfter(db, cursor.lastSeq, cursor.gaps.map((g) => g.seq), EVENTS_PER_BATCH);
        const next = nextCursor(cursor.lastSeq, cursor.gaps, events.map((e) => e.seq), clock.now());
        if (events.length > 0) await apply(events);
        const moved = events.length > 0 || next.gaps.length !== cursor.gaps.length;
        if (events.length < EVENTS_PER_BATCH) {
          // The end of the round: move the cursor and give the lease up in one statement.
          leased = false;
          const held = await repo.releaseConsumer(db, CONSUMER, owner, moved ? { next, at: clock.now() } : undefined);
          if (!held) return handled;
          remember(next);
          return handled + events.length;
        }
        if (!(await repo.advanceConsumer(db, CONSUMER, owner, next, clock.now()))) return handled;
        remember(next);
        handled += events.length;
      }
    } finally {
      if (leased) await repo.releaseConsumer(db, CONSUMER, owner).catch(() => {});
    }
  }

  /** Rebuilds every document from the catalog in batches; resolves to the number of products indexed. */
  async function rebuildAll(): Promise<number> {
    const started = clock.now();
    // A full pass meets each store hundreds of times: ask about it once.
    const storeMemo = new Map<string, StoreInfo>();
    let after = '';
    let count = 0;
    for (;;) {
      const ids = await feed.onSaleIds(db, after, PRODUCTS_PER_BATCH);
      if (ids.length === 0) break;
      await reindex(ids, storeMemo);
      count += ids.length;
      after = ids[ids.length - 1]!;
    }
    // Documents the pass did not touch belong to products no longer on sale.
    for (;;) {
      const stale = await repo.staleDocumentIds(db, started, PRODUCTS_PER_BATCH);
      if (stale.length === 0) break;
      await reindex(stale);
    }
    return count;
  }

  return {
    catchUp,
    rebuildAll,
    /**
     * Whether a round of this process has already read the event numbered `seq` (false when unsure:
     * another process may have moved the cursor since). A notice of such an event needs no round.
     */
    hasRead: (seq: number) => read !== undefined && seq <= read.lastSeq && !read.holes.has(seq),
    /** Rebuilds the named products now (tests, admin tools). */
    reindex: (productIds: readonly string[]) => reindex(productIds),
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
