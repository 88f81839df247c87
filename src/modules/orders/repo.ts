import { and, asc, desc, eq, inArray, lt, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Db, type Executor, insertRowsSql, preparedPerExecutor } from '../../platform/db.js';
import { type CancelRequest, orderGroups, orderItems, orders, skuSales } from './schema.js';
import type { OrderState } from './states.js';

export type OrderGroupRow = typeof orderGroups.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;

export async function findGroupByKey(exec: Executor, buyerId: string, idempotencyKey: string): Promise<OrderGroupRow | undefined> {
  const [row] = await exec.select().from(orderGroups).where(and(eq(orderGroups.buyerId, buyerId), eq(orderGroups.idempotencyKey, idempotencyKey)));
  return row;
}

export async function findGroup(exec: Executor, id: string): Promise<OrderGroupRow | undefined> {
  const [row] = await exec.select().from(orderGroups).where(eq(orderGroups.id, id));
  return row;
}

/** Locks the group row: every change to a group's payment or unpaid orders takes this lock first. */
/** `id` may be a subquery answering it (the settlement flow knows only the payment). */
export async function lockGroup(exec: Executor, id: string | SQL): Promise<OrderGroupRow | undefined> {
  const [row] = await exec.select().from(orderGroups).where(eq(orderGroups.id, id)).for('update');
  return row;
}

/** The SELECT … FOR UPDATE of `lockGroup`, for the caller's own statement. */
export const lockGroupSql = (id: string): SQL => sql`select id from ${orderGroups} where id = ${id} for update`;

type GroupWithOrders = { group: OrderGroupRow; orders: OrderRow[]; items: OrderItemRow[] };

const groupWithOrdersQuery = (exec: Executor, id: string | SQL | Placeholder) =>
  exec
    .select({ group: orderGroups, order: orders, item: orderItems })
    .from(orderGroups)
    .leftJoin(orders, eq(orders.groupId, orderGroups.id))
    .leftJoin(orderItems, eq(orderItems.orderId, orders.id))
    .where(eq(orderGroups.id, id))
    .orderBy(asc(orders.id), asc(orderItems.id));

function groupFromRows(rows: { group: OrderGroupRow; order: OrderRow | null; item: OrderItemRow | null }[]): GroupWithOrders | undefined {
  if (rows.length === 0) return undefined;
  const byId = new Map(rows.flatMap((r) => (r.order ? [[r.order.id, r.order] as const] : [])));
  return { group: rows[0]!.group, orders: [...byId.values()], items: rows.flatMap((r) => (r.item ? [r.item] : [])) };
}

/** `lockGroup`, answering the group's orders and their items from the same statement. */
export async function lockGroupWithOrders(exec: Executor, id: string | SQL): Promise<GroupWithOrders | undefined> {
  return groupFromRows(await groupWithOrdersQuery(exec, id).for('update', { of: orderGroups }));
}

const groupWithOrdersPrepared = preparedPerExecutor((db) => groupWithOrdersQuery(db, sql.placeholder('id')).prepare('group_with_orders'));

/** The group with its orders and their items, without a lock (settlement's first read). */
export async function groupWithOrders(db: Db, id: string): Promise<GroupWithOrders | undefined> {
  return groupFromRows(await groupWithOrdersPrepared(db).execute({ id }));
}

/** The INSERTs of a new group, its orders and their items, as SQL for one statement (`writeWithEvents`). */
export function insertGroupSql(group: OrderGroupRow, rows: OrderRow[], items: OrderItemRow[]): SQL[] {
  return [insertRowsSql(orderGroups, [group]), insertRowsSql(orders, rows), insertRowsSql(orderItems, items)];
}

/** The group's unpaid deadline goes, in one statement, once none of its orders awaits payment. */
export async function clearPayDeadlineIfPaid(exec: Executor, groupId: string): Promise<void> {
  await exec.execute(clearPayDeadlineIfPaidSql(groupId));
}

/**
 * The statement of `clearPayDeadlineIfPaid`, for the caller's own statement. `beingPaid`: orders
 * that the same statement moves out of pending_payment, which it still sees in their old state.
 */
export const clearPayDeadlineIfPaidSql = (groupId: string, beingPaid: readonly string[] = []): SQL => sql`update ${orderGroups} set pay_deadline_at = null
    where id = ${groupId} and pay_deadline_at is not null
      and not exists (select 1 from ${orders} where group_id = ${groupId} and state = 'pending_payment' and id <> all(${sql.param([...beingPaid])}::text[]))`;

export async function setPayDeadline(exec: Executor, groupId: string, at: Date | null): Promise<void> {
  await exec.update(orderGroups).set({ payDeadlineAt: at }).where(eq(orderGroups.id, groupId));
}

export async function findOrder(exec: Executor, id: string): Promise<OrderRow | undefined> {
  const [row] = await exec.select().from(orders).where(eq(orders.id, id));
  return row;
}

export async function ordersOfGroup(exec: Executor, groupId: string): Promise<OrderRow[]> {
  return exec.select().from(orders).where(eq(orders.groupId, groupId)).orderBy(asc(orders.id));
}

export async function ordersByIds(exec: Executor, ids: readonly string[]): Promise<OrderRow[]> {
  if (ids.length === 0) return [];
  return exec.select().from(orders).where(inArray(orders.id, [...ids])).orderBy(asc(orders.id));
}

export async function itemsOf(exec: Executor, orderIds: readonly string[]): Promise<OrderItemRow[]> {
  if (orderIds.length === 0) return [];
  return exec.select().from(orderItems).where(inArray(orderItems.orderId, [...orderIds])).orderBy(asc(orderItems.id));
}

/** Compare-and-set on the state, for `transition()`. */
/** The compare-and-set that moves an order from `from` to `to`, as SQL for `transition` (one row or none). */
export function moveOrder(exec: Executor, id: string, from: OrderState, to: OrderState, changes: Partial<typeof orders.$inferInsert>): SQL {
  return exec
    .update(orders)
    .set({ ...changes, state: to })
    .where(and(eq(orders.id, id), eq(orders.state, from)))
    .returning({ id: orders.id })
    .getSQL();
}

/** Sets the cancellation request if the order is still in `state` and its request still `expected`. */
export async function setCancelRequest(exec: Executor, id: string, state: OrderState, expected: 'pending' | null, request: CancelRequest, at: Date): Promise<boolean> {
  const current = expected === null ? sql`${orders.cancelRequest} is null` : sql`${orders.cancelRequest}->>'state' = ${expected}`;
  const updated = await exec
    .update(orders)
    .set({ cancelRequest: request, updatedAt: at })
    .where(and(eq(orders.id, id), eq(orders.state, state), current))
    .returning({ id: orders.id });
  return updated.length === 1;
}

export async function updateOrder(exec: Executor, id: string, changes: Partial<typeof orders.$inferInsert>): Promise<void> {
  await exec.update(orders).set(changes).where(eq(orders.id, id));
}

export type OrderFilter = {
  buyerId?: string;
  merchantId?: string;
  states?: readonly OrderState[];
  groupId?: string;
  cursor?: string;
  limit: number;
};

/** Newest first (ids are ULIDs), after `cursor`. */
export async function listOrders(exec: Executor, filter: OrderFilter): Promise<OrderRow[]> {
  const conditions = [];
  if (filter.buyerId) conditions.push(eq(orders.buyerId, filter.buyerId));
  if (filter.merchantId) conditions.push(eq(orders.merchantId, filter.merchantId));
  if (filter.groupId) conditions.push(eq(orders.groupId, filter.groupId));
  if (filter.states) conditions.push(inArray(orders.state, [...filter.states]));
  if (filter.cursor) conditions.push(lt(orders.id, filter.cursor));
  return exec
    .select()
    .from(orders)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(orders.id))
    .limit(filter.limit);
}

export async function countByState(exec: Executor, where: { buyerId?: string; merchantId?: string }): Promise<Map<OrderState, number>> {
  const rows = await exec
    .select({ state: orders.state, n: sql<number>`count(*)::int` })
    .from(orders)
    .where(and(where.buyerId ? eq(orders.buyerId, where.buyerId) : undefined, where.merchantId ? eq(orders.merchantId, where.merchantId) : undefined))
    .groupBy(orders.state);
  return new Map(rows.map((r) => [r.state, Number(r.n)]));
}

/** Groups whose unpaid deadline has passed, locked for this sweep. */
export async function claimUnpaidGroups(exec: Executor, now: Date, limit: number): Promise<OrderGroupRow[]> {
  return exec
    .select()
    .from(orderGroups)
    .where(sql`${orderGroups.payDeadlineAt} <= ${now}`)
    .orderBy(asc(orderGroups.payDeadlineAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Paid orders of manual stores whose 接单 deadline has passed, locked for this sweep. */
export async function claimMissedAcceptances(exec: Executor, now: Date, limit: number): Promise<OrderRow[]> {
  return exec
    .select()
    .from(orders)
    .where(and(sql`${orders.acceptDeadlineAt} <= ${now}`, eq(orders.state, 'paid')))
    .orderBy(asc(orders.acceptDeadlineAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

type SoldLine = { skuId: string; productId: string; merchantId: string; quantity: number };

/** Adds (or with a negative delta takes back) units sold per SKU. */
export async function countSold(exec: Executor, lines: readonly SoldLine[]): Promise<void> {
  const upsert = countSoldSql(lines);
  if (upsert) await exec.execute(upsert);
}

/** The statement `countSold` sends, for callers that send it inside another (undefined: nothing to count). */
export function countSoldSql(lines: readonly SoldLine[]): SQL | undefined {
  const merged = new Map<string, { productId: string; merchantId: string; quantity: number }>();
  for (const l of lines) {
    const m = merged.get(l.skuId);
    if (m) m.quantity += l.quantity;
    else merged.set(l.skuId, { productId: l.productId, merchantId: l.merchantId, quantity: l.quantity });
  }
  const deltas = [...merged].map(([skuId, l]) => ({ sku_id: skuId, product_id: l.productId, merchant_id: l.merchantId, delta: l.quantity }));
  if (deltas.length === 0) return undefined;
  // A negative delta (a paid order cancelled) meets a row its payment created; a new row never starts below 0.
  // Rows in SKU id order, like the stock updates, so two payments never wait on each other in a circle.
  const v = sql`jsonb_to_recordset(${JSON.stringify(deltas)}::jsonb) as v(sku_id text, product_id text, merchant_id text, delta int)`;
  return sql`insert into ${skuSales} (sku_id, product_id, merchant_id, units_sold)
    select sku_id, product_id, merchant_id, greatest(0, delta) from ${v} order by sku_id
    on conflict (sku_id) do update set units_sold = greatest(0, ${skuSales.unitsSold} + (select delta from ${v} where v.sku_id = excluded.sku_id))`;
}

export async function unitsSold(exec: Executor, productIds: readonly string[]): Promise<Map<string, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await exec
    .select({ productId: skuSales.productId, units: sql<number>`sum(${skuSales.unitsSold})::int` })
    .from(skuSales)
    .where(inArray(skuSales.productId, [...productIds]))
    .groupBy(skuSales.productId);
  return new Map(rows.map((r) => [r.productId, Number(r.units)]));
}
