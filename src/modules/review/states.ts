import { defineMachine } from '../../platform/states.js';
import type { QualificationState, ReviewTaskState } from './schema.js';

export const reviewTaskStates = ['store_review', 'queued', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly ReviewTaskState[];
export type ReviewTaskEvent = 'store_approve' | 'store_reject' | 'approve' | 'reject' | 'withdraw';

/**
 * A review task: born `store_review` (a staff submission in a store whose owner approves first) or
 * `queued`; the rules or a person decide a queued task. Claims are leases on a queued task, not
 * states. A task whose product changes underneath it (withdrawn revision, product decided by
 * other means) is closed by the same decision.
 */
export const reviewTaskMachine = defineMachine<ReviewTaskState, ReviewTaskEvent>({
  objectType: 'review_task',
  states: reviewTaskStates,
  initial: 'queued',
  rows: [
    { from: 'store_review', event: 'store_approve', to: 'queued' },
    { from: 'store_review', event: 'store_reject', to: 'rejected' },
    { from: 'queued', event: 'approve', to: 'approved' },
    { from: 'queued', event: 'reject', to: 'rejected' },
    { from: ['store_review', 'queued'], event: 'withdraw', to: 'withdrawn' },
  ],
});

export const openTaskStates: readonly ReviewTaskState[] = ['store_review', 'queued'];

export const qualificationStates = ['pending', 'approved', 'rejected', 'revoked'] as const satisfies readonly QualificationState[];
export type QualificationEvent = 'approve' | 'reject' | 'revoke';

/** A store's qualification document: an admin approves or rejects it, and may revoke an approved one. Expiry is a date, not a state. */
export const qualificationMachine = defineMachine<QualificationState, QualificationEvent>({
  objectType: 'store_qualification',
  states: qualificationStates,
  initial: 'pending',
  rows: [
    { from: 'pending', event: 'approve', to: 'approved' },
    { from: 'pending', event: 'reject', to: 'rejected' },
    { from: 'approved', event: 'revoke', to: 'revoked' },
  ],
});
