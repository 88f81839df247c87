import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../platform/auth.js';
import { conflict } from '../../platform/errors.js';
import { errorBodySchema } from '../../platform/http.js';
import type { PaymentRow } from './repo.js';
import { SANDBOX_NOTIFY_PATH, type SandboxProvider } from './sandbox.js';
import type { PaymentsService } from './service.js';
import { paymentStates } from './states.js';

export const paymentSchema = z
  .object({
    id: z.string(),
    groupId: z.string(),
    provider: z.string(),
    state: z.enum(paymentStates),
    amount: z.number().int(),
    currency: z.literal('CNY'),
    subject: z.string(),
    payUrl: z.string().nullable(),
    orders: z.array(z.object({ id: z.string(), amount: z.number().int() })),
    expiresAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    succeededAt: z.iso.datetime().nullable(),
    failureReason: z.string().nullable(),
  })
  .meta({ id: 'Payment' });

export const toPayment = (p: PaymentRow): z.infer<typeof paymentSchema> => ({
  id: p.id,
  groupId: p.groupId,
  provider: p.provider,
  state: p.state,
  amount: p.amount,
  currency: p.currency,
  subject: p.subject,
  payUrl: p.payUrl,
  orders: p.orderIds.map((id, i) => ({ id, amount: p.orderAmounts[i]! })),
  expiresAt: p.expiresAt.toISOString(),
  createdAt: p.createdAt.toISOString(),
  succeededAt: p.succeededAt?.toISOString() ?? null,
  failureReason: p.failureReason,
});

const idParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
export const sandboxTradeSchema = z.object({ status: z.enum(['open', 'paid', 'declined', 'closed']) }).nullable();

export function paymentsRoutes(service: PaymentsService, sandbox: SandboxProvider | undefined): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/payments/:id',
      {
        schema: {
          tags: ['payments'],
          summary: 'A payment of mine, for the hosted cashier page (poll it: state becomes succeeded when the provider’s notification has arrived)',
          params: idParams,
          response: { 200: z.object({ payment: paymentSchema, sandboxTrade: sandboxTradeSchema }), ...errors },
        },
      },
      async (request) => {
        const payment = await service.ofBuyer(requireUser(request).userId, request.params.id);
        const trade = payment.provider === 'sandbox' && sandbox ? await sandbox.trade(payment.id) : undefined;
        return { payment: toPayment(payment), sandboxTrade: trade ? { status: trade.status } : null };
      },
    );

    if (sandbox) {
      for (const action of ['pay', 'decline'] as const) {
        app.post(
          `/api/v1/payments/:id/sandbox/${action}`,
          {
            schema: {
              tags: ['payments'],
              summary:
                action === 'pay'
                  ? 'Sandbox cashier: pay. The sandbox then notifies the platform asynchronously (signed HTTP, with retries)'
                  : 'Sandbox cashier: decline. The sandbox notifies the platform that the payment failed',
              params: idParams,
              response: { 202: z.object({ status: z.enum(['paid', 'declined']) }), ...errors },
            },
          },
          async (request, reply) => {
            const payment = await service.ofBuyer(requireUser(request).userId, request.params.id);
            if (payment.provider !== 'sandbox') throw conflict('not_sandbox_payment', 'This payment is not with the sandbox provider');
            if (payment.state !== 'pending') throw conflict('payment_not_pending', `This payment is ${payment.state}`, { state: payment.state });
            if (!payment.payUrl) await service.start(payment);
            return reply.status(202).send(await sandbox[action](payment.id));
          },
        );
      }

      // Provider callbacks: no session, the signature is the authentication. The raw body is what is signed.
      await app.register(async (hooks) => {
        hooks.removeAllContentTypeParsers();
        hooks.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => done(null, body));
        hooks.post(
          SANDBOX_NOTIFY_PATH,
          {
            schema: {
              tags: ['hooks'],
              summary: 'Sandbox provider notification (HMAC-SHA256 signed, header Sandbox-Signature: t=…,v1=…)',
              response: { 200: z.object({ received: z.literal(true), outcome: z.string() }), ...errors },
            },
          },
          async (request) => {
            const outcome = await service.receiveNotification(request.headers, typeof request.body === 'string' ? request.body : '');
            return { received: true as const, outcome };
          },
        );
      });
    }
  };
}
