import { defineMachine } from '../../platform/states.js';
import type { ProductStatus } from './schema.js';

export const productStatuses = ['draft', 'pending_review', 'on_sale', 'rejected', 'off_shelf'] as const satisfies readonly ProductStatus[];

export type ProductEvent = 'submit' | 'approve' | 'reject' | 'off_shelf' | 'on_shelf' | 'revise' | 'edit';

/**
 * The listing flow (商品上架) of one product. `revise` and `edit` are material edits of a listed
 * product: on sale it goes straight back to review, off the shelf it returns to draft (the merchant
 * took it off, so putting it back on sale waits for their submit). See docs/decisions/006.
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
    { from: 'on_sale', event: 'revise', to: 'pending_review' },
    { from: 'off_shelf', event: 'edit', to: 'draft' },
  ],
});

/** States in which a material edit is refused: the reviewer must see what was submitted. */
export const lockedForEdit: readonly ProductStatus[] = ['pending_review'];
