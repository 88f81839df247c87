import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import type { Db, Executor } from '../../platform/db.js';
import { createBulkService } from './bulk.js';
import { skuSnapshots } from './reservations.js';
import { categoryRoutes } from './category-routes.js';
import { createCategoryService } from './categories.js';
import { createCatalogFeed } from './feed.js';
import { createImageService } from './images.js';
import { createProductService } from './products.js';
import * as repo from './repo.js';
import { createReviewService } from './review.js';
import { catalogRoutes, type MerchantAccessResolver } from './routes.js';
import { createStockService } from './stock.js';
import { type FileStorage, localDiskStorage } from './storage.js';
import { imageRef } from './views.js';

export type { DecisionNotice, GateVerdict, ReviewDecision, ReviewGate, ReviewService, Submission } from './review.js';
export { RULES_ACTOR } from './review.js';
export type { ProductContent } from './content.js';
export type { FileStorage } from './storage.js';
export type { CatalogFeed, FeedProduct, FeedSku } from './feed.js';
export type { CategoryNode } from './contract.js';
export { publicProductSchema } from './contract.js';
export type { MerchantAccessResolver } from './routes.js';
export { productMachine } from './states.js';
export { availability, commitStockSql, releaseStock, reserveStockSql, restockStock, skuFactsSql, skuSnapshots, stockShortage, type Shortage, type SkuSnapshot, type StockLine } from './reservations.js';

export type CatalogDeps = {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'dataDir'>;
  /** Resolves the store a merchant route acts for (the merchants module's `access`). */
  merchantAccess: MerchantAccessResolver;
  isMerchantActive: (merchantId: string) => Promise<boolean>;
  /** Defaults to local disk under `DATA_DIR/uploads`, served at /uploads/. */
  storage?: FileStorage;
};

/** Categories, products and SKUs, stock, images, bulk upsert and the listing review. */
export function createCatalogModule(deps: CatalogDeps) {
  const { db, clock } = deps;
  const uploadsRoot = deps.storage ? undefined : path.join(deps.config.dataDir, 'uploads');
  const storage = deps.storage ?? localDiskStorage(uploadsRoot!);
  const categories = createCategoryService({ db, clock });
  const review = createReviewService({ db, clock, storage });
  const products = createProductService({ db, clock, storage, isMerchantActive: deps.isMerchantActive, review });
  const stock = createStockService({ db, clock });
  const images = createImageService({ db, clock, storage });
  const bulk = createBulkService({ db, clock, review });

  return {
    categories,
    products,
    /** `review.decide` is the one place a listing is approved or rejected. */
    review,
    stock,
    images,
    bulk,
    /** SKU snapshots for carts and checkout, with image URLs from this catalog's storage. */
    skuSnapshots: (db: Db, skuIds: readonly string[]) => skuSnapshots(db, skuIds, storage.url),
    /** Read-only, set-based product facts for the search index. */
    feed: createCatalogFeed(storage),
    /** What the automatic review judges a submission against (read-only, set-based). */
    reviewFacts: {
      categoryPaths: repo.categoryPaths,
      priceMedians: repo.onSalePriceMedians,
      similarTitles: repo.similarOnSaleTitles,
      /** Which of these image ids belong to the store. */
      storeImageIds: async (exec: Executor, merchantId: string, ids: string[]) => (await repo.findImages(exec, ids, merchantId)).map((i) => i.id),
      /** The addresses of these images (a store's qualification scans), in the order asked; unknown ids left out. */
      imageRefs: async (exec: Executor, ids: string[]) => {
        const byId = new Map((await repo.findImages(exec, ids)).map((row) => [row.id, imageRef(row, storage)]));
        return ids.flatMap((id) => byId.get(id) ?? []);
      },
    },
    routes: [
      categoryRoutes(categories),
      catalogRoutes({ products, review, stock, images, bulk, merchantAccess: deps.merchantAccess, uploadsRoot }),
    ],
  };
}

export type CatalogModule = ReturnType<typeof createCatalogModule>;
