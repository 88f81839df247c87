import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { IdentityService } from '../identity/index.js';
import { createMerchantAccess } from './access.js';
import { merchantsRoutes } from './routes.js';
import { createMerchantsService } from './service.js';

export type { AccessNeed, MerchantAccess, MerchantScope } from './access.js';
export type { MerchantsService } from './service.js';
export { isValidCreditCode, creditCodeCheckChar } from './credit-code.js';

/** Stores: applications, approval, staff, suspension and Open API keys. */
export function createMerchantsModule(deps: { db: Db; clock: Clock; identity: IdentityService }) {
  const service = createMerchantsService(deps);
  const control = createMerchantAccess({ db: deps.db, clock: deps.clock, service });
  deps.identity.addRoleProvider(async (userId) => ((await service.isStaff(userId)) ? ['merchant'] : []));
  return {
    service,
    /** Resolves the store a merchant route acts for; see access.ts. */
    access: control.access,
    routes: merchantsRoutes(service, control),
  };
}

export type MerchantsModule = ReturnType<typeof createMerchantsModule>;
