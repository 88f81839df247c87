import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../platform/http.js';
import type { MerchantsModule } from '../merchants/index.js';
import { storeRulesSchema } from './contract.js';
import type { StoreRulesService } from './store-rules.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

export type MerchantRouteDeps = { access: MerchantsModule['access']; rules: StoreRulesService };

/** The store's side of orders: order conditions (and, below, its orders). */
export function merchantOrderRoutes(deps: MerchantRouteDeps): FastifyPluginAsyncZod {
  const { access, rules } = deps;
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
  };
}
