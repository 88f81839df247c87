/**
 * The shopping flow's modules and the flows between them, wired explicitly: payments (with the
 * settlement flow bound late), orders, cart, checkout. app.ts registers `routes` and `jobs`.
 */
import type { FastifyInstance } from 'fastify';
import { listeningUrl } from '../platform/http.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import type { AddressesModule } from '../modules/addresses/index.js';
import { createCartModule } from '../modules/cart/index.js';
import { type CatalogModule, commitStockSql, releaseStock, reserveStockSql, restockStock, skuFactsSql, stockShortage } from '../modules/catalog/index.js';
import type { MerchantsModule } from '../modules/merchants/index.js';
import { createOrdersModule } from '../modules/orders/index.js';
import { createPaymentsModule, type Settle } from '../modules/payments/index.js';
import { createCheckoutFlow } from './checkout.js';
import { checkoutRoutes } from './routes.js';
import { createSettlement } from './settle-payment.js';
import { storeDirectory } from './store-directory.js';

export function createCommerce(deps: {
  db: Db;
  clock: Clock;
  config: Config;
  app: FastifyInstance;
  merchants: MerchantsModule;
  addresses: AddressesModule;
  catalog: Pick<CatalogModule, 'skuSnapshots'>;
}) {
  const { db, clock, config, app, merchants } = deps;
  const { skuSnapshots } = deps.catalog;
  const payments = createPaymentsModule({
    db,
    clock,
    settings: { sandboxSecret: config.sandboxPaySecret, notifyBaseUrl: () => config.paymentNotifyBaseUrl ?? config.publicUrl ?? listeningUrl(app) },
    // Bound late: the settlement flow needs orders, which need payments.
    settle: () => settle,
    log: app.log,
  });
  const stores = storeDirectory(merchants.service, clock);
  const orders = createOrdersModule({ db, clock, merchants, storeNames: stores.names, stock: { commitStockSql, releaseStock, restockStock }, payments: payments.service });
  const settle: Settle = createSettlement({ db, orders, payments: payments.service });
  const secureCookies = config.publicUrl?.startsWith('https:') ?? false;
  const cart = createCartModule({ db, clock, catalog: { skuSnapshots, skuFactsSql }, stores: stores.lookup, rules: orders.rules.rulesOf, secureCookies });
  const checkout = createCheckoutFlow({
    db,
    clock,
    cart: cart.service,
    addresses: deps.addresses.service,
    catalog: { skuSnapshots, reserveStockSql, stockShortage },
    activeStores: (ids) => merchants.service.activeMerchantIds(ids),
    storeNames: stores.names,
    orders,
    payments: payments.service,
    payTimeoutMs: config.payTimeoutMs,
    checkoutConcurrency: config.checkoutConcurrency,
    checkoutMaxWaitMs: config.checkoutMaxWaitMs,
    log: app.log,
  });
  return {
    payments,
    orders,
    cart,
    checkout,
    routes: [orders.routes, orders.merchantRoutes, cart.routes, payments.routes, checkoutRoutes({ flow: checkout, orders, cart: cart.service })],
    jobs: [...orders.jobs, ...payments.jobs, ...cart.jobs],
  };
}

export type Commerce = ReturnType<typeof createCommerce>;

