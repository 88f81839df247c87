/**
 * Bulk upsert (通过API接口调用录入): up to 500 products keyed by product code, each answered on
 * its own. A handful of queries per call whatever its size: one read of the existing products by
 * code, one of their SKUs, one of the categories, images and SKU codes named, then multi-row
 * writes in one transaction. The same payload twice writes nothing the second time.
 */
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { type BulkResultItem, bulkProductSchema, type Issue } from './contract.js';
import { type CategoryFacts, contentIssues, issuesOf, normalizeContent, type ProductContent, submitIssues } from './content.js';
import type { StoreActor } from './products.js';
import * as repo from './repo.js';
import type { ReviewService, Submission } from './review.js';
import type { ProductStatus } from './schema.js';
import { applyPlans, type Existing, planWrite, submitForReview, uniqueViolation, type WritePlan } from './writes.js';

type Item = {
  index: number;
  code: string | null;
  content?: ProductContent;
  errors: Issue[];
};

type Outcome = BulkResultItem;

export function createBulkService(deps: { db: Db; clock: Clock; review: Pick<ReviewService, 'judge'> }) {
  const { db, clock } = deps;

  /** Validates every item on its own, and refuses codes a payload uses twice. */
  function parseItems(raw: unknown[]): Item[] {
    const items = raw.map((value, index): Item => {
      const code = typeof (value as { code?: unknown })?.code === 'string' ? ((value as { code: string }).code.trim() || null) : null;
      const parsed = bulkProductSchema.safeParse(value);
      if (!parsed.success) return { index, code, errors: zodIssues(parsed.error) };
      try {
        return { index, code: parsed.data.code, content: normalizeContent(parsed.data), errors: [] };
      } catch (err) {
        const issues = issuesOf(err);
        if (!issues) throw err;
        return { index, code: parsed.data.code, errors: issues };
      }
    });
    const productCodes = new Set<string>();
    const skuCodes = new Map<string, number>();
    for (const item of items) {
      if (!item.content) continue;
      if (productCodes.has(item.code!)) item.errors.push({ path: 'code', code: 'duplicate_in_payload', message: `Product code ${item.code} appears earlier in this call` });
      productCodes.add(item.code!);
      item.content.skus.forEach((sku, i) => {
        const first = skuCodes.get(sku.code);
        if (first !== undefined && first !== item.index) {
          item.errors.push({ path: `skus.${i}.code`, code: 'duplicate_in_payload', message: `SKU code ${sku.code} is used by item ${first} of this call` });
        } else skuCodes.set(sku.code, item.index);
      });
    }
    return items;
  }

  async function attempt(store: StoreActor, items: Item[], submit: boolean): Promise<Outcome[]> {
    const valid = items.filter((i) => i.content && i.errors.length === 0);
    const codes = valid.map((i) => i.code!);
    const existingRows = await repo.findProductsByCodes(db, store.merchantId, codes);
    const existingSkus = await repo.liveSkusOf(
      db,
      existingRows.map((p) => p.id),
    );
    const existing = new Map<string, Existing>(existingRows.map((p) => [p.code, { product: p, skus: [] }]));
    const byProductId = new Map(existingRows.map((p) => [p.id, existing.get(p.code)!]));
    for (const sku of existingSkus) byProductId.get(sku.productId)!.skus.push(sku);
    for (const revision of await repo.latestRevisions(db, existingRows.filter((p) => p.status !== 'draft').map((p) => p.id))) {
      byProductId.get(revision.productId)!.revision = revision;
    }

    const categories = new Map<string, CategoryFacts>(
      (await repo.findCategories(db, [...new Set(valid.map((i) => i.content!.categoryId))])).map((c) => [c.id, c]),
    );
    const ownImageIds = new Set(
      (await repo.findImages(db, [...new Set(valid.flatMap((i) => i.content!.imageIds))], store.merchantId)).map((i) => i.id),
    );
    const allSkuCodes = valid.flatMap((i) => i.content!.skus.map((s) => s.code));
    const owners = new Map((await repo.skuCodeOwners(db, store.merchantId, allSkuCodes)).map((o) => [o.code, o.productId]));
    // Codes that products in this call drop: another item may take them over.
    const freed = new Set<string>();
    for (const item of valid) {
      const ex = existing.get(item.code!);
      const kept = new Set(item.content!.skus.map((s) => s.code));
      for (const s of ex?.skus ?? []) if (!kept.has(s.code)) freed.add(s.code);
    }

    const now = clock.now();
    const plans = new Map<number, WritePlan>();
    const wantsSubmit = new Set<string>();
    for (const item of valid) {
      const content = item.content!;
      const ex = existing.get(item.code!);
      const category = categories.get(content.categoryId);
      const issues = contentIssues(content, category, ownImageIds);
      content.skus.forEach((s, i) => {
        const owner = owners.get(s.code);
        if (owner && owner !== ex?.product.id && !freed.has(s.code)) {
          issues.push({ path: `skus.${i}.code`, code: 'sku_code_taken', message: `Another product uses SKU code ${s.code}` });
        }
      });
      if (issues.length > 0) {
        item.errors.push(...issues);
        continue;
      }
      const planned = planWrite({ merchantId: store.merchantId, code: item.code!, content, existing: ex, now });
      if (planned.issues) {
        item.errors.push(...planned.issues);
        continue;
      }
      const { plan } = planned;
      if (submit && plan.material) {
        const status = ex?.product.status ?? 'draft';
        // On sale, a material change becomes a revision anyway; from draft, rejected and off the shelf it is submitted now.
        if (status !== 'on_sale') {
          const missing = submitIssues(content, category);
          if (missing.length > 0) {
            item.errors.push(...missing);
            continue;
          }
          wantsSubmit.add(plan.productId);
        }
      }
      plans.set(item.index, plan);
    }
    dropBrokenTakeovers(valid, plans, owners);

    const changedPlans = [...plans.values()].filter((p) => p.changed);
    const statuses = new Map<string, ProductStatus>();
    const submitted = new Set<string>();
    if (changedPlans.length > 0) {
      await db.transaction(async (tx) => {
        const after = await applyPlans(tx, changedPlans, { actor: store.actor, now, via: 'bulk' });
        for (const [id, status] of after.statuses) statuses.set(id, status);
        const submissions: Submission[] = after.revisions.map((r) => ({ ...r, actor: store.actor, role: store.role, at: now }));
        for (const r of after.revisions) submitted.add(r.productId);
        for (const plan of changedPlans) {
          const status = statuses.get(plan.productId)!;
          if (!wantsSubmit.has(plan.productId) || (status !== 'draft' && status !== 'rejected')) continue;
          const to = await submitForReview(tx, {
            productId: plan.productId,
            merchantId: store.merchantId,
            categoryId: plan.categoryId,
            from: status,
            content: plan.content,
            actor: store.actor,
            now,
          });
          statuses.set(plan.productId, to);
          submitted.add(plan.productId);
          submissions.push({
            productId: plan.productId,
            revisionId: null,
            merchantId: store.merchantId,
            categoryId: plan.categoryId,
            content: plan.content,
            actor: store.actor,
            role: store.role,
            at: now,
          });
        }
        // The automatic review decides in the same transaction; what needs a person waits in the queue.
        for (const [id, status] of await deps.review.judge(tx, submissions)) statuses.set(id, status);
      });
    }

    return items.map((item): Outcome => {
      const plan = plans.get(item.index);
      if (!plan || item.errors.length > 0) {
        return { index: item.index, code: item.code, result: 'failed', productId: null, status: null, submitted: false, errors: item.errors };
      }
      return {
        index: item.index,
        code: item.code,
        result: plan.productInsert ? 'created' : plan.changed ? 'updated' : 'unchanged',
        productId: plan.productId,
        status: statuses.get(plan.productId) ?? plan.existing!.product.status,
        submitted: submitted.has(plan.productId),
        errors: [],
      };
    });
  }

  return {
    async upsert(store: StoreActor, raw: unknown[], options: { submit: boolean }) {
      let outcomes: Outcome[];
      try {
        outcomes = await attempt(store, parseItems(raw), options.submit);
      } catch (err) {
        // Another call created one of these codes between our read and our write: read again, once.
        if (!uniqueViolation(err)) throw err;
        outcomes = await attempt(store, parseItems(raw), options.submit);
      }
      const count = (result: Outcome['result']) => outcomes.filter((o) => o.result === result).length;
      return {
        summary: {
          created: count('created'),
          updated: count('updated'),
          unchanged: count('unchanged'),
          failed: count('failed'),
          submitted: outcomes.filter((o) => o.submitted).length,
        },
        items: outcomes,
      };
    },
  };
}

export type BulkService = ReturnType<typeof createBulkService>;

/**
 * A SKU code may move from one product to another in the same call only if the product that held
 * it is written too; when that product failed, the taker fails as well (repeated until stable).
 */
function dropBrokenTakeovers(items: Item[], plans: Map<number, WritePlan>, owners: Map<string, string>) {
  for (let changed = true; changed; ) {
    changed = false;
    const removedIds = new Set([...plans.values()].flatMap((p) => p.skuRemovals));
    const removedCodes = new Set(
      [...plans.values()].flatMap((p) => (p.existing?.skus ?? []).filter((s) => removedIds.has(s.id)).map((s) => s.code)),
    );
    for (const item of items) {
      const plan = plans.get(item.index);
      if (!plan) continue;
      const blocked = plan.skuInserts.filter((s) => {
        const owner = owners.get(s.code);
        return owner !== undefined && owner !== plan.productId && !removedCodes.has(s.code);
      });
      if (blocked.length === 0) continue;
      for (const s of blocked) item.errors.push({ path: 'skus', code: 'sku_code_taken', message: `Another product uses SKU code ${s.code}` });
      plans.delete(item.index);
      changed = true;
    }
  }
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, code: 'unknown_field', message: 'unknown field' }));
    }
    return [{ path, code: 'invalid_field', message: issue.message }];
  });
}
