import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Executor, insertRowsSql, preparedPerExecutor } from '../../platform/db.js';
import { paymentNotifications, payments, refunds } from './schema.js';
import type { PaymentState, RefundState } from './states.js';

export type PaymentRow = typeof payments.$inferSelect;
export type RefundRow = typeof refunds.$inferSelect;

/** The INSERT of a new payment, as SQL for the caller's statement (`writeWithEvents`). */
export const insertPaymentSql = (row: PaymentRow): SQL => insertRowsSql(payments, [row]);

const paymentById = preparedPerExecutor((exec) => exec.select().from(payments).where(eq(payments.id, sql.placeholder('id'))).prepare('payment_by_id'));

export async function findPayment(exec: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await paymentById(exec).execute({ id });
  return row;
}

/** The payment's order group id, as a subquery for the caller's statement. */
export const groupIdOfSql = (id: string): SQL => sql`(select ${payments.groupId} from ${payments} where ${payments.id} = ${id})`;

export async function lockPayment(exec: Executor, id: string): Promise<PaymentRow | undefined> {
  const [row] = await exec.select().from(payments).where(eq(payments.id, id)).for('update');
  return row;
}

export async function pendingOfGroup(exec: Executor, groupId: string): Promise<PaymentRow | undefined> {
  const [row] = await exec.select().from(payments).where(and(eq(payments.groupId, groupId), eq(payments.state, 'pending')));
  return row;
}

export async function paymentsOfGroup(exec: Executor, groupId: string): Promise<PaymentRow[]> {
  return exec.select().from(payments).where(eq(payments.groupId, groupId)).orderBy(asc(payments.id));
}

/** The compare-and-set that moves a payment from `from` to `to`, as SQL for `transition` (one row or none). */
export function movePayment(exec: Executor, id: string, from: PaymentState, to: PaymentState, changes: Partial<typeof payments.$inferInsert>): SQL {
  return exec
    .update(payments)
    .set({ ...changes, state: to })
    .where(and(eq(payments.id, id), eq(payments.state, from)))
    .returning({ id: payments.id })
    .getSQL();
}

export async function updatePayment(exec: Executor, id: string, changes: Partial<typeof payments.$inferInsert>): Promise<void> {
  await exec.update(payments).set(changes).where(eq(payments.id, id));
}

export async function insertRefund(exec: Executor, row: typeof refunds.$inferInsert): Promise<RefundRow> {
  const [created] = await exec.insert(refunds).values(row).returning();
  return created!;
}

export async function refundedTotal(exec: Executor, paymentId: string): Promise<number> {
  const [row] = await exec
    .select({ total: sql<number>`coalesce(sum(${refunds.amount}), 0)::int` })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), sql`${refunds.state} <> 'failed'`));
  return Number(row?.total ?? 0);
}

export async function findRefund(exec: Executor, id: string): Promise<RefundRow | undefined> {
  const [row] = await exec.select().from(refunds).where(eq(refunds.id, id));
  return row;
}

/** Takes a pending refund for one attempt (a lease): nobody else tries it until `until`. */
export async function leaseRefund(exec: Executor, id: string, now: Date, until: Date): Promise<RefundRow | undefined> {
  const [row] = await exec
    .update(refunds)
    .set({ nextAttemptAt: until, attempts: sql`${refunds.attempts} + 1` })
    .where(and(eq(refunds.id, id), eq(refunds.state, 'pending'), sql`${refunds.nextAttemptAt} <= ${now}`))
    .returning();
  return row;
}

export async function dueRefunds(exec: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await exec
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.state, 'pending'), sql`${refunds.nextAttemptAt} <= ${now}`))
    .orderBy(asc(refunds.nextAttemptAt))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function moveRefund(exec: Executor, id: string, from: RefundState, to: RefundState, changes: Partial<typeof refunds.$inferInsert>): Promise<boolean> {
  const moved = await exec
    .update(refunds)
    .set({ ...changes, state: to })
    .where(and(eq(refunds.id, id), eq(refunds.state, from)))
    .returning({ id: refunds.id });
  return moved.length === 1;
}

export async function updateRefund(exec: Executor, id: string, changes: Partial<typeof refunds.$inferInsert>): Promise<void> {
  await exec.update(refunds).set(changes).where(eq(refunds.id, id));
}

export async function refundsOfOrders(exec: Executor, orderIds: readonly string[]): Promise<RefundRow[]> {
  if (orderIds.length === 0) return [];
  return exec.select().from(refunds).where(inArray(refunds.orderId, [...orderIds])).orderBy(asc(refunds.id));
}

export async function logNotification(exec: Executor, row: typeof paymentNotifications.$inferInsert): Promise<void> {
  await exec.insert(paymentNotifications).values(row);
}
