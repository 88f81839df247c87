/**
 * Fulfillment: shipping (parcels with carriers and tracking numbers, deadlines per store), tracking
 * (Kuaidi100 subscriptions and pushes, the sandbox carrier), receipt (confirm, auto-confirm) and the
 * live stream of an order. Drives the orders module's ship / deliver / confirm moves through its
 * fulfillment port.
 */
import type { FastifyInstance } from 'fastify';
import { listeningUrl } from '../../platform/http.js';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import type { Realtime } from '../../platform/realtime.js';
import type { Job } from '../../platform/scheduler.js';
import type { MerchantsModule } from '../merchants/index.js';
import { fulfillmentPort, type OrderDetail } from '../orders/index.js';
import { createDeadlines } from './deadlines.js';
import type { Core, OrderRow } from './ports.js';
import { fulfillmentRoutes } from './routes.js';
import { createSandboxCarrier } from './sandbox-carrier.js';
import { createShipping } from './shipping.js';
import { createOrderStreams } from './stream.js';
import { createSubscriptions } from './subscriptions.js';
import { createTracking } from './tracking.js';
import { createViews } from './views.js';

export type { FulfillmentSettings } from '../../platform/config.js';
export { carriers, carrierCodes, carrierOf, checkParcel, type CarrierCode } from './carriers.js';
export { shipmentStates, type ShipmentState } from './states.js';
export { pushSign, saltFor, formatChinaTime, PUSH_PATH } from './kuaidi100.js';

export type FulfillmentDeps = {
  db: Db;
  clock: Clock;
  config: Config;
  app: FastifyInstance;
  merchants: Pick<MerchantsModule, 'access'>;
  /** The orders module's views, for answers that show the whole order. */
  orderDetail: (order: OrderRow, viewer: 'buyer' | 'merchant' | 'admin') => Promise<OrderDetail>;
  storeNames: (ids: readonly string[]) => Promise<Map<string, string>>;
  realtime: () => Realtime;
};

export function createFulfillmentModule(deps: FulfillmentDeps) {
  const { db, clock, app } = deps;
  const settings = deps.config.fulfillment;
  const core: Core = { db, clock, settings, orders: fulfillmentPort, baseUrl: () => deps.config.publicUrl ?? listeningUrl(app), log: app.log };
  const subscriptions = createSubscriptions(core);
  const shipping = createShipping(core, {
    // The first subscription attempt right after the commit; retries are the scheduler's.
    afterShip: (ids) => setImmediate(() => void subscriptions.subscribeDue(clock.now(), ids).catch((err: unknown) => app.log.warn({ err }, 'kuaidi100 subscription failed'))),
  });
  const tracking = createTracking(core);
  const deadlines = createDeadlines(core);
  const views = createViews({ db, clock, orders: fulfillmentPort });
  const streams = createOrderStreams({ db, realtime: deps.realtime, heartbeatMs: settings.heartbeatMs, log: app.log });
  const sandbox = createSandboxCarrier({ db, clock, key: settings.key, spanMs: settings.sandboxSpanMs, log: app.log });

  // Open streams would keep the server from closing; pending sandbox pushes must not outlive it.
  app.addHook('preClose', async () => {
    sandbox.close();
    streams.closeAll();
  });

  const jobs: Job[] = [
    { name: 'fulfillment.order-events', everyMs: 5_000, sweep: (_db, now) => deadlines.syncFromFlowLog(now) },
    { name: 'fulfillment.ship-deadlines', everyMs: 60_000, sweep: (_db, now) => deadlines.sweepShipDeadlines(now) },
    { name: 'fulfillment.auto-confirm', everyMs: 60_000, sweep: (_db, now) => deadlines.sweepAutoConfirm(now) },
    { name: 'fulfillment.subscribe', everyMs: 5_000, sweep: (_db, now) => subscriptions.subscribeDue(now) },
    { name: 'fulfillment.sandbox-carrier', everyMs: 1_000, sweep: (_db, now) => sandbox.pushDue(now) },
  ];

  return {
    settings,
    shipping,
    tracking,
    deadlines,
    views,
    streams,
    sandbox,
    /** The after-sales seam: open/close a request → pause/resume the receipt clock (order row locked first). */
    receiptClock: { pause: deadlines.pauseReceiptClock, resume: deadlines.resumeReceiptClock },
    routes: fulfillmentRoutes({ core, access: deps.merchants.access, orderDetail: deps.orderDetail, storeNames: deps.storeNames, shipping, tracking, deadlines, views, streams, sandbox }),
    jobs,
  };
}

export type FulfillmentModule = ReturnType<typeof createFulfillmentModule>;

