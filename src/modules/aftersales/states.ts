import { defineMachine } from '../../platform/states.js';
import { aftersalesStates } from './kinds.js';

export { aftersalesKinds, aftersalesStates, openAftersalesStates, type AftersalesKind, type AftersalesState } from './kinds.js';

/**
 * One after-sales request on one order item (DESIGN §5):
 *
 *   requested ─approve→ refunding (仅退款) | awaiting_return (退货退款, 换货)
 *   requested ─reject→ rejected ─escalate→ escalated (平台介入); not escalated in 7 days ─lapse→ closed
 *   escalated ─rule_for_buyer→ refunding | awaiting_return;  ─rule_for_merchant→ closed
 *   awaiting_return ─ship_back→ awaiting_return (the buyer's return parcel is recorded)
 *   awaiting_return ─receive_return→ returned (the store confirms it arrived)
 *   returned ─refund→ refunding (退货退款) ─refund_succeed→ refunded
 *   returned ─reship→ reshipped (换货) ─confirm→ completed
 *   requested, rejected, awaiting_return ─cancel→ cancelled (by the buyer)
 *   requested ─approve (the store's 48 h ran out)→ as approve
 */
export const aftersalesMachine = defineMachine({
  objectType: 'aftersales',
  states: aftersalesStates,
  initial: 'requested',
  rows: [
    { from: 'requested', event: 'approve_refund', to: 'refunding' },
    { from: 'requested', event: 'approve_return', to: 'awaiting_return' },
    { from: 'requested', event: 'reject', to: 'rejected' },
    { from: 'rejected', event: 'escalate', to: 'escalated' },
    { from: 'rejected', event: 'lapse', to: 'closed' },
    { from: 'escalated', event: 'rule_refund', to: 'refunding' },
    { from: 'escalated', event: 'rule_return', to: 'awaiting_return' },
    { from: 'escalated', event: 'rule_for_merchant', to: 'closed' },
    { from: 'awaiting_return', event: 'ship_back', to: 'awaiting_return' },
    { from: 'awaiting_return', event: 'receive_return', to: 'returned' },
    { from: 'returned', event: 'refund', to: 'refunding' },
    { from: 'refunding', event: 'refund_succeed', to: 'refunded' },
    { from: 'returned', event: 'reship', to: 'reshipped' },
    { from: 'reshipped', event: 'confirm', to: 'completed' },
    { from: ['requested', 'rejected', 'awaiting_return'], event: 'cancel', to: 'cancelled' },
  ],
});
export type AftersalesEvent = (typeof aftersalesMachine.rows)[number]['event'];
