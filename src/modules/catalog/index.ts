import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { createBulkService } from './bulk.js';
import { categoryRoutes } from './category-routes.js';
import { createCategoryService } from './categories.js';
import { createCatalogFeed } from './feed.js';
import { createImageService } from './images.js';
import { createProductService } from './products.js';
import { createReviewService } from './review.js';
import { catalogRoutes, type MerchantAccessResolver } from './routes.js';
import { createStockService } from './stock.js';
import { type FileStorage, localDiskStorage } from './storage.js';

export type { ReviewDecision, ReviewService } from './review.js';
export type { FileStorage } from './storage.js';
export type { CatalogFeed, FeedProduct, FeedSku } from './feed.js';
export type { CategoryNode } from './contract.js';
export type { MerchantAccessResolver } from './routes.js';
export { productMachine } from './states.js';
export { availability, commitStock, releaseStock, reserveStock, restockStock, skuFacts, skuSnapshots, type Shortage, type SkuSnapshot, type StockLine } from './reservations.js';

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
  const products = createProductService({ db, clock, storage, isMerchantActive: deps.isMerchantActive });
  const review = createReviewService({ db, clock, storage });
  const stock = createStockService({ db, clock });
  const images = createImageService({ db, clock, storage });
  const bulk = createBulkService({ db, clock });

  return {
    categories,
    products,
    /** `review.decide` is the one place a listing is approved or rejected. */
    review,
    stock,
    images,
    bulk,
    /** Read-only, set-based product facts for the search index. */
    feed: createCatalogFeed(storage),
    routes: [
      categoryRoutes(categories),
      catalogRoutes({ products, review, stock, images, bulk, merchantAccess: deps.merchantAccess, uploadsRoot }),
    ],
  };
}

export type CatalogModule = ReturnType<typeof createCatalogModule>;
