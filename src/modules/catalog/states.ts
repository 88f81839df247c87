import { defineMachine } from '../../platform/states.js';
import type { ProductStatus, RevisionState } from './schema.js';

export const productStatuses = ['draft', 'pending_review', 'on_sale', 'rejected', 'off_shelf'] as const satisfies readonly ProductStatus[];

export type ProductEvent = 'submit' | 'approve' | 'reject' | 'off_shelf' | 'on_shelf' | 'edit';

/**
 * The listing flow (商品上架) of one product. A material edit of an on-sale product does not move
 * it: it creates a revision (below) reviewed while the approved version stays on sale. Off the shelf,
 * a material edit (`edit`) returns it to draft: the merchant took it off, so putting it back on sale
 * waits for their submit. See docs/decisions/006.
 */
export const productMachine = defineMachine<ProductStatus, ProductEvent>({
  objectType: 'product',
  states: productStatuses,
  initial: 'draft',
  rows: [
    { from: ['draft', 'rejected'], event: 'submit', to: 'pending_review' },
    { from: 'pending_review', event: 'approve', to: 'on_sale' },
    { from: 'pending_review', event: 'reject', to: 'rejected' },
    { from: 'on_sale', event: 'off_shelf', to: 'off_shelf' },
    { from: 'off_shelf', event: 'on_shelf', to: 'on_sale' },
    { from: 'off_shelf', event: 'edit', to: 'draft' },
  ],
});

/** States in which a material edit is refused: the reviewer must see what was submitted. */
export const lockedForEdit: readonly ProductStatus[] = ['pending_review'];

export const revisionStates = ['pending', 'approved', 'rejected', 'withdrawn'] as const satisfies readonly RevisionState[];
export type RevisionEvent = 'approve' | 'reject' | 'withdraw';

/** A revision of a listed product: reviewed, or withdrawn by the merchant before the decision. */
export const revisionMachine = defineMachine<RevisionState, RevisionEvent>({
  objectType: 'product_revision',
  states: revisionStates,
  initial: 'pending',
  rows: [
    { from: 'pending', event: 'approve', to: 'approved' },
    { from: 'pending', event: 'reject', to: 'rejected' },
    { from: 'pending', event: 'withdraw', to: 'withdrawn' },
  ],
});

/** A price move larger than this share (of the approved price) is reviewed like a content change. */
export const PRICE_MOVE_REVIEW_SHARE = 0.3;
