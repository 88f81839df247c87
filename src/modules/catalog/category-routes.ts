import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/auth.js';
import { errorBodySchema } from '../../platform/http.js';
import type { CategoryService } from './categories.js';
import { categorySchema, categoryTreeSchema, createCategoryBody, idParams, updateCategoryBody } from './contract.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema };

export function categoryRoutes(categories: CategoryService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/categories',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The category tree: enabled categories only, in sort order',
          response: { 200: z.object({ items: z.array(categoryTreeSchema) }) },
        },
      },
      async (_request, reply) => {
        void reply.header('cache-control', 'public, max-age=60');
        return { items: await categories.tree({ enabledOnly: true }) };
      },
    );

    app.get(
      '/api/v1/admin/categories',
      {
        schema: {
          tags: ['admin'],
          summary: 'The whole category tree, disabled categories included',
          response: { 200: z.object({ items: z.array(categoryTreeSchema) }), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { items: await categories.tree({ enabledOnly: false }) };
      },
    );

    app.post(
      '/api/v1/admin/categories',
      {
        schema: {
          tags: ['admin'],
          summary: 'Create a category (at most 3 levels); attribute definitions go on leaves',
          body: createCategoryBody,
          response: { 201: z.object({ category: categorySchema }), ...errors },
        },
      },
      async (request, reply) => {
        const admin = requireRole(request, 'admin');
        const category = await categories.create({ kind: 'user', id: admin.userId }, request.body);
        return reply.status(201).send({ category });
      },
    );

    app.patch(
      '/api/v1/admin/categories/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Rename, reorder, enable or disable a category, or change its attribute definitions',
          params: idParams,
          body: updateCategoryBody,
          response: { 200: z.object({ category: categorySchema }), ...errors },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        return { category: await categories.update({ kind: 'user', id: admin.userId }, request.params.id, request.body) };
      },
    );

    app.delete(
      '/api/v1/admin/categories/:id',
      {
        schema: {
          tags: ['admin'],
          summary: 'Delete an empty category (409 category_in_use while it has subcategories or products)',
          params: idParams,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        const admin = requireRole(request, 'admin');
        await categories.remove({ kind: 'user', id: admin.userId }, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
