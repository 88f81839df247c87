import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../platform/auth.js';
import { badRequest, notFound } from '../platform/errors.js';
import { errorBodySchema } from '../platform/http.js';
import type { CartService } from '../modules/cart/index.js';
import { addressSnapshotSchema, type OrdersModule, orderSummarySchema, unmetConditionSchema } from '../modules/orders/index.js';
import { paymentSchema, toPayment } from '../modules/payments/index.js';
import type { CheckoutFlow } from './checkout.js';

const id = z.string().max(64);
const linesInput = {
  cartLineIds: z.array(id).min(1).max(120).optional(),
  buyNow: z.strictObject({ skuId: id, quantity: z.int().min(1).max(999) }).optional(),
};
const oneSource = (b: { cartLineIds?: unknown; buyNow?: unknown }) => (b.cartLineIds === undefined) !== (b.buyNow === undefined);
const checkoutBody = z
  .strictObject({ ...linesInput, addressId: id, notes: z.record(id, z.string().trim().max(200)).optional() })
  .refine(oneSource, { message: 'give cartLineIds or buyNow, not both', path: ['cartLineIds'] })
  .meta({ example: { cartLineIds: ['crl_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F'], addressId: 'adr_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', notes: { mer_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F: '请用顺丰' } } });
const previewBody = z
  .strictObject({ ...linesInput, addressId: id.optional() })
  .refine(oneSource, { message: 'give cartLineIds or buyNow, not both', path: ['cartLineIds'] })
  .meta({ example: { buyNow: { skuId: 'sku_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', quantity: 1 }, addressId: 'adr_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F' } });

const problemSchema = z.object({ skuId: z.string(), code: z.enum(['not_found', 'off_shelf', 'store_closed', 'insufficient_stock']), requested: z.number().int(), available: z.number().int() });
export const previewSchema = z
  .object({
    stores: z.array(
      z.object({
        merchantId: z.string(),
        storeName: z.string(),
        lines: z.array(z.object({ skuId: z.string(), productId: z.string(), title: z.string(), specs: z.record(z.string(), z.string()), imageUrl: z.string().nullable(), unitPrice: z.number().int(), quantity: z.number().int(), lineTotal: z.number().int() })),
        itemsTotal: z.number().int(),
        shippingFee: z.number().int(),
        total: z.number().int(),
        unmet: z.array(unmetConditionSchema),
      }),
    ),
    itemsTotal: z.number().int(),
    shippingTotal: z.number().int(),
    total: z.number().int(),
    problems: z.array(problemSchema),
    address: addressSnapshotSchema.nullable(),
    canPlace: z.boolean(),
  })
  .meta({ id: 'CheckoutPreview' });
const groupSchema = z
  .object({
    id: z.string(),
    itemsTotal: z.number().int(),
    shippingTotal: z.number().int(),
    total: z.number().int(),
    currency: z.literal('CNY'),
    payDeadlineAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'OrderGroup' });
export const resultSchema = z.object({ orderGroup: groupSchema, orders: z.array(orderSummarySchema), payment: paymentSchema.nullable() }).meta({ id: 'CheckoutResult' });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const idParams = z.strictObject({ id });

type Result = Awaited<ReturnType<CheckoutFlow['result']>>;
const toResult = (r: Result): z.infer<typeof resultSchema> => ({
  orderGroup: {
    id: r.group.id,
    itemsTotal: r.group.itemsTotal,
    shippingTotal: r.group.shippingTotal,
    total: r.group.total,
    currency: r.group.currency,
    payDeadlineAt: r.group.payDeadlineAt?.toISOString() ?? null,
    createdAt: r.group.createdAt.toISOString(),
  },
  orders: r.orders,
  payment: r.payment ? toPayment(r.payment) : null,
});

/** Checkout, paying an order group, and 再来一单. */
export function checkoutRoutes(deps: { flow: CheckoutFlow; orders: Pick<OrdersModule, 'lifecycle' | 'queries'>; cart: Pick<CartService, 'addMany'> }): FastifyPluginAsyncZod {
  const { flow } = deps;
  return async (app) => {
    app.post(
      '/api/v1/checkout/preview',
      { schema: { tags: ['checkout'], summary: 'What checkout would create: per store prices, shipping, unmet conditions and unavailable items; writes nothing', body: previewBody, response: { 200: z.object({ preview: previewSchema }), ...errors } } },
      async (request) => {
        const { quote, address, names, canPlace } = await flow.preview(requireUser(request).userId, request.body);
        return {
          preview: {
            stores: quote.stores.map((s) => ({
              merchantId: s.merchantId,
              storeName: names.get(s.merchantId) ?? '',
              lines: s.lines.map((l) => ({ skuId: l.sku.skuId, productId: l.sku.productId, title: l.sku.title, specs: l.sku.specs, imageUrl: l.sku.imageUrl, unitPrice: l.sku.price, quantity: l.quantity, lineTotal: l.sku.price * l.quantity })),
              itemsTotal: s.itemsTotal,
              shippingFee: s.shippingFee,
              total: s.total,
              unmet: s.unmet,
            })),
            itemsTotal: quote.itemsTotal,
            shippingTotal: quote.shippingTotal,
            total: quote.total,
            problems: quote.problems,
            address,
            canPlace,
          },
        };
      },
    );

    app.post(
      '/api/v1/checkout',
      {
        schema: {
          tags: ['checkout'],
          summary:
            'Place the order: one order per store in one order group, stock reserved, one payment; requires Idempotency-Key (a repeat answers the first result with Idempotent-Replayed: true). 409 insufficient_stock / items_unavailable, 422 order_conditions_unmet. In a rush, checkouts wait their turn in arrival order; 503 busy (Retry-After) after CHECKOUT_MAX_WAIT_SECONDS (30 s) of waiting',
          headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
          body: checkoutBody,
          response: { 201: resultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const userId = requireUser(request).userId;
        const key = request.headers['idempotency-key'];
        if (!key) throw badRequest('idempotency_key_required', 'Send an Idempotency-Key header (e.g. a UUID per checkout attempt)');
        // A shopper who hangs up while waiting for a turn is not placed an order they never see.
        const hungUp = new AbortController();
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) hungUp.abort();
        });
        const result = await flow.checkout(userId, key, request.body, hungUp.signal);
        if (result.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.status(201).send(toResult(result));
      },
    );

    app.get(
      '/api/v1/order-groups/:id',
      { schema: { tags: ['checkout'], summary: 'An order group of mine with its orders and current payment (the page after paying)', params: idParams, response: { 200: resultSchema, ...errors } } },
      async (request) => toResult(await flow.result(request.params.id, requireUser(request).userId)),
    );

    app.post(
      '/api/v1/order-groups/:id/payment',
      { schema: { tags: ['checkout'], summary: '去支付: the group’s open payment, or a new one for its unpaid orders', params: idParams, response: { 200: z.object({ payment: paymentSchema }), ...errors } } },
      async (request) => ({ payment: toPayment(await flow.payGroup(requireUser(request).userId, request.params.id)) }),
    );

    app.post(
      '/api/v1/orders/:id/reorder',
      {
        schema: {
          tags: ['orders'],
          summary: '再来一单: put an order’s items back into the cart; items no longer on sale are listed as skipped',
          params: idParams,
          response: { 200: z.object({ added: z.array(z.string()), skipped: z.array(z.object({ skuId: z.string(), code: z.string() })) }), ...errors },
        },
      },
      async (request) => {
        const buyerId = requireUser(request).userId;
        const order = await deps.orders.lifecycle.ownOrder(request.params.id, { buyerId });
        const [summary] = await deps.orders.queries.summaries([order], 'buyer');
        if (!summary) throw notFound('Order');
        return deps.cart.addMany(buyerId, summary.items.map((i) => ({ skuId: i.skuId, quantity: i.quantity })));
      },
    );
  };
}
