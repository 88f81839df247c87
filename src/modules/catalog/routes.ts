import fs from 'node:fs';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/auth.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { errorBodySchema } from '../../platform/http.js';
import type { BulkService } from './bulk.js';
import {
  bulkBody,
  bulkQuery,
  bulkResultSchema,
  createProductBody,
  idParams,
  imageRefSchema,
  pageQuery,
  productListQuery,
  productSchema,
  productSummarySchema,
  rejectBody,
  reviewQueueQuery,
  skuSchema,
  stockAdjustmentSchema,
  stockBody,
  updateProductBody,
} from './contract.js';
import { type ImageService, MAX_IMAGE_BYTES } from './images.js';
import type { ProductService, StoreActor } from './products.js';
import type { ReviewService } from './review.js';
import type { StockService } from './stock.js';
import { UPLOADS_PREFIX } from './storage.js';

export type MerchantScope = 'store:write' | 'products:read' | 'products:write' | 'orders:read' | 'orders:write';
/** The merchants module's answer to "who acts for which store" (see merchants/access.ts). */
export type MerchantAccessResolver = (
  request: FastifyRequest,
  need: { scope: MerchantScope; write: boolean },
) => Promise<{ merchantId: string; via: 'session' | 'api_key'; actor: StoreActor['actor']; role?: StoreActor['role'] }>;

const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  413: errorBodySchema,
  415: errorBodySchema,
  422: errorBodySchema,
};
const product = z.object({ product: productSchema });
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type CatalogRouteDeps = {
  products: ProductService;
  review: ReviewService;
  stock: StockService;
  images: ImageService;
  bulk: BulkService;
  merchantAccess: MerchantAccessResolver;
  /** Local-disk uploads served at /uploads/; undefined when another storage serves them. */
  uploadsRoot?: string;
};

export function catalogRoutes(deps: CatalogRouteDeps): FastifyPluginAsyncZod {
  const { products, review, stock, images, bulk } = deps;
  const store = async (request: FastifyRequest, write: boolean): Promise<StoreActor> => {
    const access = await deps.merchantAccess(request, { scope: write ? 'products:write' : 'products:read', write });
    return { merchantId: access.merchantId, actor: access.actor, via: access.via, role: access.role };
  };
  const reader = (request: FastifyRequest) => store(request, false);
  const writer = (request: FastifyRequest) => store(request, true);

  return async (app) => {
    // ── Merchant: products ──
    app.get(
      '/api/v1/merchant/products',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: "The store's products, newest first; filter by status, search by title or by product or SKU code",
          querystring: productListQuery,
          response: { 200: page(productSummarySchema), ...errors },
        },
      },
      async (request) => products.list(await reader(request), request.query),
    );

    app.post(
      '/api/v1/merchant/products',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: 'Create a product (draft) with its SKUs; without `code`, the product id serves as its code',
          body: createProductBody,
          response: { 201: product, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send({ product: await products.create(await writer(request), request.body) }),
    );

    app.put(
      '/api/v1/merchant/products/bulk',
      {
        bodyLimit: 32 * 1024 * 1024,
        schema: {
          tags: ['merchant catalog'],
          summary: 'Create or update up to 500 products keyed by product code; idempotent, answered item by item',
          description:
            'Each item is a whole product (BulkProduct) matched to the store by `code`, its SKUs matched by SKU code: new codes are added, missing ones removed. An item identical to what is stored is `unchanged` and writes nothing. `onHand`, when given, sets the stock (recorded as an adjustment). With `?submit=true`, new and materially changed products are submitted for review; an item that is not ready fails with its reasons.',
          querystring: bulkQuery,
          body: bulkBody,
          response: { 200: bulkResultSchema, ...errors },
        },
      },
      async (request) => bulk.upsert(await writer(request), request.body.products, { submit: request.query.submit }),
    );

    app.get(
      '/api/v1/merchant/products/:id',
      { schema: { tags: ['merchant catalog'], summary: 'One product of the store, with its SKUs and stock', params: idParams, response: { 200: product, ...errors } } },
      async (request) => ({ product: await products.get(await reader(request), request.params.id) }),
    );

    app.patch(
      '/api/v1/merchant/products/:id',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: 'Change a product; a content change of an on-sale product becomes a revision reviewed while the approved version stays on sale',
          description:
            'Given `skus` is the full list after the edit, matched by code. On sale, a change of title, subtitle, description, brand, category, attributes, specs, images or the set of SKUs, or a price move over 30%, creates a revision (`product.revision`) that the automatic review judges at once; the approved version stays on sale until the revision is approved. Stock, weights and smaller price moves apply at once. While a revision is pending, the edit applies to it: content changes are refused (409 revision_in_review; withdraw it first), the rest applies at once. Off the shelf, a content change returns the product to draft. Content cannot change while the product itself is under review (409 product_in_review).',
          params: idParams,
          body: updateProductBody,
          response: { 200: product, ...errors },
        },
      },
      async (request) => ({ product: await products.update(await writer(request), request.params.id, request.body) }),
    );

    app.post(
      '/api/v1/merchant/products/:id/submit',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: 'Submit a draft or rejected product for review (422 not_submittable lists what is missing)',
          params: idParams,
          response: { 200: product, ...errors },
        },
      },
      async (request) => ({ product: await products.submit(await writer(request), request.params.id) }),
    );

    app.delete(
      '/api/v1/merchant/products/:id/revision',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: 'Withdraw the pending revision of a listed product; the approved version stays on sale (409 no_pending_revision)',
          params: idParams,
          response: { 200: product, ...errors },
        },
      },
      async (request) => ({ product: await products.withdrawRevision(await writer(request), request.params.id) }),
    );

    for (const [path, event, summary] of [
      ['off-shelf', 'off_shelf', 'Take an on-sale product off the shelf (下架)'],
      ['on-shelf', 'on_shelf', 'Put an off-shelf product back on sale (上架)'],
    ] as const) {
      app.post(
        `/api/v1/merchant/products/:id/${path}`,
        { schema: { tags: ['merchant catalog'], summary, params: idParams, response: { 200: product, ...errors } } },
        async (request) => ({ product: await products.shelve(await writer(request), request.params.id, event) }),
      );
    }

    // ── Merchant: stock ──
    app.post(
      '/api/v1/merchant/skus/:id/stock',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: 'Set, add or remove stock of a SKU; never below what orders have reserved',
          params: idParams,
          body: stockBody,
          response: { 200: z.object({ sku: skuSchema, adjustment: stockAdjustmentSchema }), ...errors },
        },
      },
      async (request) => stock.adjust(await writer(request), request.params.id, request.body),
    );

    app.get(
      '/api/v1/merchant/skus/:id/stock-adjustments',
      {
        schema: {
          tags: ['merchant catalog'],
          summary: "A SKU's stock history, newest first",
          params: idParams,
          querystring: pageQuery,
          response: { 200: page(stockAdjustmentSchema), ...errors },
        },
      },
      async (request) => stock.history(await reader(request), request.params.id, request.query),
    );

    // ── Merchant: images ──
    await app.register(async (uploads) => {
      await uploads.register(multipart, { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 0, parts: 1 } });
      uploads.post(
        '/api/v1/merchant/images',
        {
          schema: {
            tags: ['merchant catalog'],
            summary: 'Upload a product image (multipart field `file`: JPEG, PNG or WebP, at most 5 MB)',
            description:
              'The real type is read from the bytes; metadata (EXIF, GPS) is stripped and 800 px and 240 px WebP thumbnails are made. Answers 400 not_an_image for anything else and 413 for a file over 5 MB.',
            consumes: ['multipart/form-data'],
            response: { 201: z.object({ image: imageRefSchema }), ...errors },
          },
        },
        async (request, reply) => {
          const access = await writer(request);
          if (!request.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the image as multipart/form-data');
          const file = await request.file();
          if (!file) throw badRequest('file_required', 'Attach the image in a field named file');
          let buffer: Buffer;
          try {
            buffer = await file.toBuffer();
          } catch (err) {
            if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
              throw new AppError(413, 'payload_too_large', `An image may be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`);
            }
            throw err;
          }
          const image = await images.upload(access.merchantId, { buffer, filename: file.filename });
          return reply.status(201).send({ image });
        },
      );
    });

    if (deps.uploadsRoot) {
      fs.mkdirSync(deps.uploadsRoot, { recursive: true });
      // File names carry the image id, so a file never changes: cache it for good.
      await app.register(fastifyStatic, {
        root: deps.uploadsRoot,
        prefix: UPLOADS_PREFIX,
        decorateReply: false,
        index: false,
        maxAge: '365d',
        immutable: true,
      });
    }

    // ── Admin: review ──
    app.get(
      '/api/v1/admin/products',
      {
        schema: {
          tags: ['admin'],
          summary: 'Products by status, oldest submission first (the review queue by default)',
          querystring: reviewQueueQuery,
          response: { 200: page(productSummarySchema), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return review.queue(request.query);
      },
    );

    app.get(
      '/api/v1/admin/products/:id',
      { schema: { tags: ['admin'], summary: 'Any product, as its merchant sees it', params: idParams, response: { 200: product, ...errors } } },
      async (request) => {
        requireRole(request, 'admin');
        return { product: await products.view(request.params.id) };
      },
    );

    app.post(
      '/api/v1/admin/products/:id/approve',
      { schema: { tags: ['admin'], summary: 'Approve a pending product: it goes on sale', params: idParams, response: { 200: product, ...errors } } },
      async (request) => {
        const admin = requireRole(request, 'admin');
        await review.decide({ kind: 'user', id: admin.userId }, request.params.id, { outcome: 'approve' });
        return { product: await products.view(request.params.id) };
      },
    );

    app.post(
      '/api/v1/admin/products/:id/reject',
      {
        schema: {
          tags: ['admin'],
          summary: 'Reject a pending product with a reason the merchant sees',
          params: idParams,
          body: rejectBody,
          response: { 200: product, ...errors },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        await review.decide({ kind: 'user', id: admin.userId }, request.params.id, { outcome: 'reject', reason: request.body.reason });
        return { product: await products.view(request.params.id) };
      },
    );

    // The public product (`GET /api/v1/products/:id`) is served by the search module, the storefront's read
    // side, which caches it with flow-log invalidation; `products.getPublic` is its loader.
  };
}
