import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../platform/http.js';
import { unmetConditionSchema } from '../orders/contract.js';
import { type CartOwner, type CartService, type CookieChange, GUEST_CART_TTL_MS, MAX_LINE_QUANTITY } from './service.js';

/** The guest cart's cookie; the session cookie identifies a user's cart. */
export const CART_COOKIE = 'fm_cart';

const warningSchema = z
  .discriminatedUnion('code', [
    z.object({ code: z.literal('price_changed'), was: z.number(), now: z.number() }),
    z.object({ code: z.literal('sold_out') }),
    z.object({ code: z.literal('off_shelf') }),
    z.object({ code: z.literal('store_closed') }),
    z.object({ code: z.literal('quantity_capped'), requested: z.number(), available: z.number() }),
  ])
  .meta({ id: 'CartLineWarning' });

const lineSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string().nullable(),
    merchantId: z.string(),
    title: z.string(),
    specs: z.record(z.string(), z.string()),
    imageUrl: z.string().nullable(),
    price: z.number().int(),
    quantity: z.number().int(),
    selected: z.boolean(),
    available: z.number().int(),
    purchasable: z.boolean(),
    lineTotal: z.number().int(),
    warnings: z.array(warningSchema),
    addedAt: z.iso.datetime(),
  })
  .meta({ id: 'CartLine' });

export const cartSchema = z
  .object({
    stores: z.array(
      z.object({
        merchantId: z.string(),
        storeName: z.string(),
        lines: z.array(lineSchema),
        selectedQuantity: z.number().int(),
        itemsTotal: z.number().int(),
        shippingFee: z.number().int(),
        total: z.number().int(),
        unmet: z.array(unmetConditionSchema),
        rules: z.object({ minOrderAmount: z.number().int(), shippingFee: z.number().int(), freeShippingFrom: z.number().int().nullable(), maxQuantityPerSku: z.number().int().nullable() }),
      }),
    ),
    summary: z.object({
      lines: z.number().int(),
      quantity: z.number().int(),
      selectedQuantity: z.number().int(),
      itemsTotal: z.number().int(),
      shippingTotal: z.number().int(),
      total: z.number().int(),
      currency: z.literal('CNY'),
      warnings: z.number().int(),
    }),
  })
  .meta({ id: 'Cart' });

const countSchema = z.object({ lines: z.number().int(), quantity: z.number().int() }).meta({ id: 'CartCount' });
const quantity = z.int().min(1).max(MAX_LINE_QUANTITY);
const addBody = z
  .strictObject({ skuId: z.string().min(1).max(64), quantity: quantity.default(1) })
  .meta({ example: { skuId: 'sku_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', quantity: 2 } });
const patchBody = z
  .strictObject({ quantity: quantity.optional(), selected: z.boolean().optional() })
  .refine((b) => b.quantity !== undefined || b.selected !== undefined, 'give quantity or selected')
  .meta({ example: { quantity: 3 } });
const selectBody = z
  .strictObject({ selected: z.boolean(), merchantId: z.string().max(64).optional() })
  .meta({ example: { selected: true, merchantId: 'mer_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F' } });
const removeBody = z.strictObject({ lineIds: z.array(z.string().max(64)).min(1).max(120) });
const idParams = z.strictObject({ id: z.string().max(64) });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const withCart = { 200: z.object({ cart: cartSchema }), ...errors };

export function cartRoutes(service: CartService, options: { secureCookies: boolean }): FastifyPluginAsyncZod {
  const ownerOf = (request: FastifyRequest): CartOwner => ({ userId: request.principal?.userId, guestToken: request.cookies[CART_COOKIE] || undefined });
  const applyCookie = (reply: FastifyReply, change: CookieChange) => {
    if (change.setGuestToken) {
      void reply.setCookie(CART_COOKIE, change.setGuestToken, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secureCookies, maxAge: GUEST_CART_TTL_MS / 1000 });
    } else if (change.clearGuestToken) {
      void reply.clearCookie(CART_COOKIE, { path: '/' });
    }
  };

  return async (app) => {
    app.get(
      '/api/v1/cart',
      { schema: { tags: ['cart'], summary: 'The cart, grouped by store, with totals and honest warnings (guests by the fm_cart cookie)', response: withCart } },
      async (request, reply) => {
        const { cart, cookie } = await service.get(ownerOf(request));
        applyCookie(reply, cookie);
        return { cart };
      },
    );
    app.get(
      '/api/v1/cart/count',
      { schema: { tags: ['cart'], summary: 'Lines and units in the cart, for the header badge', response: { 200: countSchema, ...errors } } },
      async (request, reply) => {
        const { count, cookie } = await service.count(ownerOf(request));
        applyCookie(reply, cookie);
        return count;
      },
    );
    app.post(
      '/api/v1/cart/items',
      {
        schema: {
          tags: ['cart'],
          summary: 'Add units of a SKU; the line is capped at what is available (warning quantity_capped)',
          body: addBody,
          response: { 201: z.object({ line: z.object({ id: z.string(), skuId: z.string(), quantity: z.number().int() }), warnings: z.array(warningSchema), count: countSchema }), ...errors },
        },
      },
      async (request, reply) => {
        const { line, warnings, count, cookie } = await service.add(ownerOf(request), request.body.skuId, request.body.quantity);
        applyCookie(reply, cookie);
        return reply.status(201).send({ line: { id: line.id, skuId: line.skuId, quantity: line.quantity }, warnings, count });
      },
    );
    app.patch(
      '/api/v1/cart/items/:id',
      { schema: { tags: ['cart'], summary: 'Change a line’s quantity or selection; answers the whole cart', params: idParams, body: patchBody, response: withCart } },
      async (request, reply) => {
        const { cart, cookie } = await service.update(ownerOf(request), request.params.id, request.body);
        applyCookie(reply, cookie);
        return { cart };
      },
    );
    app.delete(
      '/api/v1/cart/items/:id',
      { schema: { tags: ['cart'], summary: 'Remove a line; answers the whole cart', params: idParams, response: withCart } },
      async (request, reply) => {
        const { cart, cookie } = await service.remove(ownerOf(request), [request.params.id]);
        applyCookie(reply, cookie);
        return { cart };
      },
    );
    app.post(
      '/api/v1/cart/items/remove',
      { schema: { tags: ['cart'], summary: 'Remove several lines at once (e.g. the selected or the unavailable ones)', body: removeBody, response: withCart } },
      async (request, reply) => {
        const { cart, cookie } = await service.remove(ownerOf(request), request.body.lineIds);
        applyCookie(reply, cookie);
        return { cart };
      },
    );
    app.post(
      '/api/v1/cart/selection',
      { schema: { tags: ['cart'], summary: 'Select or unselect every line, or every line of one store', body: selectBody, response: withCart } },
      async (request, reply) => {
        const { cart, cookie } = await service.select(ownerOf(request), request.body.selected, request.body.merchantId);
        applyCookie(reply, cookie);
        return { cart };
      },
    );
  };
}
