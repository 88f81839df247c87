/**
 * The platform's review of listings (平台审核): the one place a pending product, or a pending
 * revision of a listed one, is approved or rejected. Whoever decides (the automatic rules, a
 * reviewer, a store owner rejecting a staff submission) goes through `decide`. The review module
 * plugs in as the gate: it judges every submission in the submitting transaction and is told of
 * every decision in the deciding one, so its tasks and the products never disagree.
 */
import type { Clock } from '../../platform/clock.js';
import type { Db, Tx } from '../../platform/db.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events.js';
import { transition } from '../../platform/states.js';
import type { ProductContent } from './content.js';
import * as repo from './repo.js';
import type { ProductRow, RevisionRow } from './repo.js';
import type { ProductStatus } from './schema.js';
import { productMachine, revisionMachine } from './states.js';
import type { FileStorage } from './storage.js';
import { productSummaryView } from './views.js';
import { applyPlans, planWrite, uniqueViolation } from './writes.js';

/** `meta` is passed to the gate as it is (the review module names the task decided and the reason template). */
export type ReviewDecision = { outcome: 'approve'; meta?: Record<string, unknown> } | { outcome: 'reject'; reason: string; meta?: Record<string, unknown> };

/** A product sent to review (`revisionId` null) or a revision of a listed product. */
export type Submission = {
  productId: string;
  revisionId: string | null;
  merchantId: string;
  categoryId: string;
  content: ProductContent;
  actor: Actor;
  /** The submitter's role in the store, when known (API keys: `api_key`). */
  role?: 'owner' | 'operator' | 'api_key';
  at: Date;
};

/** The gate's answer: decided by rules (with data for the flow log), or waiting for a person. */
export type GateVerdict =
  | { outcome: 'approve'; data?: Record<string, unknown> }
  | { outcome: 'reject'; reason: string; data?: Record<string, unknown> }
  | { outcome: 'wait' };

export type DecisionNotice = {
  productId: string;
  revisionId: string | null;
  merchantId: string;
  outcome: 'approve' | 'reject';
  reason: string | null;
  actor: Actor;
  at: Date;
  meta?: Record<string, unknown>;
};

/** What the review module implements; all calls run inside the catalog's transaction. */
export interface ReviewGate {
  /** Judges each submission; opens a task for each one a person decides. One verdict per submission, in order. */
  submitted(tx: Tx, submissions: Submission[]): Promise<GateVerdict[]>;
  /** A person decides: may refuse (throw, e.g. claimed by another reviewer); answers data for the flow log. */
  deciding(tx: Tx, decision: DecisionNotice): Promise<Record<string, unknown> | undefined>;
  /** The merchant withdrew a pending revision. */
  withdrawn(tx: Tx, revision: { productId: string; revisionId: string; actor: Actor; at: Date }): Promise<void>;
}

/** Without the review module every submission waits for a person. */
const personOnly: ReviewGate = {
  submitted: async (_tx, submissions) => submissions.map(() => ({ outcome: 'wait' as const })),
  deciding: async () => undefined,
  withdrawn: async () => {},
};

/** The actor of automatic decisions in the flow log. */
export const RULES_ACTOR: Actor = { kind: 'system', id: 'review_rules' };

export function createReviewService(deps: { db: Db; clock: Clock; storage: FileStorage }) {
  const { db, clock, storage } = deps;
  let gate: ReviewGate = personOnly;

  const relatedOf = (product: ProductRow) => [
    { type: 'merchant', id: product.merchantId, qualifier: 'store' },
    { type: 'category', id: product.categoryId, qualifier: 'category' },
  ];

  async function decideRevision(tx: Tx, reviewer: Actor, product: ProductRow, revision: RevisionRow, decision: ReviewDecision, data: Record<string, unknown>) {
    const now = clock.now();
    if (decision.outcome === 'approve') {
      const planned = planWrite({
        merchantId: product.merchantId,
        content: revision.content as ProductContent,
        existing: { product, skus: await repo.liveSkusOf(tx, [product.id]) },
        now,
        applyRevision: revision.id,
      });
      if (planned.issues) throw conflict('revision_not_applicable', 'The revision no longer fits the product (e.g. a SKU to remove holds reservations)', { issues: planned.issues });
      await applyPlans(tx, [planned.plan], { actor: reviewer, now, via: 'review' });
      await repo.updateProduct(tx, product.id, { reviewedAt: now });
    }
    await transition(tx, revisionMachine, {
      objectId: revision.id,
      from: revision.state,
      event: decision.outcome,
      actor: reviewer,
      at: now,
      related: [{ type: 'product', id: product.id, qualifier: 'revises' }, ...relatedOf(product)],
      data,
      apply: (to) => repo.setRevisionState(tx, revision.id, revision.state, to, { decidedAt: now, updatedAt: now, reason: decision.outcome === 'reject' ? decision.reason : null }),
    });
    return product.status;
  }

  /** Decides inside an open transaction. `automatic` decisions come from the gate's own verdict. */
  async function decideIn(tx: Tx, reviewer: Actor, productId: string, decision: ReviewDecision, automatic?: { data?: Record<string, unknown> }): Promise<ProductStatus> {
    const product = await repo.findProduct(tx, productId);
    if (!product) throw notFound('Product');
    const [latest] = product.status === 'pending_review' ? [] : await repo.latestRevisions(tx, [product.id]);
    const revision = latest?.state === 'pending' ? latest : undefined;
    const now = clock.now();
    const reason = decision.outcome === 'reject' ? decision.reason : null;
    if (!revision && productMachine.next(product.status, decision.outcome) === undefined) {
      // Let transition() phrase the refusal, with the allowed events.
      await transition(tx, productMachine, { objectId: product.id, from: product.status, event: decision.outcome, actor: reviewer, at: now, apply: async () => false });
    }
    const notice: DecisionNotice = {
      productId: product.id,
      revisionId: revision?.id ?? null,
      merchantId: product.merchantId,
      outcome: decision.outcome,
      reason,
      actor: reviewer,
      at: now,
      meta: decision.meta,
    };
    const data = { ...(automatic ? { automatic: true, ...automatic.data } : await gate.deciding(tx, notice)), ...(reason === null ? {} : { reason }) };
    if (revision) return decideRevision(tx, reviewer, product, revision, decision, data);
    return transition(tx, productMachine, {
      objectId: product.id,
      from: product.status,
      event: decision.outcome,
      actor: reviewer,
      at: now,
      related: relatedOf(product),
      data,
      apply: (to) =>
        repo.setProductStatus(tx, product.id, product.status, to, {
          reviewedAt: now,
          updatedAt: now,
          rejectionReason: reason,
          // Rejected by rules, it may be submitted again unchanged: what it lacked may lie outside it (a qualification).
          ...(automatic && reason !== null ? { submittedHash: null } : {}),
        }),
    });
  }

  return {
    /** The review module plugs its rules and tasks in here (bound late: it needs the catalog). */
    useGate(next: ReviewGate) {
      gate = next;
    },

    /**
     * The one place a pending product, or the pending revision of a listed product, is approved
     * or rejected, whoever decides. A revision approved replaces the live content.
     */
    async decide(reviewer: Actor, productId: string, decision: ReviewDecision): Promise<ProductStatus> {
      try {
        return await db.transaction((tx) => decideIn(tx, reviewer, productId, decision));
      } catch (err) {
        if (uniqueViolation(err) === 'sku_code_taken') throw conflict('sku_code_taken', 'Another product of the store took a SKU code of this revision meanwhile');
        throw err;
      }
    },

    /**
     * Decides inside the caller's transaction. With `automatic`, the rules decided (the caller has
     * closed its task and gives the data for the flow log); otherwise the gate is asked first.
     */
    decideWithin: decideIn,

    /** Inside the submitting transaction: the gate judges, and what the rules decided is decided now. Resolves to each product's status after. */
    async judge(tx: Tx, submissions: Submission[]): Promise<Map<string, ProductStatus>> {
      const statuses = new Map<string, ProductStatus>();
      if (submissions.length === 0) return statuses;
      const verdicts = await gate.submitted(tx, submissions);
      for (const [i, verdict] of verdicts.entries()) {
        if (verdict.outcome === 'wait') continue;
        const { productId } = submissions[i]!;
        const decision: ReviewDecision = verdict.outcome === 'approve' ? { outcome: 'approve' } : { outcome: 'reject', reason: verdict.reason };
        statuses.set(productId, await decideIn(tx, RULES_ACTOR, productId, decision, { data: verdict.data }));
      }
      return statuses;
    },

    /** The merchant takes back a pending revision; the approved version stays as it is. */
    async withdrawRevision(tx: Tx, actor: Actor, product: ProductRow, revision: RevisionRow) {
      const now = clock.now();
      await gate.withdrawn(tx, { productId: product.id, revisionId: revision.id, actor, at: now });
      await transition(tx, revisionMachine, {
        objectId: revision.id,
        from: revision.state,
        event: 'withdraw',
        actor,
        at: now,
        related: [{ type: 'product', id: product.id, qualifier: 'revises' }, ...relatedOf(product)],
        apply: (to) => repo.setRevisionState(tx, revision.id, revision.state, to, { decidedAt: now, updatedAt: now }),
      });
    },

    /** Products in a status, oldest submission first (the review queue for `pending_review`). */
    async queue(query: { status: ProductStatus; cursor?: string; limit: number }) {
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await repo.listForReview(db, { status: query.status, after, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const images = await repo.findImages(db, page.flatMap((p) => p.imageIds.slice(0, 1)));
      const byId = new Map(images.map((i) => [i.id, i]));
      const last = page[page.length - 1];
      return {
        items: page.map((p) => productSummaryView(p, p.imageIds[0] ? byId.get(p.imageIds[0]) : undefined, storage)),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.submittedAt, last.id) : null,
      };
    },
  };
}

export type ReviewService = ReturnType<typeof createReviewService>;

// Products never submitted have no submission time; they sort first (the epoch).
function encodeCursor(at: Date | null, id: string): string {
  return Buffer.from(JSON.stringify([(at ?? new Date(0)).toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw badRequest('invalid_cursor', 'The cursor is not one this list gave out');
  }
}
