import { and, asc, desc, eq, inArray, lt, lte, notInArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../platform/db.js';
import { flowEvents } from '../../platform/schema.js';
import { aftersalesRequests } from './schema.js';
import type { AftersalesState } from './states.js';

export type AftersalesRow = typeof aftersalesRequests.$inferSelect;

export async function findRequest(exec: Executor, id: string): Promise<AftersalesRow | undefined> {
  const [row] = await exec.select().from(aftersalesRequests).where(eq(aftersalesRequests.id, id));
  return row;
}

export async function lockRequest(tx: Executor, id: string): Promise<AftersalesRow | undefined> {
  const [row] = await tx.select().from(aftersalesRequests).where(eq(aftersalesRequests.id, id)).for('update');
  return row;
}

/** Requests of an order that still count (neither cancelled nor closed against the buyer). */
export async function countingRequestsOfOrder(exec: Executor, orderId: string): Promise<AftersalesRow[]> {
  return exec
    .select()
    .from(aftersalesRequests)
    .where(and(eq(aftersalesRequests.orderId, orderId), notInArray(aftersalesRequests.state, ['cancelled', 'closed'])));
}

/** The compare-and-set that moves a request, as SQL for `transition`. */
export function moveRequest(exec: Executor, id: string, from: AftersalesState, to: AftersalesState, changes: Partial<typeof aftersalesRequests.$inferInsert>): SQL {
  return exec
    .update(aftersalesRequests)
    .set({ ...changes, state: to })
    .where(and(eq(aftersalesRequests.id, id), eq(aftersalesRequests.state, from)))
    .returning({ id: aftersalesRequests.id })
    .getSQL();
}

export type ListFilter = { buyerId?: string; merchantId?: string; state?: AftersalesState; states?: readonly AftersalesState[]; cursor?: string; limit: number };

/** Newest first; the cursor is the last id of the previous page. */
export async function list(exec: Executor, f: ListFilter): Promise<AftersalesRow[]> {
  return exec
    .select()
    .from(aftersalesRequests)
    .where(
      and(
        f.buyerId ? eq(aftersalesRequests.buyerId, f.buyerId) : undefined,
        f.merchantId ? eq(aftersalesRequests.merchantId, f.merchantId) : undefined,
        f.state ? eq(aftersalesRequests.state, f.state) : undefined,
        f.states ? inArray(aftersalesRequests.state, [...f.states]) : undefined,
        f.cursor ? lt(aftersalesRequests.id, f.cursor) : undefined,
      ),
    )
    .orderBy(desc(aftersalesRequests.id))
    .limit(f.limit);
}

/** Requests past their deadline (unanswered by the store, or refused and not taken further), oldest first. */
export async function overdue(exec: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await exec
    .select({ id: aftersalesRequests.id })
    .from(aftersalesRequests)
    .where(and(inArray(aftersalesRequests.state, ['requested', 'rejected']), lte(aftersalesRequests.respondBy, now)))
    .orderBy(asc(aftersalesRequests.respondBy))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function inState(exec: Executor, state: AftersalesState, limit: number): Promise<AftersalesRow[]> {
  return exec.select().from(aftersalesRequests).where(eq(aftersalesRequests.state, state)).orderBy(asc(aftersalesRequests.id)).limit(limit);
}

export async function timeline(exec: Executor, id: string) {
  return exec
    .select({ type: flowEvents.type, occurredAt: flowEvents.occurredAt, actor: flowEvents.actor, data: flowEvents.data })
    .from(flowEvents)
    .where(and(eq(flowEvents.objectType, 'aftersales'), eq(flowEvents.objectId, id)))
    .orderBy(asc(flowEvents.seq));
}

