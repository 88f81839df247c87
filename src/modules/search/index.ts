import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db.js';
import type { PageHead, PageHeadHook } from '../../platform/http.js';
import { FLOW_EVENTS_CHANNEL, type FlowEventNotice } from '../../platform/events.js';
import type { Job } from '../../platform/scheduler.js';
import type { CatalogModule } from '../catalog/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { StoreInfo } from './documents.js';
import { readCache } from './cache.js';
import { createIndexer, mayAffectIndex, SEARCH_INDEX_CHANNEL } from './indexer.js';
import { categoryHead, productHead, storeHead } from './page-head.js';
import { searchRoutes } from './routes.js';
import { createSearchService } from './service.js';

function noticeOf(payload: string): FlowEventNotice | undefined {
  try {
    return JSON.parse(payload) as FlowEventNotice;
  } catch {
    return undefined;
  }
}

/** Objects whose events change only documents' numbers, and how long they may wait to be taken in. */
const SALES_ONLY = new Set(['order', 'payment', 'refund']);
const SALES_BATCH_MS = 200;

export type { ProductCard, ProductPage, PublicStore, Suggestion } from './contract.js';
export type { SearchService } from './service.js';

export type SearchDeps = {
  database: Database;
  clock: Clock;
  catalog: Pick<CatalogModule, 'feed' | 'categories' | 'products'>;
  merchants: Pick<MerchantsService, 'get'>;
  /** 销量 per product (the orders module's). */
  unitsSold: (productIds: readonly string[]) => Promise<Map<string, number>>;
  log: FastifyBaseLogger;
};

/**
 * Search and the storefront's listings. The index follows the flow log: every NOTIFY on
 * `flow_events` wakes the consumer, a 1 s sweep (scheduler job) catches anything a notice missed,
 * and the index's own NOTIFY clears every process's cached reads.
 */
export async function createSearchModule(deps: SearchDeps) {
  const { database, clock, catalog, merchants, log } = deps;
  const db = database.db;
  const storeInfo = async (merchantIds: readonly string[]) => {
    const found = new Map<string, StoreInfo>();
    await Promise.all(
      merchantIds.map(async (id) => {
        const merchant = await merchants.get(id).catch(() => undefined);
        if (merchant) found.set(id, { name: merchant.name, active: merchant.state === 'active' });
      }),
    );
    return found;
  };
  const indexer = createIndexer({
    db,
    clock,
    feed: catalog.feed,
    categoryTree: () => catalog.categories.tree({ enabledOnly: false }),
    stores: storeInfo,
    unitsSold: deps.unitsSold,
  });
  const service = createSearchService({
    db,
    clock,
    publicProduct: (id) => catalog.products.getPublic(id),
    categoryTree: () => catalog.categories.tree({ enabledOnly: true }),
    storeProfile: async (id) => {
      const m = await merchants.get(id).catch(() => undefined);
      return m && { id: m.id, name: m.name, description: m.description, logoUrl: m.logoUrl, openedAt: m.approvedAt, active: m.state === 'active' };
    },
  });

  // One catch-up at a time in this process. A notice that arrives meanwhile runs it once more, unless
  // the round read its event already (a transaction's events are announced together, after it
  // commits); a wake-up without a number (the sweep, an unreadable notice) always does.
  let running: Promise<number> | undefined;
  let noticed: (number | undefined)[] = [];
  let closed = false;
  const catchUp = (seq?: number): Promise<number> => {
    if (running) {
      noticed.push(seq);
      return running;
    }
    running = (async () => {
      let handled = 0;
      do {
        noticed = [];
        handled += await indexer.catchUp().catch((err: unknown) => {
          log.error({ err }, 'search indexing failed');
          return 0;
        });
      } while (!closed && noticed.some((s) => s === undefined || !indexer.hasRead(s)));
      return handled;
    })().finally(() => (running = undefined));
    return running;
  };

  // Orders and payments change only the numbers on documents (stock, units sold): under load one
  // round every SALES_BATCH_MS takes in all of them, instead of a round per checkout and payment.
  let soon: NodeJS.Timeout | undefined;
  const catchUpSoon = (seq: number | undefined) => {
    soon ??= setTimeout(() => {
      soon = undefined;
      if (!closed) void catchUp(seq);
    }, SALES_BATCH_MS);
  };

  const stopFlow = await database.listen(FLOW_EVENTS_CHANNEL, (payload) => {
    const notice = noticeOf(payload);
    // A product's own page is read from the catalog, not from the index: forget it as soon as the
    // change commits rather than when the index has caught up.
    if (notice?.objectType === 'product') service.forgetProduct(notice.objectId);
    // Busy writers that never touch a document (carts, parcels) do not wake the consumer; the 1 s
    // sweep moves the cursor past them. An unreadable notice wakes it: look at the log.
    if (!closed && payload && (!notice || (mayAffectIndex(notice) && !indexer.hasRead(notice.seq)))) {
      if (notice && SALES_ONLY.has(notice.objectType)) catchUpSoon(notice.seq);
      else void catchUp(notice?.seq);
    }
  });
  const stopIndex = await database.listen(SEARCH_INDEX_CHANNEL, (payload) => {
    let notice: { productIds?: string[]; all?: boolean } = { all: true };
    try {
      notice = JSON.parse(payload) as typeof notice;
    } catch {
      // an unreadable notice drops everything
    }
    service.invalidate(notice);
  });
  void catchUp();

  // Page heads are read by crawlers in bursts: cached like listings, dropped on every index change.
  const heads = readCache<PageHead | null>({ max: 5_000, ttlMs: 60_000 });
  const stopHeads = await database.listen(SEARCH_INDEX_CHANNEL, () => heads.clear());
  const pageHead: PageHeadHook = async ({ pathname, origin }) => {
    const match = /^\/(p|c|s)\/([a-z]{3}_[0-9A-Z]{26})\/?$/.exec(pathname);
    if (!match) return undefined;
    const [, kind, id] = match as unknown as [string, 'p' | 'c' | 's', string];
    const head = await heads.get(`${origin}${pathname}`, async () => {
      if (kind === 'p') {
        const product = await catalog.products.getPublic(id).catch(() => undefined);
        return product ? productHead(product, origin) : null;
      }
      if (kind === 'c') {
        const category = await service.categoryFacts(id);
        return category ? categoryHead(category, origin) : null;
      }
      const store = await service.store(id).catch(() => undefined);
      return store ? storeHead(store, origin) : null;
    });
    return head ?? undefined;
  };

  const jobs: Job[] = [{ name: 'search.catch-up', everyMs: 1_000, sweep: () => catchUp() }];

  return {
    service,
    indexer,
    /** Waits for the index to take in everything in the flow log so far (tests, tools). */
    async settle() {
      while (running) await running;
      await catchUp();
    },
    jobs,
    /** For the web app's HTML (platform/http.ts `pageHead`): product, category and store pages. */
    pageHead,
    routes: searchRoutes({
      service,
      indexer,
      onClose: async () => {
        closed = true;
        clearTimeout(soon);
        await stopFlow();
        await stopIndex();
        await stopHeads();
        while (running) await running;
        await service.close();
      },
    }),
  };
}

export type SearchModule = Awaited<ReturnType<typeof createSearchModule>>;
