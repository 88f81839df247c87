import { defineMachine } from '../../platform/states.js';

export const merchantStates = ['applied', 'active', 'rejected', 'suspended'] as const;
export type MerchantState = (typeof merchantStates)[number];

/** applied → active | rejected; rejected → applied (the applicant fixes and resubmits); active ⇄ suspended. */
export const merchantMachine = defineMachine({
  objectType: 'merchant',
  states: merchantStates,
  initial: 'applied',
  rows: [
    { from: 'applied', event: 'approve', to: 'active' },
    { from: 'applied', event: 'reject', to: 'rejected' },
    { from: 'rejected', event: 'resubmit', to: 'applied' },
    { from: 'active', event: 'suspend', to: 'suspended' },
    { from: 'suspended', event: 'reactivate', to: 'active' },
  ],
});

export type MerchantEvent = (typeof merchantMachine.rows)[number]['event'];
