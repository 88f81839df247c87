import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import { MOBILE_PATTERN, normalizeMobile } from '../identity/index.js';
import { regionTree } from './regions.js';
import type { AddressRow } from './repo.js';
import type { AddressesService } from './service.js';

export const addressSchema = z
  .object({
    id: z.string(),
    recipient: z.string(),
    mobile: z.string(),
    provinceCode: z.string(),
    provinceName: z.string(),
    cityCode: z.string(),
    cityName: z.string(),
    districtCode: z.string(),
    districtName: z.string(),
    detail: z.string(),
    postalCode: z.string().nullable(),
    isDefault: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Address' });

const toAddress = (a: AddressRow): z.infer<typeof addressSchema> => ({
  id: a.id,
  recipient: a.recipient,
  mobile: a.mobile,
  provinceCode: a.provinceCode,
  provinceName: a.provinceName,
  cityCode: a.cityCode,
  cityName: a.cityName,
  districtCode: a.districtCode,
  districtName: a.districtName,
  detail: a.detail,
  postalCode: a.postalCode,
  isDefault: a.isDefault,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});

const code = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code');
const fields = {
  recipient: z.string().trim().min(1).max(30),
  mobile: z.string().transform(normalizeMobile).pipe(z.string().regex(MOBILE_PATTERN, 'a mainland mobile number: 11 digits starting 13–19')),
  provinceCode: code,
  cityCode: code,
  districtCode: code,
  detail: z.string().trim().min(2).max(120),
  postalCode: z.string().regex(/^\d{6}$/, '6 digits').nullable().optional(),
  isDefault: z.boolean().optional(),
};
const example = {
  recipient: '李雷',
  mobile: '13812345678',
  provinceCode: '330000',
  cityCode: '330100',
  districtCode: '330106',
  detail: '文三路 90 号 3 幢 501 室',
  postalCode: '310012',
  isDefault: true,
};
const createBody = z.strictObject(fields).meta({ example });
const updateBody = z
  .strictObject({
    recipient: fields.recipient.optional(),
    mobile: fields.mobile.optional(),
    provinceCode: code.optional(),
    cityCode: code.optional(),
    districtCode: code.optional(),
    detail: fields.detail.optional(),
    postalCode: fields.postalCode,
    isDefault: z.literal(true).optional(),
  })
  .meta({ example: { detail: '文三路 90 号 3 幢 502 室' } });
const idParams = z.strictObject({ id: z.string().max(64) });

type RegionNode = { code: string; name: string };
const region = z.object({ code: z.string(), name: z.string() });
export const regionsSchema = z
  .object({
    provinces: z.array(region.extend({ cities: z.array(region.extend({ districts: z.array(region) })) })),
  })
  .meta({ id: 'RegionTree' });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 422: errorBodySchema };
const one = { 200: z.object({ address: addressSchema }), ...errors };

export function addressesRoutes(service: AddressesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/regions',
      {
        schema: {
          tags: ['addresses'],
          summary: 'China’s provinces, cities and districts (GB/T 2260) for the address cascader; cacheable, with an ETag',
          response: { 200: regionsSchema, 304: z.null() },
        },
      },
      async (request, reply) => {
        const { json, etag } = regionTree();
        void reply.header('etag', etag).header('cache-control', 'public, max-age=86400');
        if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
        // Built once and sent as a string: serializing 3,900 divisions per request would be waste.
        return reply.type('application/json; charset=utf-8').send(json as unknown as { provinces: (RegionNode & { cities: (RegionNode & { districts: RegionNode[] })[] })[] });
      },
    );

    app.get(
      '/api/v1/addresses',
      { schema: { tags: ['addresses'], summary: 'My address book, the default first', response: { 200: z.object({ items: z.array(addressSchema) }), ...errors } } },
      async (request) => ({ items: (await service.list(requireUser(request).userId)).map(toAddress) }),
    );
    app.post(
      '/api/v1/addresses',
      { schema: { tags: ['addresses'], summary: 'Add an address (the first one becomes the default)', body: createBody, response: { 201: z.object({ address: addressSchema }), ...errors } } },
      async (request, reply) => reply.status(201).send({ address: toAddress(await service.create(requireUser(request).userId, request.body)) }),
    );
    app.get(
      '/api/v1/addresses/:id',
      { schema: { tags: ['addresses'], summary: 'One of my addresses', params: idParams, response: one } },
      async (request) => ({ address: toAddress(await service.get(requireUser(request).userId, request.params.id)) }),
    );
    app.patch(
      '/api/v1/addresses/:id',
      { schema: { tags: ['addresses'], summary: 'Change an address; province, city and district are checked together', params: idParams, body: updateBody, response: one } },
      async (request) => ({ address: toAddress(await service.update(requireUser(request).userId, request.params.id, request.body)) }),
    );
    app.delete(
      '/api/v1/addresses/:id',
      { schema: { tags: ['addresses'], summary: 'Delete an address; if it was the default, the latest other one becomes the default', params: idParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await service.remove(requireUser(request).userId, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      '/api/v1/addresses/:id/default',
      { schema: { tags: ['addresses'], summary: 'Make this my default address', params: idParams, response: one } },
      async (request) => ({ address: toAddress(await service.setDefault(requireUser(request).userId, request.params.id)) }),
    );
  };
}
