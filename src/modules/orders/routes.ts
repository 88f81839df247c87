import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireUser } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import { orderDetailSchema, orderSummarySchema } from './contract.js';
import type { OrderLifecycle } from './lifecycle.js';
import type { OrderQueries } from './queries.js';
import { buyerTabs, orderStates } from './states.js';

const tabs = Object.keys(buyerTabs) as [keyof typeof buyerTabs, ...(keyof typeof buyerTabs)[]];
const idParams = z.strictObject({ id: z.string().max(64) });
const page = { cursor: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(50).default(10) };
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const one = { 200: z.object({ order: orderDetailSchema }), ...errors };
const reasonBody = (example: string) => z.strictObject({ reason: z.string().trim().min(1).max(200) }).meta({ example: { reason: example } });

/** The buyer's orders (我的订单) and the platform's view of all orders. */
export function buyerOrderRoutes(deps: { lifecycle: OrderLifecycle; queries: OrderQueries }): FastifyPluginAsyncZod {
  const { lifecycle, queries } = deps;
  return async (app) => {
    app.get(
      '/api/v1/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'My orders, newest first, by tab (待付款 pending_payment, 待接单 to_accept, 待发货 to_ship, 待收货 to_receive, 已完成 completed, 已取消 cancelled), with a count per tab',
          querystring: z.strictObject({ tab: z.enum(tabs).optional(), ...page }),
          response: { 200: z.object({ items: z.array(orderSummarySchema), nextCursor: z.string().nullable(), counts: z.record(z.enum(tabs), z.number().int()) }), ...errors },
        },
      },
      async (request) => queries.forBuyer(requireUser(request).userId, request.query),
    );
    app.get(
      '/api/v1/orders/:id',
      { schema: { tags: ['orders'], summary: 'One of my orders with its timeline (every state change)', params: idParams, response: one } },
      async (request) => {
        const buyerId = requireUser(request).userId;
        return { order: await queries.detail(await lifecycle.ownOrder(request.params.id, { buyerId }), 'buyer') };
      },
    );
    app.post(
      '/api/v1/orders/:id/cancel',
      {
        schema: {
          tags: ['orders'],
          summary: 'Cancel an unpaid order (取消订单); its stock is released. A paid order is cancelled by request',
          params: idParams,
          body: z.strictObject({ reason: z.string().trim().max(200).default('buyer_cancelled') }).nullish(),
          response: one,
        },
      },
      async (request) => {
        const buyerId = requireUser(request).userId;
        const order = await lifecycle.cancelByBuyer(buyerId, request.params.id, request.body?.reason ?? 'buyer_cancelled');
        return { order: await queries.detail(order, 'buyer') };
      },
    );
    app.post(
      '/api/v1/orders/:id/cancellation-request',
      {
        schema: { tags: ['orders'], summary: 'Ask the store to cancel a paid order before it ships (refund on approval)', params: idParams, body: reasonBody('拍错了，不想要了'), response: one },
      },
      async (request) => {
        const buyerId = requireUser(request).userId;
        const order = await lifecycle.requestCancellation(buyerId, request.params.id, request.body.reason);
        return { order: await queries.detail(order, 'buyer') };
      },
    );

    app.get(
      '/api/v1/admin/orders',
      {
        schema: {
          tags: ['admin'],
          summary: 'All orders, newest first, filtered by state, store or buyer',
          querystring: z.strictObject({ state: z.enum(orderStates).optional(), merchantId: z.string().max(64).optional(), buyerId: z.string().max(64).optional(), ...page }),
          response: { 200: z.object({ items: z.array(orderSummarySchema), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return queries.forAdmin(request.query);
      },
    );
    app.get(
      '/api/v1/admin/orders/:id',
      { schema: { tags: ['admin'], summary: 'Any order with its timeline', params: idParams, response: one } },
      async (request) => {
        requireRole(request, 'admin');
        return { order: await queries.detail(await lifecycle.ownOrder(request.params.id, {}), 'admin') };
      },
    );
  };
}
