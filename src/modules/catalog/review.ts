/** The platform's review of listings (平台审核). Today a person decides; the review module will put rules in front. */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { badRequest, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events.js';
import { transition } from '../../platform/states.js';
import * as repo from './repo.js';
import type { ProductStatus } from './schema.js';
import { productMachine } from './states.js';
import type { FileStorage } from './storage.js';
import { productSummaryView } from './views.js';

export type ReviewDecision = { outcome: 'approve' } | { outcome: 'reject'; reason: string };

export function createReviewService(deps: { db: Db; clock: Clock; storage: FileStorage }) {
  const { db, clock, storage } = deps;

  return {
    /**
     * The one place a pending product is approved or rejected, whoever decides: an admin today,
     * automatic rules (with a `system` actor) once the review module lands.
     */
    async decide(reviewer: Actor, productId: string, decision: ReviewDecision): Promise<ProductStatus> {
      const product = await repo.findProduct(db, productId);
      if (!product) throw notFound('Product');
      const now = clock.now();
      const event = decision.outcome;
      return db.transaction((tx) =>
        transition(tx, productMachine, {
          objectId: product.id,
          from: product.status,
          event,
          actor: reviewer,
          at: now,
          related: [
            { type: 'merchant', id: product.merchantId, qualifier: 'store' },
            { type: 'category', id: product.categoryId, qualifier: 'category' },
          ],
          data: decision.outcome === 'reject' ? { reason: decision.reason } : {},
          apply: (to) =>
            repo.setProductStatus(tx, product.id, product.status, to, {
              reviewedAt: now,
              updatedAt: now,
              rejectionReason: decision.outcome === 'reject' ? decision.reason : null,
            }),
        }),
      );
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
