import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../platform/http.js';
import { publicProductSchema } from '../catalog/index.js';
import { idParams, productPageSchema, productSearchQuery, storeSchema, suggestQuery, suggestResponse, zeroResultSchema, zeroResultsQuery } from './contract.js';
import type { Indexer } from './indexer.js';
import type { SearchService } from './service.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export function searchRoutes(deps: { service: SearchService; indexer: Indexer; onClose: () => Promise<void> }): FastifyPluginAsyncZod {
  const { service, indexer } = deps;
  return async (app) => {
    app.addHook('onClose', deps.onClose);

    app.get(
      '/api/v1/products',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Browse and search products on sale: filters, sorts, cursor pagination',
          description:
            'Only on-sale products of open stores. With `q`, Chinese is segmented (jieba) and English is case- and plural-insensitive; when fewer than 3 products hold every word, the closest matches answer instead (`query.fuzzy`), typos corrected where the index knows a near word (`query.correctedQuery`). Sorts: `relevance` (综合: title above description, phrase above scattered words, in stock above sold out, a mild boost for units sold; without `q`: in stock first, then units sold), `sales`, `price_asc`, `price_desc`, `newest`. `category` includes its descendants. `facets=true` adds counts per sub-category, store, spec value and the price span on the first page.',
          querystring: productSearchQuery,
          response: { 200: productPageSchema, ...errors },
        },
      },
      // Sent as the cached JSON text: the schema above checked it when the page was made.
      async (request, reply) => reply.type(JSON_TYPE).send((await service.listJson(request.query, { admin: request.principal?.roles.includes('admin') ?? false })) as never),
    );

    app.get(
      '/api/v1/products/:id',
      {
        schema: {
          tags: ['catalog'],
          summary: 'A product on sale, with its SKUs and availability (404 unless on sale in an open store)',
          params: idParams,
          response: { 200: z.object({ product: publicProductSchema }), 404: errorBodySchema },
        },
      },
      async (request, reply) => reply.type(JSON_TYPE).send((await service.productJson(request.params.id)) as never),
    );

    app.get(
      '/api/v1/search/suggest',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Suggestions while typing: popular queries, categories and product titles',
          querystring: suggestQuery,
          response: { 200: suggestResponse, 400: errorBodySchema },
        },
      },
      async (request) => ({ items: await service.suggest(request.query.q) }),
    );

    app.get(
      '/api/v1/stores/:id',
      {
        schema: {
          tags: ['catalog'],
          summary: 'A store’s public page (404 unless the store is open); its products are `GET /api/v1/products?store=`',
          params: idParams,
          response: { 200: z.object({ store: storeSchema }), 404: errorBodySchema },
        },
      },
      async (request) => ({ store: await service.store(request.params.id) }),
    );

    app.get(
      '/api/v1/admin/search/zero-results',
      {
        schema: {
          tags: ['admin'],
          summary: 'Queries that found nothing, most frequent first',
          querystring: zeroResultsQuery,
          response: { 200: z.object({ items: z.array(zeroResultSchema), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (request) => service.zeroResults(request.query),
    );

    app.post(
      '/api/v1/admin/search/reindex',
      {
        schema: {
          tags: ['admin'],
          summary: 'Rebuild the whole search index from the catalog (the flow log keeps it current otherwise)',
          response: { 200: z.object({ indexed: z.number().int() }), ...errors },
        },
      },
      async () => ({ indexed: await indexer.rebuildAll() }),
    );
  };
}
