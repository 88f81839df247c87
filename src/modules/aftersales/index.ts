/**
 * 售后 (after-sales): requests about items of shipped orders — refund only, return and refund,
 * exchange — with the store's answer, 平台介入, the return and replacement parcels and the refund
 * through the payments module. See service.ts for the process and states.ts for the machine.
 */
import type { Job } from '../../platform/scheduler.js';
import type { MerchantsModule } from '../merchants/index.js';
import { aftersalesRoutes } from './routes.js';
import { type AftersalesDeps, createAftersalesService } from './service.js';
import { createViews } from './views.js';

export type { AftersalesService, OrderFacts, OrderItemFacts } from './service.js';
export { aftersalesMachine, aftersalesStates, aftersalesKinds } from './states.js';

export function createAftersalesModule(
  deps: AftersalesDeps & {
    access: MerchantsModule['access'];
    storeNames: (ids: readonly string[]) => Promise<Map<string, string>>;
    carrierNames: (code: string) => { nameZh: string; nameEn: string };
  },
) {
  const service = createAftersalesService(deps);
  const views = createViews({ service, storeNames: deps.storeNames, carrier: deps.carrierNames });
  const jobs: Job[] = [
    { name: 'aftersales.store-silence', everyMs: 60_000, sweep: (_db, now) => service.sweepOverdue(now) },
    { name: 'aftersales.refunds', everyMs: 5_000, sweep: () => service.sweepRefunds() },
  ];
  return { service, jobs, routes: aftersalesRoutes({ service, access: deps.access, view: views.one, views: views.many }) };
}

export type AftersalesModule = ReturnType<typeof createAftersalesModule>;
