import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireUser } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import { MOBILE_PATTERN, normalizeMobile } from '../identity/index.js';
import { merchantScopes, type MerchantAccessControl } from './access.js';
import { isValidCreditCode } from './credit-code.js';
import type { ApiKeyRow, MerchantRow } from './repo.js';
import type { MerchantsService } from './service.js';
import { merchantStates } from './states.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const merchantSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(merchantStates),
    contactName: z.string(),
    contactMobile: z.string(),
    contactEmail: z.string(),
    creditCode: z.string(),
    description: z.string(),
    logoUrl: z.string().nullable(),
    stateReason: z.string().nullable(),
    createdAt: z.iso.datetime(),
    approvedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Merchant' });

const toMerchant = (m: MerchantRow): z.infer<typeof merchantSchema> => ({
  id: m.id,
  name: m.name,
  state: m.state,
  contactName: m.contactName,
  contactMobile: m.contactMobile,
  contactEmail: m.contactEmail,
  creditCode: m.creditCode,
  description: m.description,
  logoUrl: m.logoUrl,
  stateReason: m.stateReason,
  createdAt: m.createdAt.toISOString(),
  approvedAt: iso(m.approvedAt),
});

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.enum(merchantScopes)),
    prefix: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'MerchantApiKey' });

const toApiKey = (k: ApiKeyRow): z.infer<typeof apiKeySchema> => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes as (typeof merchantScopes)[number][],
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

const mobile = z.string().transform(normalizeMobile).pipe(z.string().regex(MOBILE_PATTERN, 'a mainland mobile number'));
const profileFields = {
  name: z.string().trim().min(2).max(40),
  contactName: z.string().trim().min(1).max(40),
  contactMobile: mobile,
  contactEmail: z.string().trim().pipe(z.email().max(254)),
  description: z.string().trim().max(2000).optional(),
  logoUrl: z.string().trim().max(500).nullable().optional(),
};
const applicationBody = z
  .strictObject({
    ...profileFields,
    creditCode: z.string().trim().toUpperCase().refine(isValidCreditCode, '18 characters with a valid check character (统一社会信用代码)'),
  })
  .meta({
    example: {
      name: '山野茶铺',
      contactName: '王芳',
      contactMobile: '13812345678',
      contactEmail: 'shop@example.com',
      creditCode: '91350100M000100Y43',
      description: '武夷山岩茶，产地直发',
    },
  });
const profileBody = z.strictObject({
  name: profileFields.name.optional(),
  contactName: profileFields.contactName.optional(),
  contactMobile: mobile.optional(),
  contactEmail: profileFields.contactEmail.optional(),
  description: profileFields.description,
  logoUrl: profileFields.logoUrl,
});
const reasonBody = z.strictObject({ reason: z.string().trim().min(2).max(500) });
const idParams = z.strictObject({ id: z.string().max(64) });
const listQuery = z.strictObject({
  state: z.enum(merchantStates).optional(),
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const staffSchema = z.object({
  userId: z.string(),
  role: z.enum(['owner', 'operator']),
  name: z.string(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  addedAt: z.iso.datetime(),
});

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };
const one = { 200: z.object({ merchant: merchantSchema }), ...errors };

export function merchantsRoutes(service: MerchantsService, control: MerchantAccessControl): FastifyPluginAsyncZod {
  return async (app) => {
    // —— applying (any logged-in user) ——
    app.post(
      '/api/v1/merchant/application',
      { schema: { tags: ['merchant'], summary: 'Apply to open a store (or resubmit a rejected application)', body: applicationBody, response: { 201: z.object({ merchant: merchantSchema }), ...errors } } },
      async (request, reply) => reply.status(201).send({ merchant: toMerchant(await service.apply(requireUser(request).userId, request.body)) }),
    );
    app.get(
      '/api/v1/merchant/application',
      { schema: { tags: ['merchant'], summary: 'My latest store application and its state', response: one } },
      async (request) => ({ merchant: toMerchant(await service.applicationOf(requireUser(request).userId)) }),
    );

    // —— the store (staff sessions and API keys) ——
    app.get(
      '/api/v1/merchant/store',
      { schema: { tags: ['merchant'], summary: 'The store profile', response: one } },
      async (request) => ({ merchant: toMerchant(await service.get((await control.access(request, { scope: 'store:read', write: false })).merchantId)) }),
    );
    app.patch(
      '/api/v1/merchant/store',
      { schema: { tags: ['merchant'], summary: 'Edit the store profile (scope store:write)', body: profileBody, response: one } },
      async (request) => {
        const access = await control.access(request, { scope: 'store:write', write: true });
        if (access.role === 'operator') await control.ownerAccess(request, true);
        return { merchant: toMerchant(await service.updateProfile(access.merchantId, request.body)) };
      },
    );

    // —— staff and keys (the owner, in a session) ——
    app.get(
      '/api/v1/merchant/staff',
      { schema: { tags: ['merchant'], summary: 'Store staff', response: { 200: z.object({ items: z.array(staffSchema) }), ...errors } } },
      async (request) => {
        const access = await control.access(request, { scope: 'store:read', write: false });
        const staff = await service.staff(access.merchantId);
        return { items: staff.map((s) => ({ ...s, addedAt: s.addedAt.toISOString() })) };
      },
    );
    app.post(
      '/api/v1/merchant/staff',
      {
        schema: {
          tags: ['merchant'],
          summary: 'Add an operator by the email or mobile of their account (owner only)',
          body: z.strictObject({ login: z.string().trim().min(3).max(254) }),
          response: { 201: z.object({ userId: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const access = await control.ownerAccess(request, true);
        const user = await service.addOperator(access.merchantId, request.body.login);
        return reply.status(201).send({ userId: user.id });
      },
    );
    app.delete(
      '/api/v1/merchant/staff/:id',
      { schema: { tags: ['merchant'], summary: 'Remove an operator (owner only)', params: idParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        const access = await control.ownerAccess(request, true);
        await service.removeOperator(access.merchantId, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/v1/merchant/api-keys',
      { schema: { tags: ['merchant'], summary: 'Open API keys (owner only)', response: { 200: z.object({ items: z.array(apiKeySchema) }), ...errors } } },
      async (request) => ({ items: (await control.listKeys((await control.ownerAccess(request, false)).merchantId)).map(toApiKey) }),
    );
    app.post(
      '/api/v1/merchant/api-keys',
      {
        schema: {
          tags: ['merchant'],
          summary: 'Create an Open API key; the secret is shown only in this answer',
          body: z
            .strictObject({ name: z.string().trim().min(1).max(60), scopes: z.array(z.enum(merchantScopes)).min(1) })
            .meta({ example: { name: 'ERP sync', scopes: ['products:read', 'products:write'] } }),
          response: { 201: z.object({ key: apiKeySchema, secret: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const access = await control.ownerAccess(request, true);
        const { key, secret } = await control.createKey(access.merchantId, access.actor.id, request.body);
        return reply.status(201).send({ key: toApiKey(key), secret });
      },
    );
    app.delete(
      '/api/v1/merchant/api-keys/:id',
      { schema: { tags: ['merchant'], summary: 'Revoke an API key (owner only)', params: idParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        const access = await control.ownerAccess(request, false);
        await control.revokeKey(access.merchantId, request.params.id);
        return reply.status(204).send(null);
      },
    );

    // —— platform admin ——
    app.get(
      '/api/v1/admin/merchants',
      { schema: { tags: ['admin'], summary: 'Stores and applications', querystring: listQuery, response: { 200: z.object({ items: z.array(merchantSchema), nextCursor: z.string().nullable() }), ...errors } } },
      async (request) => {
        requireRole(request, 'admin');
        const page = await service.list(request.query);
        return { items: page.items.map(toMerchant), nextCursor: page.nextCursor };
      },
    );
    app.get(
      '/api/v1/admin/merchants/:id',
      { schema: { tags: ['admin'], summary: 'One store or application', params: idParams, response: one } },
      async (request) => {
        requireRole(request, 'admin');
        return { merchant: toMerchant(await service.get(request.params.id)) };
      },
    );
    const adminMove = (action: 'approve' | 'reactivate', summary: string) =>
      app.post(
        `/api/v1/admin/merchants/:id/${action}`,
        { schema: { tags: ['admin'], summary, params: idParams, response: one } },
        async (request) => ({ merchant: toMerchant(await service[action](request.params.id, requireRole(request, 'admin').userId)) }),
      );
    const adminMoveWithReason = (action: 'reject' | 'suspend', summary: string) =>
      app.post(
        `/api/v1/admin/merchants/:id/${action}`,
        { schema: { tags: ['admin'], summary, params: idParams, body: reasonBody, response: one } },
        async (request) => ({ merchant: toMerchant(await service[action](request.params.id, requireRole(request, 'admin').userId, request.body.reason)) }),
      );
    adminMove('approve', 'Approve an application: the applicant becomes the owner');
    adminMoveWithReason('reject', 'Reject an application with a reason');
    adminMoveWithReason('suspend', 'Suspend a store: its products leave the storefront, staff keep read-only access');
    adminMove('reactivate', 'Reactivate a suspended store');
  };
}
