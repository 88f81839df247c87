/**
 * 订单支付: what a verified provider notification does to a group's payment and orders.
 *
 *   failed,    payment pending           → payment failed; the orders stay unpaid (the buyer may pay again)
 *   succeeded, payment pending           → payment succeeded; orders paid, stock committed, units sold
 *   succeeded, same transaction id again → nothing (a replay)
 *   succeeded, payment closed or failed  → the money is refunded through the provider, per order
 *   failed,    payment no longer pending → nothing (out of order)
 *
 * The group row is locked first, as everywhere that changes a group's payment or unpaid orders.
 *
 * The common case, a success for a pending payment whose orders all await it, is read without a
 * lock and written in one statement that locks the group first and refuses itself when anything
 * moved on since the read (three round trips instead of a transaction's five). Everything else,
 * and a refused attempt, takes the locked path, which reads again under the lock and decides.
 */
import type { Db, Executor } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import type { OrdersModule } from '../modules/orders/index.js';
import { newEffects, type PaymentEffects, type PaymentRow, type PaymentsService, type ProviderNotification, type SettleOutcome } from '../modules/payments/index.js';

export function createSettlement(deps: { db: Db; orders: Pick<OrdersModule, 'groups' | 'lifecycle'>; payments: PaymentsService }) {
  const { db, orders, payments } = deps;
  /** The payment's move to succeeded, with its orders', in one statement. */
  const markPaid = (exec: Executor, payment: PaymentRow, notification: ProviderNotification, effects: PaymentEffects, read: Parameters<OrdersModule['lifecycle']['markPaid']>[4]) =>
    orders.lifecycle.markPaid(exec, { ...payment, state: 'succeeded', providerTxnId: notification.transactionId }, effects, payments.succeeding(payment, notification), read);

  /** 'paid' when the common case applied; undefined leaves the decision to the locked path. */
  async function payWithoutLock(notification: ProviderNotification, effects: PaymentEffects): Promise<'paid' | undefined> {
    if (notification.status !== 'succeeded') return undefined;
    const payment = await payments.find(notification.paymentId);
    if (payment?.state !== 'pending') return undefined;
    payments.assertAmount(payment, notification);
    const read = await orders.groups.withOrders(payment.groupId);
    const awaiting = new Set(read?.orders.filter((o) => o.state === 'pending_payment').map((o) => o.id));
    if (!read || !payment.orderIds.every((id) => awaiting.has(id))) return undefined;
    try {
      await markPaid(db, payment, notification, effects, read);
      return 'paid';
    } catch (err) {
      if (err instanceof AppError && err.code === 'state_changed') return undefined;
      throw err;
    }
  }

  return async (notification: ProviderNotification): Promise<SettleOutcome> => {
    const effects = newEffects();
    const outcome = (await payWithoutLock(notification, effects)) ?? await db.transaction(async (tx): Promise<SettleOutcome> => {
      const locked = await orders.groups.lockWithOrders(tx, payments.groupIdOf(notification.paymentId));
      if (!locked) throw notFound('Payment');
      const payment = (await payments.lock(tx, notification.paymentId))!;
      if (notification.status === 'failed') {
        if (payment.state !== 'pending') return 'ignored';
        await payments.fail(tx, payment, notification);
        return 'failed';
      }
      payments.assertAmount(payment, notification);
      if (payment.providerTxnId === notification.transactionId) return 'duplicate';
      if (payment.state === 'pending') {
        await markPaid(tx, payment, notification, effects, locked);
        return 'paid';
      }
      // A second, different transaction for a paid payment cannot come from an honest provider.
      if (payment.state === 'succeeded') return 'ignored';
      await payments.refundLateSuccess(tx, payment, notification, effects);
      return 'refunded';
    });
    await payments.flush(effects);
    return outcome;
  };
}
