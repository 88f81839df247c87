import { defineMachine } from '../../platform/states.js';

export const orderStates = ['pending_payment', 'paid', 'to_ship', 'shipped', 'delivered', 'completed', 'cancelled'] as const;
export type OrderState = (typeof orderStates)[number];

/**
 * One store's order (DESIGN §5):
 *
 *   pending_payment (待付款) ─pay→ paid (待接单) ─accept→ to_ship (待发货) ─ship→ shipped (待收货)
 *     ─deliver→ delivered (已签收) ─confirm_receipt | auto_confirm→ completed (已完成)
 *   pending_payment ─cancel (buyer) | close_unpaid (timeout)→ cancelled            (stock released)
 *   paid ─refuse (store) | miss_accept_deadline (timeout)→ cancelled               (refund, restock)
 *   paid | to_ship ─approve_cancellation (store, on the buyer's request)→ cancelled (refund, restock)
 *
 * An auto-accept store's order moves paid → to_ship at once, by the system (both steps are logged).
 * ship / deliver / confirm belong to fulfillment and are driven from there.
 */
export const orderMachine = defineMachine({
  objectType: 'order',
  states: orderStates,
  initial: 'pending_payment',
  rows: [
    { from: 'pending_payment', event: 'pay', to: 'paid' },
    { from: 'pending_payment', event: 'cancel', to: 'cancelled' },
    { from: 'pending_payment', event: 'close_unpaid', to: 'cancelled' },
    { from: 'paid', event: 'accept', to: 'to_ship' },
    { from: 'paid', event: 'refuse', to: 'cancelled' },
    { from: 'paid', event: 'miss_accept_deadline', to: 'cancelled' },
    { from: ['paid', 'to_ship'], event: 'approve_cancellation', to: 'cancelled' },
    { from: 'to_ship', event: 'ship', to: 'shipped' },
    { from: 'shipped', event: 'deliver', to: 'delivered' },
    { from: ['shipped', 'delivered'], event: 'confirm_receipt', to: 'completed' },
    { from: ['shipped', 'delivered'], event: 'auto_confirm', to: 'completed' },
  ],
});

export type OrderEvent = (typeof orderMachine.rows)[number]['event'];

/** The buyer's tabs (我的订单) and the states each shows. */
export const buyerTabs = {
  pending_payment: ['pending_payment'], // 待付款
  to_accept: ['paid'], // 待接单
  to_ship: ['to_ship'], // 待发货
  to_receive: ['shipped', 'delivered'], // 待收货
  completed: ['completed'], // 已完成
  cancelled: ['cancelled'], // 已取消
} as const satisfies Record<string, readonly OrderState[]>;
export type BuyerTab = keyof typeof buyerTabs;
