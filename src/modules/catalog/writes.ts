/**
 * Writing product content: planning what changes (pure) and applying many plans in a few
 * statements. Create, update and bulk upsert share this, so they cannot drift apart.
 */
import { isUniqueViolation, type Tx } from '../../platform/db.js';
import { conflict } from '../../platform/errors.js';
import { type Actor, appendFlowEvents } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import { type Issue, MAX_ON_HAND } from './contract.js';
import {
  type CategoryFacts,
  changedFields,
  contentIssues,
  immediatePart,
  largePriceMoves,
  materialHash,
  materialOf,
  type ProductContent,
  revisionContentOf,
  sameJson,
  submitIssues,
} from './content.js';
import * as repo from './repo.js';
import type { ProductRow, RevisionRow, SkuRow } from './repo.js';
import type { ProductStatus, productRevisions, products, RevisionContent, skus, stockAdjustments } from './schema.js';
import { PRICE_MOVE_REVIEW_SHARE, productMachine, revisionMachine } from './states.js';
import { contentOf } from './views.js';

/** A stored product, its live SKUs and its latest revision (any state), if any. */
export type Existing = { product: ProductRow; skus: SkuRow[]; revision?: RevisionRow };

type SkuInsert = typeof skus.$inferInsert;

export type WritePlan = {
  productId: string;
  merchantId: string;
  categoryId: string;
  existing?: Existing;
  content: ProductContent;
  productInsert?: typeof products.$inferInsert;
  /** The product fields that differ from what is stored (for updates). */
  productSet: Partial<typeof products.$inferInsert>;
  skuInserts: SkuInsert[];
  /** Existing SKUs whose specs, order, prices or weight change: their full new values. */
  skuUpdates: repo.SkuContentRow[];
  skuRemovals: string[];
  /** Existing SKUs whose on_hand is set to a new value (recorded as `sync` adjustments). */
  stockSyncs: { skuId: string; target: number }[];
  material: boolean;
  changed: boolean;
  /** A revision to propose, or the pending one's new non-material values (`pendingId`). */
  revision?: { content: RevisionContent; changes: { fields: string[]; priceMoves: string[] }; pendingId?: string };
  /** Set when the plan applies this approved revision: content changes without a state move. */
  applyingRevision?: string;
};

type Planned = { plan: WritePlan; issues?: undefined } | { plan?: undefined; issues: Issue[] };
type PlanInput = {
  merchantId: string;
  code?: string;
  content: ProductContent;
  existing?: Existing;
  now: Date;
  /** The id of an approved revision whose content this writes. */
  applyRevision?: string;
};

/**
 * Works out what writing `content` changes. Pure; answers issues instead when it cannot be written.
 * A material change (or a large price move) of an on-sale product becomes a revision; what else the
 * edit changes (stock, weights, small price moves) applies at once. See docs/decisions/006.
 */
export function planWrite(input: PlanInput): Planned {
  if (input.existing && input.applyRevision === undefined) {
    const revised = planRevision(input as PlanInput & { existing: Existing });
    if (revised) return revised;
  }
  return planDirect(input);
}

const revisionInReview: Issue = {
  path: '',
  code: 'revision_in_review',
  message: 'A revision of this product is under review; wait for the decision or withdraw the revision before changing its content',
};

/** The revision route of planWrite, or undefined when the edit applies directly. */
function planRevision(input: PlanInput & { existing: Existing }): Planned | undefined {
  const { existing, content } = input;
  const pending = existing.revision?.state === 'pending' ? existing.revision : undefined;
  if (!pending && existing.product.status !== 'on_sale') return undefined;
  const live = contentOf(existing.product, existing.skus);
  const moves = largePriceMoves(live, content, PRICE_MOVE_REVIEW_SHARE);
  if (!pending && moves.length === 0 && sameJson(materialOf(live), materialOf(content))) return undefined;

  // The whole edit must be writable as it will be written on approval (reserved SKUs, stock).
  const whole = planDirect(input);
  if (whole.issues) return whole;
  const proposed = revisionContentOf(content);
  if (pending) {
    // Under review, only what the reviewer does not judge may change: not the content, not the large price moves.
    const before = pending.content as ProductContent;
    const priceOf = (c: ProductContent, code: string) => c.skus.find((s) => s.code === code)?.price;
    const judged = new Set([...largePriceMoves(live, before, PRICE_MOVE_REVIEW_SHARE), ...moves]);
    if (!sameJson(materialOf(before), materialOf(content)) || [...judged].some((code) => priceOf(before, code) !== priceOf(content, code))) {
      return { issues: [revisionInReview] };
    }
  } else if (existing.revision?.state === 'rejected' && sameJson(existing.revision.content, proposed)) {
    return { issues: [{ path: '', code: 'unchanged_since_rejection', message: 'This revision was rejected as it is; change it before proposing it again' }] };
  }

  const immediate = planDirect({ ...input, content: immediatePart(live, content, moves) });
  if (immediate.issues) return immediate;
  const { plan } = immediate;
  if (!pending || !sameJson(pending.content, proposed)) {
    plan.revision = { content: proposed, changes: { fields: changedFields(live, content), priceMoves: moves }, pendingId: pending?.id };
    plan.changed = true;
  }
  return { plan };
}

function planDirect(input: PlanInput): Planned {
  const { merchantId, content, existing, now } = input;
  if (!existing) {
    const productId = newId('product');
    return {
      plan: {
        productId,
        merchantId,
        categoryId: content.categoryId,
        content,
        productInsert: {
          id: productId,
          merchantId,
          code: input.code ?? productId,
          title: content.title,
          subtitle: content.subtitle,
          description: content.description,
          brand: content.brand,
          categoryId: content.categoryId,
          attributes: content.attributes,
          specs: content.specs,
          imageIds: content.imageIds,
          status: productMachine.initial,
          createdAt: now,
          updatedAt: now,
        },
        productSet: {},
        skuInserts: content.skus.map((s, position) => newSkuRow(productId, merchantId, s, position, now)),
        skuUpdates: [],
        skuRemovals: [],
        stockSyncs: [],
        material: true,
        changed: true,
      },
    };
  }

  const { product } = existing;
  const before = contentOf(product, existing.skus);
  const issues: Issue[] = [];
  const productSet: Partial<typeof products.$inferInsert> = {};
  if (input.code !== undefined && input.code !== product.code) productSet.code = input.code;
  for (const field of ['title', 'subtitle', 'description', 'brand', 'categoryId', 'attributes', 'specs', 'imageIds'] as const) {
    if (!sameJson(before[field], content[field])) Object.assign(productSet, { [field]: content[field] });
  }

  const byCode = new Map(existing.skus.map((s) => [s.code, s]));
  const skuInserts: SkuInsert[] = [];
  const skuUpdates: WritePlan['skuUpdates'] = [];
  const stockSyncs: WritePlan['stockSyncs'] = [];
  content.skus.forEach((sku, position) => {
    const old = byCode.get(sku.code);
    if (!old) {
      skuInserts.push(newSkuRow(product.id, merchantId, sku, position, now));
      return;
    }
    byCode.delete(sku.code);
    const same =
      sameJson(old.specs, sku.specs) && old.price === sku.price && old.listPrice === sku.listPrice && old.weightGrams === sku.weightGrams && old.position === position;
    if (!same) {
      skuUpdates.push({ id: old.id, specs: sku.specs, position, price: sku.price, listPrice: sku.listPrice, weightGrams: sku.weightGrams });
    }
    if (sku.onHand !== undefined && sku.onHand !== old.onHand) {
      if (sku.onHand < old.reserved) {
        issues.push({ path: `skus.${position}.onHand`, code: 'below_reserved', message: `${old.reserved} units are reserved by orders` });
      }
      stockSyncs.push({ skuId: old.id, target: sku.onHand });
    }
  });
  const skuRemovals = [...byCode.values()];
  for (const gone of skuRemovals) {
    if (gone.reserved > 0) issues.push({ path: 'skus', code: 'sku_reserved', message: `SKU ${gone.code} has reserved units and cannot be removed` });
  }

  const material = !sameJson(materialOf(before), materialOf(content));
  if (material && product.status === 'pending_review') {
    issues.push({ path: '', code: 'product_in_review', message: 'The product is under review; wait for the decision before changing its content' });
  }
  if (issues.length > 0) return { issues };
  const changed =
    Object.keys(productSet).length > 0 || skuInserts.length > 0 || skuUpdates.length > 0 || skuRemovals.length > 0 || stockSyncs.length > 0;
  return {
    plan: {
      productId: product.id,
      merchantId,
      categoryId: content.categoryId,
      existing,
      content,
      productSet,
      skuInserts,
      skuUpdates,
      skuRemovals: skuRemovals.map((s) => s.id),
      stockSyncs,
      material,
      changed,
      ...(input.applyRevision ? { applyingRevision: input.applyRevision } : {}),
    },
  };
}

function newSkuRow(productId: string, merchantId: string, sku: ProductContent['skus'][number], position: number, now: Date): SkuInsert {
  return {
    id: newId('sku'),
    productId,
    merchantId,
    code: sku.code,
    specs: sku.specs,
    position,
    price: sku.price,
    listPrice: sku.listPrice,
    weightGrams: sku.weightGrams,
    onHand: sku.onHand ?? 0,
    createdAt: now,
    updatedAt: now,
  };
}

export type WriteContext = { actor: Actor; now: Date; via: 'console' | 'api' | 'bulk' | 'review' };

/** A revision proposed by a write, for the review to judge. */
export type NewRevision = { revisionId: string; productId: string; merchantId: string; categoryId: string; content: ProductContent };

/**
 * Applies plans in one transaction: one multi-row insert per table, row updates only where
 * something changed, one statement to refresh the denormalized price and stock. Then the flow
 * log, the revisions proposed, and the transitions a material edit of an off-shelf product causes.
 * Resolves to each plan's status afterwards and the revisions to review.
 */
export async function applyPlans(tx: Tx, plans: WritePlan[], ctx: WriteContext): Promise<{ statuses: Map<string, ProductStatus>; revisions: NewRevision[] }> {
  const { actor, now } = ctx;
  const statuses = new Map<string, ProductStatus>();
  const adjustments: (typeof stockAdjustments.$inferInsert)[] = [];

  await repo.insertProducts(
    tx,
    plans.flatMap((p) => (p.productInsert ? [p.productInsert] : [])),
  );
  await repo.updateProductContents(
    tx,
    plans
      .filter((p) => !p.productInsert && Object.keys(p.productSet).length > 0)
      .map((p) => ({ id: p.productId, code: p.productSet.code ?? p.existing!.product.code, ...withoutSkus(p.content) })),
    now,
  );
  // Removals first: a removed SKU frees its code for another product in the same call.
  const removals = plans.flatMap((p) => p.skuRemovals);
  if ((await repo.removeSkus(tx, removals, now)).length !== removals.length) {
    throw conflict('sku_reserved', 'A SKU to remove was reserved meanwhile; retry');
  }
  await repo.updateSkuContents(
    tx,
    plans.flatMap((p) => p.skuUpdates),
    now,
  );
  const inserts = plans.flatMap((p) => p.skuInserts);
  await repo.insertSkus(tx, inserts);
  for (const s of inserts) {
    if ((s.onHand ?? 0) > 0) adjustments.push(adjustmentRow(s.id!, s.productId, s.merchantId, 'initial', s.onHand!, s.onHand!, ctx));
  }
  const syncs = plans.flatMap((p) => p.stockSyncs.map((s) => ({ ...s, merchantId: p.merchantId })));
  for (const merchantId of new Set(syncs.map((s) => s.merchantId))) {
    const mine = syncs.filter((s) => s.merchantId === merchantId);
    const changed = await repo.syncOnHand(tx, merchantId, mine, MAX_ON_HAND, now);
    if (changed.length !== mine.length) throw conflict('stock_changed', 'Stock was reserved meanwhile; retry');
    for (const c of changed) {
      if (c.after !== c.before) adjustments.push(adjustmentRow(c.skuId, c.productId, merchantId, 'sync', c.after - c.before, c.after, ctx));
    }
  }
  await repo.insertStockAdjustments(tx, adjustments);
  await repo.refreshProductStats(
    tx,
    plans.filter((p) => p.changed).map((p) => p.productId),
  );

  const revisions: NewRevision[] = [];
  const revisionRows: (typeof productRevisions.$inferInsert)[] = [];
  for (const plan of plans) {
    if (!plan.revision) continue;
    if (plan.revision.pendingId) {
      await repo.updateRevisionContent(tx, plan.revision.pendingId, plan.revision.content, now);
      continue;
    }
    const revisionId = newId('productRevision');
    revisionRows.push({
      id: revisionId,
      productId: plan.productId,
      merchantId: plan.merchantId,
      state: revisionMachine.initial,
      content: plan.revision.content,
      changes: plan.revision.changes,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
    });
    revisions.push({ revisionId, productId: plan.productId, merchantId: plan.merchantId, categoryId: plan.revision.content.categoryId, content: plan.revision.content });
  }
  await repo.insertRevisions(tx, revisionRows);

  const relatedOf = (plan: WritePlan) => [
    { type: 'merchant', id: plan.merchantId, qualifier: 'store' },
    { type: 'category', id: plan.categoryId, qualifier: 'category' },
  ];
  // Created, updated and revision events for the whole batch in one append; state moves follow, per product.
  const contentChanged = (plan: WritePlan) =>
    Object.keys(plan.productSet).length > 0 || plan.skuInserts.length + plan.skuUpdates.length + plan.skuRemovals.length + plan.stockSyncs.length > 0;
  await appendFlowEvents(tx, [
    ...plans
      .filter((plan) => plan.productInsert || contentChanged(plan))
      .map((plan) => ({
        type: plan.productInsert ? 'product.created' : 'product.updated',
        objectType: 'product',
        objectId: plan.productId,
        actor,
        occurredAt: now,
        related: relatedOf(plan),
        data: plan.productInsert
          ? { code: plan.productInsert.code, via: ctx.via, skus: plan.skuInserts.length }
          : { material: plan.material, via: ctx.via, ...(plan.applyingRevision ? { revisionId: plan.applyingRevision } : {}) },
      })),
    ...revisionRows.map((row) => ({
      type: 'product_revision.created',
      objectType: 'product_revision',
      objectId: row.id,
      actor,
      occurredAt: now,
      related: [{ type: 'product', id: row.productId, qualifier: 'revises' }, { type: 'merchant', id: row.merchantId, qualifier: 'store' }],
      data: { changes: row.changes, via: ctx.via },
    })),
  ]);
  for (const plan of plans) {
    const related = relatedOf(plan);
    if (plan.productInsert) {
      statuses.set(plan.productId, 'draft');
      continue;
    }
    const status = plan.existing!.product.status;
    statuses.set(plan.productId, status);
    if (plan.material && status === 'off_shelf' && !plan.applyingRevision) {
      // Off the shelf, changed content returns the product to draft: it goes back on sale through a submit.
      const to = await transition(tx, productMachine, {
        objectId: plan.productId,
        from: status,
        event: 'edit',
        actor,
        at: now,
        related,
        apply: (next) => repo.setProductStatus(tx, plan.productId, status, next, { updatedAt: now }),
      });
      statuses.set(plan.productId, to);
    }
  }
  return { statuses, revisions };
}

function withoutSkus({ skus: _skus, ...content }: ProductContent) {
  return content;
}

function adjustmentRow(
  skuId: string,
  productId: string,
  merchantId: string,
  mode: 'initial' | 'sync',
  delta: number,
  onHandAfter: number,
  ctx: WriteContext,
): typeof stockAdjustments.$inferInsert {
  return {
    id: newId('stockAdjustment'),
    skuId,
    productId,
    merchantId,
    mode,
    delta,
    onHandAfter,
    reason: mode === 'initial' ? 'initial stock' : `set by ${ctx.via}`,
    actor: ctx.actor,
    createdAt: ctx.now,
  };
}

/** Everything that stands between a product and review, as issues. */
export function reviewReadiness(content: ProductContent, category: CategoryFacts | undefined, ownImageIds: ReadonlySet<string>): Issue[] {
  return [...contentIssues(content, category, ownImageIds), ...submitIssues(content, category)];
}

/** Sends a draft or rejected product to review. The caller has checked readiness. */
export async function submitForReview(
  tx: Tx,
  input: { productId: string; merchantId: string; categoryId: string; from: ProductStatus; content: ProductContent; actor: Actor; now: Date },
): Promise<ProductStatus> {
  const hash = materialHash(input.content);
  return transition(tx, productMachine, {
    objectId: input.productId,
    from: input.from,
    event: 'submit',
    actor: input.actor,
    at: input.now,
    related: [
      { type: 'merchant', id: input.merchantId, qualifier: 'store' },
      { type: 'category', id: input.categoryId, qualifier: 'category' },
    ],
    apply: (to) =>
      repo.setProductStatus(tx, input.productId, input.from, to, {
        submittedAt: input.now,
        submittedHash: hash,
        rejectionReason: null,
        updatedAt: input.now,
      }),
  });
}

/** Maps a unique-index violation to the conflict a client understands; other errors pass. */
export function uniqueViolation(err: unknown): 'product_code_taken' | 'sku_code_taken' | 'other' | undefined {
  if (!isUniqueViolation(err)) return undefined;
  if (isUniqueViolation(err, 'products_merchant_code_uq')) return 'product_code_taken';
  if (isUniqueViolation(err, 'skus_merchant_code_uq')) return 'sku_code_taken';
  return 'other';
}
