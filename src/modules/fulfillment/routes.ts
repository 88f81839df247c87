import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireUser } from '../../platform/auth.js';
import { AppError, notFound, unauthenticated } from '../../platform/errors.js';
import { errorBodySchema } from '../../platform/http.js';
import type { MerchantsModule } from '../merchants/index.js';
import { type OrderDetail, orderDetailSchema } from '../orders/index.js';
import { carriers } from './carriers.js';
import {
  bulkResultSchema,
  bulkShipBodySchema,
  carrierSchema,
  orderFulfillmentSchema,
  shipBodySchema,
  shipmentSchema,
  shippingSettingsSchema,
  storeFulfillmentStatsSchema,
  trackingSummarySchema,
} from './contract.js';
import { shipmentRowsFromCsv } from './csv.js';
import type { Deadlines } from './deadlines.js';
import { PUSH_ACCEPTED, PUSH_PATH } from './kuaidi100.js';
import type { Core, OrderRow } from './ports.js';
import * as repo from './repo.js';
import type { SandboxCarrier } from './sandbox-carrier.js';
import type { Shipping } from './shipping.js';
import type { OrderStreams } from './stream.js';
import { SANDBOX_POLL_PATH } from './subscriptions.js';
import type { Tracking } from './tracking.js';
import { shipmentView, type Views } from './views.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const idParams = z.strictObject({ id: z.string().max(64) });
const idsQuery = z.strictObject({
  ids: z
    .string()
    .max(50 * 40)
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(64)).max(50)),
});
const summaries = { 200: z.object({ items: z.array(trackingSummarySchema) }), ...errors };

export type RouteDeps = {
  core: Core;
  access: MerchantsModule['access'];
  orderDetail: (order: OrderRow, viewer: 'buyer' | 'merchant' | 'admin') => Promise<OrderDetail>;
  storeNames: (ids: readonly string[]) => Promise<Map<string, string>>;
  shipping: Shipping;
  tracking: Tracking;
  deadlines: Deadlines;
  views: Views;
  streams: OrderStreams;
  sandbox: SandboxCarrier;
};

const formBody = (app: FastifyInstance) =>
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

/** Buyer, merchant and admin routes of fulfillment, the Kuaidi100 push hook and the sandbox carrier. */
export function fulfillmentRoutes(deps: RouteDeps): FastifyPluginAsyncZod {
  const { core, access, shipping, tracking, deadlines, views, streams } = deps;
  const { db, orders } = core;

  async function buyersOrder(request: FastifyRequest, id: string) {
    const buyerId = requireUser(request).userId;
    const order = await orders.findOrder(db, id);
    if (!order || order.buyerId !== buyerId) throw notFound('Order');
    return order;
  }
  async function storesOrder(request: FastifyRequest, id: string, write = false) {
    const granted = await access(request, { scope: write ? 'orders:write' : 'orders:read', write });
    const order = await orders.findOrder(db, id);
    if (!order || order.merchantId !== granted.merchantId) throw notFound('Order');
    return { order, granted };
  }
  async function ordersOf(ids: string[], owner: (o: OrderRow) => boolean) {
    return (await orders.ordersByIds(db, ids)).filter(owner);
  }

  return async (app) => {
    app.get('/api/v1/carriers', { schema: { tags: ['fulfillment'], summary: 'Carriers by Kuaidi100 company code, with their tracking number formats', response: { 200: z.object({ carriers: z.array(carrierSchema) }) } } }, async () => ({
      carriers: carriers.map((c) => ({ code: c.code, nameZh: c.nameZh, nameEn: c.nameEn, pattern: c.pattern?.source ?? null, example: c.example })),
    }));

    // —— buyer ——
    app.get(
      '/api/v1/orders/tracking',
      { schema: { tags: ['orders'], summary: 'For my order list: parcels and the newest tracking line of each order (ids comma-separated, at most 50)', querystring: idsQuery, response: summaries } },
      async (request) => {
        const buyerId = requireUser(request).userId;
        return { items: await views.summaries(await ordersOf(request.query.ids, (o) => o.buyerId === buyerId)) };
      },
    );
    app.get(
      '/api/v1/orders/:id/fulfillment',
      { schema: { tags: ['orders'], summary: 'My order’s parcels with their full tracking timelines, the shipping deadline and the receipt deadline', params: idParams, response: { 200: z.object({ fulfillment: orderFulfillmentSchema }), ...errors } } },
      async (request) => ({ fulfillment: await views.detail(await buyersOrder(request, request.params.id)) }),
    );
    app.post(
      '/api/v1/orders/:id/confirm-receipt',
      { schema: { tags: ['orders'], summary: '确认收货: the buyer confirms receipt of a shipped or delivered order; it is completed', params: idParams, response: { 200: z.object({ order: orderDetailSchema }), ...errors } } },
      async (request) => {
        const order = await buyersOrder(request, request.params.id);
        await deadlines.confirmReceipt(order.buyerId, order.id);
        return { order: await deps.orderDetail((await orders.findOrder(db, order.id))!, 'buyer') };
      },
    );
    app.get(
      '/api/v1/orders/:id/events',
      {
        schema: {
          tags: ['orders'],
          summary:
            'Server-Sent Events of the order: every state change and tracking event as `id: <seq>` + `data: {seq, type, objectType, objectId, at, actor, data}`. Send Last-Event-ID (or ?lastEventId=) to resume without gaps or repeats. For the order’s buyer and store (session or API key with orders:read); others get 404',
          params: idParams,
          querystring: z.strictObject({ lastEventId: z.coerce.number().int().min(0).optional() }),
          headers: z.object({ 'last-event-id': z.string().max(20).optional() }),
          response: { 200: z.string().meta({ description: 'text/event-stream' }), ...errors },
        },
      },
      async (request, reply) => {
        const order = await orders.findOrder(db, request.params.id);
        if (!(await mayWatch(request, order))) throw notFound('Order');
        const header = Number(request.headers['last-event-id']);
        const lastEventId = Number.isSafeInteger(header) && header >= 0 ? header : (request.query.lastEventId ?? 0);
        await streams.stream(request, reply, order!.id, lastEventId);
      },
    );

    /** The buyer, or the store through a staff session or an API key; anyone else learns nothing. */
    async function mayWatch(request: FastifyRequest, order: OrderRow | undefined): Promise<boolean> {
      const bearer = request.headers.authorization?.startsWith('Bearer ') ?? false;
      if (!request.principal && !bearer) throw unauthenticated();
      if (!order) return false;
      if (request.principal?.userId === order.buyerId && !bearer) return true;
      if (!bearer && !request.principal?.roles.includes('merchant')) return false;
      try {
        return (await access(request, { scope: 'orders:read', write: false })).merchantId === order.merchantId;
      } catch (err) {
        if (err instanceof AppError && err.status === 401) throw err;
        return false;
      }
    }

    // —— merchant ——
    app.get(
      '/api/v1/merchant/shipping-settings',
      { schema: { tags: ['merchant'], summary: 'The store’s shipping promise: hours from 接单 to shipping (default 48)', response: { 200: z.object({ settings: shippingSettingsSchema }), ...errors } } },
      async (request) => ({ settings: await shipping.settings((await access(request, { scope: 'orders:read', write: false })).merchantId) }),
    );
    app.put(
      '/api/v1/merchant/shipping-settings',
      { schema: { tags: ['merchant'], summary: 'Set the store’s shipping deadline; it applies to orders accepted from now on (scope orders:write)', body: shippingSettingsSchema, response: { 200: z.object({ settings: shippingSettingsSchema }), ...errors } } },
      async (request) => {
        const granted = await access(request, { scope: 'orders:write', write: true });
        return { settings: await shipping.putSettings(granted.merchantId, granted.actor, request.body) };
      },
    );
    app.get(
      '/api/v1/merchant/orders/tracking',
      { schema: { tags: ['merchant'], summary: 'For the store’s order list: shipping deadline, lateness, parcels and the newest tracking line per order (scope orders:read)', querystring: idsQuery, response: summaries } },
      async (request) => {
        const { merchantId } = await access(request, { scope: 'orders:read', write: false });
        return { items: await views.summaries(await ordersOf(request.query.ids, (o) => o.merchantId === merchantId)) };
      },
    );
    app.get(
      '/api/v1/merchant/orders/:id/fulfillment',
      { schema: { tags: ['merchant'], summary: 'An order’s parcels, timelines, what is left to ship and the deadlines (scope orders:read)', params: idParams, response: { 200: z.object({ fulfillment: orderFulfillmentSchema }), ...errors } } },
      async (request) => ({ fulfillment: await views.detail((await storesOrder(request, request.params.id)).order) }),
    );
    app.post(
      '/api/v1/merchant/orders/:id/shipments',
      {
        schema: {
          tags: ['merchant'],
          summary:
            '发货: ship an accepted order in one or more parcels (carrier by Kuaidi100 code, tracking number, lines and quantities; a parcel without items takes everything left). The order becomes shipped when nothing is left (scope orders:write). 409 order_not_shippable / cancellation_pending / tracking_number_in_use, 422 invalid_tracking_number / quantity_exceeds_unshipped / unknown_order_item / nothing_to_ship',
          params: idParams,
          body: shipBodySchema,
          response: { 201: z.object({ shipments: z.array(shipmentSchema), fulfillment: orderFulfillmentSchema, orderState: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const { order, granted } = await storesOrder(request, request.params.id, true);
        const done = await shipping.ship(granted.merchantId, order.id, granted.actor, request.body.parcels);
        const fulfillment = await views.detail((await orders.findOrder(db, order.id))!);
        return reply.status(201).send({ shipments: fulfillment.shipments.filter((s) => done.shipments.some((d) => d.id === s.id)), fulfillment, orderState: done.orderState });
      },
    );
    app.register(async (csvScope) => {
      csvScope.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 }, (_request, body, done) => done(null, { items: shipmentRowsFromCsv(String(body)) }));
      csvScope.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/merchant/shipments/bulk',
        {
          schema: {
            tags: ['merchant'],
            summary:
              '批量发货: ship many orders, each whole in one parcel. JSON `{items:[{orderId, carrier, trackingNumber}]}` or a `text/csv` body with the columns order, carrier (code or name), tracking number (header row optional). Each row succeeds or fails alone (scope orders:write)',
            body: bulkShipBodySchema,
            response: { 200: z.object({ results: z.array(bulkResultSchema), shipped: z.number().int(), failed: z.number().int() }), ...errors },
          },
        },
        async (request) => {
          const granted = await access(request, { scope: 'orders:write', write: true });
          const results = await shipping.shipMany(granted.merchantId, granted.actor, request.body.items);
          return { results, shipped: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
        },
      );
    });
    app.get(
      '/api/v1/merchant/fulfillment/stats',
      { schema: { tags: ['merchant'], summary: 'The store’s late orders (now and ever) and parcels in exception (scope orders:read)', response: { 200: z.object({ stats: storeFulfillmentStatsSchema }), ...errors } } },
      async (request) => {
        const { merchantId } = await access(request, { scope: 'orders:read', write: false });
        const [row] = await repo.storeCounts(db, merchantId);
        const names = await deps.storeNames([merchantId]);
        return { stats: { merchantId, storeName: names.get(merchantId) ?? '', lateNow: row?.lateNow ?? 0, lateEver: row?.lateEver ?? 0, exceptions: row?.exceptions ?? 0 } };
      },
    );

    // —— platform ——
    app.get(
      '/api/v1/admin/fulfillment/stores',
      { schema: { tags: ['admin'], summary: 'Per store: orders late now, ever late, parcels in exception (stores with any)', response: { 200: z.object({ items: z.array(storeFulfillmentStatsSchema) }), ...errors } } },
      async (request) => {
        requireRole(request, 'admin');
        const rows = await repo.storeCounts(db);
        const names = await deps.storeNames(rows.map((r) => r.merchantId));
        return { items: rows.map((r) => ({ ...r, storeName: names.get(r.merchantId) ?? '' })).sort((a, b) => b.lateNow - a.lateNow || b.exceptions - a.exceptions || b.lateEver - a.lateEver) };
      },
    );
    app.get(
      '/api/v1/admin/fulfillment/exceptions',
      { schema: { tags: ['admin'], summary: 'Parcels in exception (疑难, 退签, 拒签, 退回, tracking stopped), newest first', querystring: z.strictObject({ merchantId: z.string().max(64).optional() }), response: { 200: z.object({ items: z.array(shipmentSchema.extend({ merchantId: z.string() })) }), ...errors } } },
      async (request) => {
        requireRole(request, 'admin');
        const rows = await repo.exceptionParcels(db, request.query.merchantId, 100);
        return { items: rows.map((s) => ({ ...shipmentView(s, [], []), merchantId: s.merchantId })) };
      },
    );
    app.get(
      '/api/v1/admin/orders/:id/fulfillment',
      { schema: { tags: ['admin'], summary: 'Any order’s parcels and deadlines', params: idParams, response: { 200: z.object({ fulfillment: orderFulfillmentSchema }), ...errors } } },
      async (request) => {
        requireRole(request, 'admin');
        const order = await orders.findOrder(db, request.params.id);
        if (!order) throw notFound('Order');
        return { fulfillment: await views.detail(order) };
      },
    );

    // —— Kuaidi100 push and the sandbox carrier (form-encoded, as the protocol is) ——
    app.register(async (hooks) => {
      formBody(hooks);
      hooks.withTypeProvider<ZodTypeProvider>().post(
        PUSH_PATH,
        {
          schema: {
            tags: ['hooks'],
            summary: 'Kuaidi100 tracking push (form fields param and sign = upper-case MD5(param + salt)); answered per protocol',
            body: z.object({ param: z.string().optional(), sign: z.string().optional() }).loose(),
            response: { 200: z.object({ result: z.boolean(), returnCode: z.string(), message: z.string() }), ...errors },
          },
        },
        async (request) => {
          const done = await tracking.receive(request.body.param, request.body.sign);
          return done.outcome === 'stored' ? PUSH_ACCEPTED : { ...PUSH_ACCEPTED, message: '成功（未知运单，已忽略）' };
        },
      );
      hooks.withTypeProvider<ZodTypeProvider>().post(
        SANDBOX_POLL_PATH,
        {
          schema: {
            tags: ['sandbox'],
            summary: 'The sandbox carrier’s Kuaidi100 poll endpoint (form fields schema=json and param): subscribes a parcel; sandbox parcels then push their journey',
            body: z.object({ schema: z.string().optional(), param: z.string().optional() }).loose(),
            response: { 200: z.object({ result: z.boolean(), returnCode: z.string(), message: z.string() }) },
          },
        },
        async (request) => deps.sandbox.poll(request.body),
      );
    });
  };
}
