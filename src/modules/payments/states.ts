import { defineMachine } from '../../platform/states.js';

export const paymentStates = ['pending', 'succeeded', 'failed', 'closed'] as const;
export type PaymentState = (typeof paymentStates)[number];

/**
 * One payment of an order group (合并支付):
 *   pending ─succeed→ succeeded   (a verified provider notification, amount and currency checked)
 *   pending ─fail→ failed          (the provider says the shopper declined or it failed)
 *   pending ─close→ closed         (orders cancelled or unpaid timeout; closed at the provider too)
 * A success reported for a failed or closed payment is not a transition: the money is refunded.
 */
export const paymentMachine = defineMachine({
  objectType: 'payment',
  states: paymentStates,
  initial: 'pending',
  rows: [
    { from: 'pending', event: 'succeed', to: 'succeeded' },
    { from: 'pending', event: 'fail', to: 'failed' },
    { from: 'pending', event: 'close', to: 'closed' },
  ],
});
export type PaymentEvent = (typeof paymentMachine.rows)[number]['event'];

export const refundStates = ['pending', 'succeeded', 'failed'] as const;
export type RefundState = (typeof refundStates)[number];

/** pending ─succeed→ succeeded | pending ─fail→ failed (after the retries run out; support takes over). */
export const refundMachine = defineMachine({
  objectType: 'refund',
  states: refundStates,
  initial: 'pending',
  rows: [
    { from: 'pending', event: 'succeed', to: 'succeeded' },
    { from: 'pending', event: 'fail', to: 'failed' },
  ],
});
export type RefundEvent = (typeof refundMachine.rows)[number]['event'];
