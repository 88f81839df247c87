/**
 * The after-sales lists, import-free so that the web app can bundle them (the machine is in
 * states.ts, the API shapes in contract.ts).
 */
export const aftersalesKinds = ['refund_only', 'return_refund', 'exchange'] as const;
export type AftersalesKind = (typeof aftersalesKinds)[number];

export const aftersalesStates = [
  'requested',
  'rejected',
  'escalated',
  'awaiting_return',
  'returned',
  'refunding',
  'refunded',
  'reshipped',
  'completed',
  'closed',
  'cancelled',
] as const;
export type AftersalesState = (typeof aftersalesStates)[number];

/** States in which a request is still open: it holds the order's receipt clock and its item's units. */
export const openAftersalesStates: readonly AftersalesState[] = ['requested', 'rejected', 'escalated', 'awaiting_return', 'returned', 'refunding', 'reshipped'];

