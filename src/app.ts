import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import helmet from 'helmet';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCommerce } from './flows/index.js';
import { createAddressesModule } from './modules/addresses/index.js';
import { createAftersalesModule } from './modules/aftersales/index.js';
import { createAnalyticsModule } from './modules/analytics/index.js';
import { createCatalogModule, restockStock } from './modules/catalog/index.js';
import { s3Storage } from './modules/catalog/s3-storage.js';
import { carrierOf, checkParcel, createFulfillmentModule } from './modules/fulfillment/index.js';
import { createIdentityModule } from './modules/identity/index.js';
import { createMerchantsModule } from './modules/merchants/index.js';
import { itemsOfOrder, lockOrder, takeBackSold } from './modules/orders/index.js';
import { createReviewModule } from './modules/review/index.js';
import { createSearchModule } from './modules/search/index.js';
import { assertSameOrigin, guardAdminArea } from './platform/auth.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import type { Database } from './platform/db.js';
import { type PageHeadHook, registerErrorHandling, registerJsonParser, registerMetrics } from './platform/http.js';
import { createRealtime } from './platform/realtime.js';
import { createScheduler } from './platform/scheduler.js';

export type AppOptions = {
  config: Config;
  database: Database;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
};

/** Builds the whole platform: kernel plugins first, then every module's routes. */
export async function buildApp(options: AppOptions) {
  const { config, database } = options;
  const clock = options.clock ?? systemClock;
  const db = database.db;

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // Product, category and store pages get their title, meta and JSON-LD in the HTML (search module, bound below).
  const pages: { head?: PageHeadHook } = {};
  registerErrorHandling(app, { spaIndex: webIndexPath(config.webDist), pageHead: async (page) => pages.head?.(page) });
  registerJsonParser(app);
  await app.register(cookie);
  // Security headers, built once: the Fastify plugin rebuilt helmet (and re-parsed the CSP) per request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd injects its CSS-in-JS as <style> elements.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', ...(config.s3 ? [new URL(config.s3.publicUrl ?? config.s3.endpoint).origin] : [])],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  if (config.rateLimitPerMinute > 0) {
    // Per process, in memory: a coarse flood guard. Login throttling, which must hold across
    // processes, lives in the database (identity module).
    await app.register(rateLimit, {
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      // Provider callbacks come from a few addresses in bursts; they are verified by signature instead.
      allowList: (request) => !request.url.startsWith('/api/') || request.url.startsWith('/api/v1/hooks/'),
    });
  }
  registerMetrics(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Flowmart API',
        version: '1',
        description:
          'Flowmart marketplace API. Browser clients authenticate with the `fm_session` cookie; errors are `{ "error": { "code", "message", "details", "requestId" } }`.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'fm_session' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (request) => assertSameOrigin(request));
  const identity = createIdentityModule({ db, clock, secureCookies: config.publicUrl?.startsWith('https:') ?? false });
  identity.registerAuthentication(app);
  const stopFollowingIdentity = await identity.followChanges(database);
  app.addHook('onRequest', async (request) => guardAdminArea(request));

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ready') }), 503: z.object({ status: z.literal('unavailable') }) } } },
    async (_request, reply) => {
      try {
        await database.ping();
        return { status: 'ready' as const };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const });
      }
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const merchants = createMerchantsModule({ db, clock, identity: identity.service });

  await app.register(identity.routes);
  await app.register(merchants.routes);
  const addresses = createAddressesModule({ db, clock });
  await app.register(addresses.routes);
  const catalog = createCatalogModule({
    db,
    clock,
    config,
    merchantAccess: merchants.access,
    isMerchantActive: (id) => merchants.service.isActive(id),
    storage: config.s3 ? s3Storage(config.s3) : undefined,
  });
  for (const routes of catalog.routes) await app.register(routes);
  const review = createReviewModule({ db, clock, catalog, merchants });
  for (const routes of review.routes) await app.register(routes);
  const { orders, cart, payments, checkout, ...commerce } = createCommerce({ db, clock, config, app, merchants, addresses, catalog });
  for (const routes of commerce.routes) await app.register(routes);
  const fulfillment = createFulfillmentModule({ db, clock, config, app, merchants, orderDetail: (order, viewer) => orders.queries.detail(order, viewer), storeNames: orders.storeNames, realtime: () => realtime });
  await app.register(fulfillment.routes);
  const aftersales = createAftersalesModule({
    db,
    clock,
    orders: { lockOrder, itemsOfOrder, takeBackSold },
    restock: restockStock,
    payments: payments.service,
    receiptClock: fulfillment.receiptClock,
    checkParcel,
    respondHours: 48,
    access: merchants.access,
    storeNames: orders.storeNames,
    carrierNames: (code) => carrierOf(code) ?? { nameZh: code, nameEn: code },
  });
  await app.register(aftersales.routes);
  await app.register(createAnalyticsModule({ db, clock }).routes);
  const search = await createSearchModule({ database, clock, catalog, merchants: merchants.service, unitsSold: orders.unitsSold, log: app.log });
  await app.register(search.routes);
  // A suspended store's products leave the storefront at once, not when the index catches up.
  merchants.service.onStateChange(() => search.service.invalidate());
  pages.head = search.pageHead;

  if (webIndexPath(config.webDist)) {
    // `/` is a page, not the folder: let it fall through to the web app's index (not-found handler).
    await app.register(fastifyStatic, { root: config.webDist, prefix: '/', wildcard: true, index: false, allowedPath: (pathname) => pathname !== '/' });
  }

  const scheduler = createScheduler({ db, clock, log: app.log, jobs: [...identity.jobs, ...commerce.jobs, ...search.jobs, ...fulfillment.jobs, ...aftersales.jobs] });
  const realtime = await createRealtime(database);
  app.addHook('onClose', async () => {
    await scheduler.stop();
    await realtime.close();
    await stopFollowingIdentity();
  });

  return { app, clock, scheduler, realtime, identity, merchants, addresses, catalog, review, orders, cart, payments, checkout, search, fulfillment, aftersales };
}

export type Platform = Awaited<ReturnType<typeof buildApp>>;

function webIndexPath(webDist: string): string | undefined {
  const index = path.join(webDist, 'index.html');
  return fs.existsSync(index) ? index : undefined;
}
