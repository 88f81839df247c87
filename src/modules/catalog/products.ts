/** Products one at a time: the merchant's console and API, and the public product page. */
import type { Clock } from '../../platform/clock.js';
import { type Db, type Executor, isForeignKeyViolation } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events.js';
import { transition } from '../../platform/states.js';
import type { Issue, ProductInput, ProductPatch } from './contract.js';
import { type CategoryFacts, contentIssues, invalidProduct, materialHash, normalizeContent, normalizeSkus, notSubmittable, type ProductContent } from './content.js';
import { sanitizeDescription } from './html.js';
import * as repo from './repo.js';
import type { ReviewService } from './review.js';
import type { ProductStatus } from './schema.js';
import { productMachine } from './states.js';
import type { FileStorage } from './storage.js';
import { contentOf, productSummaryView, productView, publicProductView } from './views.js';
import { applyPlans, planWrite, reviewReadiness, submitForReview, uniqueViolation } from './writes.js';

/** Who acts for which store; resolved by the merchants module. */
/** Who acts for which store; `role` (when known) lets the review tell staff submissions from the owner's. */
export type StoreActor = { merchantId: string; actor: Actor; via: 'session' | 'api_key'; role?: 'owner' | 'operator' | 'api_key' };

export type ProductDeps = {
  db: Db;
  clock: Clock;
  storage: FileStorage;
  isMerchantActive: (merchantId: string) => Promise<boolean>;
  review: Pick<ReviewService, 'judge' | 'withdrawRevision'>;
};

export function createProductService(deps: ProductDeps) {
  const { db, clock, storage } = deps;

  async function load(exec: Executor, merchantId: string, productId: string) {
    const product = await repo.findProduct(exec, productId, merchantId);
    if (!product) throw notFound('Product');
    // Sequential: `exec` may be a transaction, which has one connection.
    const skus = await repo.liveSkusOf(exec, [product.id]);
    const [revision] = await repo.latestRevisions(exec, [product.id]);
    return { product, skus, revision };
  }

  async function view(exec: Executor, productId: string) {
    const product = await repo.findProduct(exec, productId);
    if (!product) throw notFound('Product');
    const skus = await repo.liveSkusOf(exec, [productId]);
    const [revision] = await repo.latestRevisions(exec, [productId]);
    return productView(product, skus, await repo.findImages(exec, product.imageIds), storage, revision);
  }

  /** What the content is checked against: its category and the store's images it names. */
  async function contextOf(exec: Executor, merchantId: string, content: ProductContent) {
    const [category] = await repo.findCategories(exec, [content.categoryId]);
    const images = await repo.findImages(exec, content.imageIds, merchantId);
    return { category: category as CategoryFacts | undefined, ownImageIds: new Set(images.map((i) => i.id)) };
  }

  /** SKU codes that another product of the store already uses. */
  async function takenSkuCodes(exec: Executor, merchantId: string, productId: string | undefined, content: ProductContent): Promise<Issue[]> {
    const owners = await repo.skuCodeOwners(
      exec,
      merchantId,
      content.skus.map((s) => s.code),
    );
    const taken = new Set(owners.filter((o) => o.productId !== productId).map((o) => o.code));
    return content.skus.flatMap((s, i) => (taken.has(s.code) ? [{ path: `skus.${i}.code`, code: 'sku_code_taken', message: `Another product uses SKU code ${s.code}` }] : []));
  }

  async function write(store: StoreActor, content: ProductContent, options: { code?: string; existingId?: string }) {
    const now = clock.now();
    try {
      return await db.transaction(async (tx) => {
        const existing = options.existingId ? await load(tx, store.merchantId, options.existingId) : undefined;
        const planned = planWrite({ merchantId: store.merchantId, code: options.code, content, existing, now });
        if (planned.issues) {
          const refusal = planned.issues.find((i) => ['product_in_review', 'revision_in_review', 'unchanged_since_rejection'].includes(i.code));
          if (refusal) throw conflict(refusal.code, refusal.message);
          throw invalidProduct(planned.issues);
        }
        const { revisions } = await applyPlans(tx, [planned.plan], { actor: store.actor, now, via: store.via === 'api_key' ? 'api' : 'console' });
        await deps.review.judge(
          tx,
          revisions.map((r) => ({ ...r, actor: store.actor, role: store.role, at: now })),
        );
        return planned.plan.productId;
      });
    } catch (err) {
      const violated = uniqueViolation(err);
      if (violated === 'product_code_taken') throw conflict('product_code_taken', `Another product of the store has code ${options.code}`);
      if (violated === 'sku_code_taken') throw conflict('sku_code_taken', 'Another product of the store uses one of these SKU codes');
      if (isForeignKeyViolation(err)) throw invalidProduct([{ path: 'categoryId', code: 'category_not_found', message: 'The category was deleted meanwhile' }]);
      throw err;
    }
  }

  return {
    async create(store: StoreActor, input: ProductInput) {
      const content = normalizeContent(input);
      const { category, ownImageIds } = await contextOf(db, store.merchantId, content);
      const issues = [...contentIssues(content, category, ownImageIds), ...(await takenSkuCodes(db, store.merchantId, undefined, content))];
      if (issues.length > 0) throw invalidProduct(issues);
      const productId = await write(store, content, { code: input.code });
      return view(db, productId);
    },

    async update(store: StoreActor, productId: string, patch: ProductPatch) {
      const { product, skus, revision } = await load(db, store.merchantId, productId);
      // While a revision waits, the merchant edits their latest version: the revision.
      const before = revision?.state === 'pending' ? (revision.content as ProductContent) : contentOf(product, skus);
      const content: ProductContent = {
        ...before,
        ...Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'code' && k !== 'skus' && k !== 'description')),
        ...(patch.description === undefined ? {} : { description: sanitizeDescription(patch.description) }),
        ...(patch.skus === undefined ? {} : { skus: normalizeSkus(patch.skus) }),
      };
      const { category, ownImageIds } = await contextOf(db, store.merchantId, content);
      // A category disabled after the product joined it does not block edits; it blocks submitting.
      const issues = contentIssues(content, category, ownImageIds).filter((i) => !(i.code === 'category_disabled' && content.categoryId === before.categoryId));
      issues.push(...(await takenSkuCodes(db, store.merchantId, product.id, content)));
      if (issues.length > 0) throw invalidProduct(issues);
      await write(store, content, { code: patch.code, existingId: product.id });
      return view(db, productId);
    },

    async get(store: StoreActor, productId: string) {
      await load(db, store.merchantId, productId);
      return view(db, productId);
    },

    async list(store: StoreActor, query: repo.ProductListQuery) {
      const rows = await repo.listProducts(db, store.merchantId, { ...query, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const images = await repo.findImages(db, page.flatMap((p) => p.imageIds.slice(0, 1)));
      const byId = new Map(images.map((i) => [i.id, i]));
      return {
        items: page.map((p) => productSummaryView(p, p.imageIds[0] ? byId.get(p.imageIds[0]) : undefined, storage)),
        nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
      };
    },

    /** draft or rejected → pending_review, once the product is complete. */
    async submit(store: StoreActor, productId: string) {
      const { product, skus } = await load(db, store.merchantId, productId);
      const content = contentOf(product, skus);
      if (productMachine.next(product.status, 'submit') === undefined) {
        // Let transition() phrase the refusal, with the allowed events.
        await transition(db, productMachine, { objectId: product.id, from: product.status, event: 'submit', actor: store.actor, at: clock.now(), apply: async () => false });
      }
      if (product.status === 'rejected' && product.submittedHash === materialHash(content)) {
        throw conflict('unchanged_since_rejection', 'Change the product before submitting it again');
      }
      const { category, ownImageIds } = await contextOf(db, store.merchantId, content);
      const issues = reviewReadiness(content, category, ownImageIds);
      if (issues.length > 0) throw notSubmittable(issues);
      const now = clock.now();
      await db.transaction(async (tx) => {
        await submitForReview(tx, {
          productId: product.id,
          merchantId: product.merchantId,
          categoryId: product.categoryId,
          from: product.status,
          content,
          actor: store.actor,
          now,
        });
        await deps.review.judge(tx, [
          { productId: product.id, revisionId: null, merchantId: product.merchantId, categoryId: product.categoryId, content, actor: store.actor, role: store.role, at: now },
        ]);
      });
      return view(db, productId);
    },

    /** Takes back the pending revision of a listed product; the approved version stays. */
    async withdrawRevision(store: StoreActor, productId: string) {
      const { product, revision } = await load(db, store.merchantId, productId);
      if (revision?.state !== 'pending') throw conflict('no_pending_revision', 'The product has no revision under review');
      await db.transaction((tx) => deps.review.withdrawRevision(tx, store.actor, product, revision));
      return view(db, productId);
    },

    /** on_sale ⇄ off_shelf, by the merchant. */
    async shelve(store: StoreActor, productId: string, event: 'off_shelf' | 'on_shelf') {
      const { product } = await load(db, store.merchantId, productId);
      const now = clock.now();
      await db.transaction((tx) =>
        transition(tx, productMachine, {
          objectId: product.id,
          from: product.status,
          event,
          actor: store.actor,
          at: now,
          related: [{ type: 'merchant', id: product.merchantId, qualifier: 'store' }],
          apply: (to: ProductStatus) => repo.setProductStatus(tx, product.id, product.status, to, { updatedAt: now }),
        }),
      );
      return view(db, productId);
    },

    /** The public product page: only on sale, and only while its store is open. */
    async getPublic(productId: string) {
      const product = await repo.findProduct(db, productId);
      if (!product || product.status !== 'on_sale' || !(await deps.isMerchantActive(product.merchantId))) throw notFound('Product');
      const [skus, images, path] = await Promise.all([
        repo.liveSkusOf(db, [product.id]),
        repo.findImages(db, product.imageIds),
        repo.categoryPath(db, product.categoryId),
      ]);
      const [category] = await repo.findCategories(db, [product.categoryId]);
      return publicProductView(product, skus, images, path, category?.attributes ?? [], storage);
    },

    /** Any product, as its merchant sees it; for the platform's admins. */
    view: (productId: string) => view(db, productId),
  };
}

export type ProductService = ReturnType<typeof createProductService>;
