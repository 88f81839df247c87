import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../platform/http.js';
import type { MerchantsModule } from '../merchants/index.js';
import { orderDetailSchema, orderSummarySchema, storeRulesSchema } from './contract.js';
import type { OrderLifecycle } from './lifecycle.js';
import type { OrderQueries } from './queries.js';
import { orderStates } from './states.js';
import type { StoreRulesService } from './store-rules.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const idParams = z.strictObject({ id: z.string().max(64) });
const one = { 200: z.object({ order: orderDetailSchema }), ...errors };
const reasonBody = (example: string) => z.strictObject({ reason: z.string().trim().min(1).max(200) }).meta({ example: { reason: example } });

export type MerchantRouteDeps = { access: MerchantsModule['access']; rules: StoreRulesService; lifecycle: OrderLifecycle; queries: OrderQueries };

/** The store's side of orders: order conditions, its orders, 接单, refusals and cancellation requests. */
export function merchantOrderRoutes(deps: MerchantRouteDeps): FastifyPluginAsyncZod {
  const { access, rules, lifecycle, queries } = deps;
  return async (app) => {
    app.get(
      '/api/v1/merchant/order-rules',
      { schema: { tags: ['merchant'], summary: 'The store’s order conditions (订单生成条件)', response: { 200: z.object({ rules: storeRulesSchema }), ...errors } } },
      async (request) => ({ rules: await rules.get((await access(request, { scope: 'orders:read', write: false })).merchantId) }),
    );
    app.put(
      '/api/v1/merchant/order-rules',
      {
        schema: {
          tags: ['merchant'],
          summary: 'Replace the store’s order conditions: minimum amount, per-SKU limit, delivery provinces, shipping fee, 接单 mode (scope orders:write)',
          body: storeRulesSchema,
          response: { 200: z.object({ rules: storeRulesSchema }), ...errors },
        },
      },
      async (request) => {
        const granted = await access(request, { scope: 'orders:write', write: true });
        return { rules: await rules.put(granted.merchantId, granted.actor, request.body) };
      },
    );

    app.get(
      '/api/v1/merchant/orders',
      {
        schema: {
          tags: ['merchant'],
          summary: 'The store’s orders, newest first, by state (paid = 待接单), with a count per state (scope orders:read)',
          querystring: z.strictObject({ state: z.enum(orderStates).optional(), cursor: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
          response: { 200: z.object({ items: z.array(orderSummarySchema), nextCursor: z.string().nullable(), counts: z.record(z.enum(orderStates), z.number().int()) }), ...errors },
        },
      },
      async (request) => queries.forMerchant((await access(request, { scope: 'orders:read', write: false })).merchantId, request.query),
    );
    app.get(
      '/api/v1/merchant/orders/:id',
      { schema: { tags: ['merchant'], summary: 'One of the store’s orders with its timeline', params: idParams, response: one } },
      async (request) => {
        const { merchantId } = await access(request, { scope: 'orders:read', write: false });
        return { order: await queries.detail(await lifecycle.ownOrder(request.params.id, { merchantId }), 'merchant') };
      },
    );

    const act = (path: string, summary: string, run: (merchantId: string, id: string, actor: Parameters<OrderLifecycle['accept']>[2], body: { reason?: string } | undefined) => Promise<Awaited<ReturnType<OrderLifecycle['accept']>>>, body?: ReturnType<typeof reasonBody>) =>
      app.post(
        `/api/v1/merchant/orders/:id/${path}`,
        { schema: { tags: ['merchant'], summary: `${summary} (scope orders:write)`, params: idParams, ...(body ? { body } : {}), response: one } },
        async (request) => {
          const granted = await access(request, { scope: 'orders:write', write: true });
          const order = await run(granted.merchantId, request.params.id, granted.actor, request.body as { reason?: string } | undefined);
          return { order: await queries.detail(order, 'merchant') };
        },
      );
    act('accept', '接单: accept a paid order; it moves to 待发货', (m, id, actor) => lifecycle.accept(m, id, actor));
    act('refuse', 'Refuse a paid order: it is cancelled and the buyer fully refunded', (m, id, actor, b) => lifecycle.refuse(m, id, actor, b!.reason!), reasonBody('库存不足，无法发货'));
    act('cancellation/approve', 'Approve the buyer’s cancellation request: cancelled, refunded, restocked', (m, id, actor) => lifecycle.approveCancellation(m, id, actor));
    act('cancellation/decline', 'Decline the buyer’s cancellation request with a reason', (m, id, actor, b) => lifecycle.declineCancellation(m, id, actor, b!.reason!), reasonBody('商品已打包，即将发出'));
  };
}
