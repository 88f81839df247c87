import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireUser } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import type { MerchantsModule } from '../merchants/index.js';
import { aftersalesPageSchema, aftersalesSchema, type AftersalesView, createAftersalesBody, listQuery, parcelBody, reasonBody, ruleBody } from './contract.js';
import type { AftersalesRow } from './repo.js';
import type { AftersalesService } from './service.js';
import { openAftersalesStates } from './states.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const idParams = z.strictObject({ id: z.string().max(64) });
const one = { 200: z.object({ aftersales: aftersalesSchema }), ...errors };
const page = { 200: aftersalesPageSchema, ...errors };

export type Viewer = 'buyer' | 'merchant' | 'admin';
type View = (row: AftersalesRow, viewer: Viewer, withTimeline?: boolean) => Promise<AftersalesView>;

export function aftersalesRoutes(deps: { service: AftersalesService; access: MerchantsModule['access']; view: View; views: (rows: AftersalesRow[], viewer: Viewer) => Promise<AftersalesView[]> }): FastifyPluginAsyncZod {
  const { service, access, view } = deps;
  const pageOf = async (rows: AftersalesRow[], limit: number, viewer: Viewer) => ({ items: await deps.views(rows, viewer), nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null });
  const filterOf = (q: z.infer<typeof listQuery>) => ({ state: q.state, states: q.open === 'true' ? openAftersalesStates : undefined, cursor: q.cursor, limit: q.limit });

  return async (app) => {
    // ---- the buyer
    app.post(
      '/api/v1/orders/:id/aftersales',
      { schema: { tags: ['aftersales'], summary: '申请售后: refund only, return and refund, or exchange, for units of one item of a shipped order', params: idParams, body: createAftersalesBody, response: { 201: z.object({ aftersales: aftersalesSchema }), ...errors } } },
      async (request, reply) => {
        const buyerId = requireUser(request).userId;
        const row = await service.create(buyerId, request.params.id, request.body);
        return reply.status(201).send({ aftersales: await view(row, 'buyer', true) });
      },
    );
    app.get('/api/v1/aftersales', { schema: { tags: ['aftersales'], summary: 'My after-sales requests, newest first', querystring: listQuery, response: page } }, async (request) =>
      pageOf(await service.list({ ...filterOf(request.query), buyerId: requireUser(request).userId }), request.query.limit, 'buyer'),
    );
    app.get('/api/v1/aftersales/:id', { schema: { tags: ['aftersales'], summary: 'One of my requests with its timeline', params: idParams, response: one } }, async (request) => ({
      aftersales: await view(await service.get(request.params.id, { buyerId: requireUser(request).userId }), 'buyer', true),
    }));
    const buyerAction = (path: string, summary: string, act: (buyerId: string, id: string, body: never) => Promise<AftersalesRow>, body?: z.ZodType) =>
      app.post(`/api/v1/aftersales/:id/${path}`, { schema: { tags: ['aftersales'], summary, params: idParams, ...(body ? { body } : {}), response: one } }, async (request) => ({
        aftersales: await view(await act(requireUser(request).userId, request.params.id, request.body as never), 'buyer', true),
      }));
    buyerAction('cancel', 'Withdraw the request (before the store has the goods back)', (buyerId, id) => service.cancel(buyerId, id));
    buyerAction('escalate', '申请平台介入 after the store refused', (buyerId, id, body: { reason: string }) => service.escalate(buyerId, id, body.reason), reasonBody);
    buyerAction('return-parcel', '寄回: the carrier and tracking number of the parcel sent back', (buyerId, id, body: { carrier: string; trackingNumber: string }) => service.shipBack(buyerId, id, body), parcelBody);
    buyerAction('confirm', 'Exchange: the replacement arrived', (buyerId, id) => service.confirm(buyerId, id));

    // ---- the store
    app.get('/api/v1/merchant/aftersales', { schema: { tags: ['merchant'], summary: 'The store’s after-sales requests, newest first', querystring: listQuery, response: page } }, async (request) => {
      const { merchantId } = await access(request, { scope: 'orders:read', write: false });
      return pageOf(await service.list({ ...filterOf(request.query), merchantId }), request.query.limit, 'merchant');
    });
    app.get('/api/v1/merchant/aftersales/:id', { schema: { tags: ['merchant'], summary: 'One request with its timeline', params: idParams, response: one } }, async (request) => {
      const { merchantId } = await access(request, { scope: 'orders:read', write: false });
      return { aftersales: await view(await service.get(request.params.id, { merchantId }), 'merchant', true) };
    });
    const storeAction = (path: string, summary: string, act: (g: { merchantId: string; actor: Parameters<AftersalesService['approve']>[2] }, id: string, body: never) => Promise<AftersalesRow>, body?: z.ZodType) =>
      app.post(`/api/v1/merchant/aftersales/:id/${path}`, { schema: { tags: ['merchant'], summary: `${summary} (scope orders:write)`, params: idParams, ...(body ? { body } : {}), response: one } }, async (request) => {
        const granted = await access(request, { scope: 'orders:write', write: true });
        return { aftersales: await view(await act(granted, request.params.id, request.body as never), 'merchant', true) };
      });
    storeAction('approve', 'Agree: refund at once (refund only) or wait for the goods', (g, id) => service.approve(g.merchantId, id, g.actor));
    storeAction('reject', 'Refuse with a reason; the buyer may ask the platform', (g, id, body: { reason: string }) => service.reject(g.merchantId, id, g.actor, body.reason), reasonBody);
    storeAction('receive-return', 'The goods came back: a return is refunded, an exchange waits for its replacement', (g, id) => service.receiveReturn(g.merchantId, id, g.actor));
    storeAction('reship', 'Exchange: the replacement’s carrier and tracking number', (g, id, body: { carrier: string; trackingNumber: string }) => service.reship(g.merchantId, id, g.actor, body), parcelBody);

    // ---- the platform
    app.get('/api/v1/admin/aftersales', { schema: { tags: ['admin'], summary: 'After-sales requests (e.g. ?state=escalated for 平台介入)', querystring: listQuery, response: page } }, async (request) => {
      requireRole(request, 'admin');
      return pageOf(await service.list(filterOf(request.query)), request.query.limit, 'admin');
    });
    app.get('/api/v1/admin/aftersales/:id', { schema: { tags: ['admin'], summary: 'One request with its timeline', params: idParams, response: one } }, async (request) => {
      requireRole(request, 'admin');
      return { aftersales: await view(await service.get(request.params.id, { admin: true }), 'admin', true) };
    });
    app.post('/api/v1/admin/aftersales/:id/rule', { schema: { tags: ['admin'], summary: '平台介入: decide for the buyer (approved as if by the store) or for the store (closed)', params: idParams, body: ruleBody, response: one } }, async (request) => {
      const adminId = requireRole(request, 'admin').userId;
      return { aftersales: await view(await service.rule(adminId, request.params.id, request.body), 'admin', true) };
    });
  };
}
