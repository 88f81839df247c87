import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { addressesRoutes } from './routes.js';
import { createAddressesService } from './service.js';

export type { AddressesService, AddressSnapshot } from './service.js';
export { isProvinceCode, provinceName, regionTree } from './regions.js';

/** 收货地址: each user's address book and the GB/T 2260 division data. */
export function createAddressesModule(deps: { db: Db; clock: Clock }) {
  const service = createAddressesService(deps);
  return { service, routes: addressesRoutes(service) };
}

export type AddressesModule = ReturnType<typeof createAddressesModule>;
