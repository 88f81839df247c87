import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/auth.js';
import type { Db } from '../../platform/db.js';
import { errorBodySchema } from '../../platform/http.js';
import { csvQuery, funnelSchema, ocelQuery, periodQuery, stepsQuery, stepsSchema } from './contract.js';
import { csvExport, type Export, ocelExport } from './export.js';
import { type AnalyticsService, knownObjectTypes } from './service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };
const tags = ['admin analytics'];
const stamp = (at: Date) => at.toISOString().slice(0, 10);

/** Platform routes (admins only): funnels, step durations, and the log's exports. */
export function analyticsRoutes(deps: { db: Db; service: AnalyticsService }): FastifyPluginAsyncZod {
  const { db, service } = deps;

  return async (app) => {
    const download = (reply: import('fastify').FastifyReply, file: Export, type: string, name: string) =>
      reply
        .type(type)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-flowmart-events-in-period', String(file.total))
        .header('x-flowmart-truncated', String(file.truncated))
        .send(Readable.from(file.chunks));

    app.get(
      '/api/v1/admin/analytics/funnel',
      {
        schema: {
          tags,
          summary: 'The shopping, listing and store-onboarding funnels of a period (default: the last 30 days)',
          description:
            'Carts: distinct carts that got an item in the period. Orders, products and stores are cohorts (placed, submitted, applied in the period) followed to where they have come since; an order counts at a stage when it reached it or a later one. Each step has its count and its share of the previous and of the first step.',
          querystring: periodQuery,
          response: { 200: z.object({ funnel: funnelSchema }), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { funnel: await service.funnel(service.periodOf(request.query)) };
      },
    );

    app.get(
      '/api/v1/admin/analytics/steps',
      {
        schema: {
          tags,
          summary: "Durations between consecutive state changes of one object type's objects: count, median, p90, max per step; the bottleneck has the largest median",
          description: 'A step belongs to the period in which it ends. Unknown object types are a 400 `unknown_object_type`.',
          querystring: stepsQuery,
          response: { 200: z.object({ steps: stepsSchema }), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return { steps: await service.steps(request.query.objectType, service.periodOf(request.query)) };
      },
    );

    app.get(
      '/api/v1/admin/analytics/export.ocel.json',
      {
        schema: {
          tags,
          summary: 'The flow log of a period as OCEL 2.0 JSON (PM4Py read_ocel2_json, Ocelot, …), streamed',
          description:
            'At most `limit` events, oldest first; headers `x-flowmart-events-in-period` and `x-flowmart-truncated`, and the trailing `flowmart` member, say whether it stopped short (narrow the period to get the rest).',
          querystring: ocelQuery,
          produces: ['application/json'],
          response: errors,
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const { objectTypes, limit } = request.query;
        const period = service.periodOf(request.query);
        const only = objectTypes === undefined ? undefined : knownObjectTypes(objectTypes.split(',').map((t) => t.trim()).filter(Boolean));
        const file = await ocelExport(db, period, { objectTypes: only, limit });
        return download(reply, file, 'application/json; charset=utf-8', `flowmart-${stamp(period.from)}-${stamp(period.to)}.ocel.json`);
      },
    );

    app.get(
      '/api/v1/admin/analytics/export.csv',
      {
        schema: {
          tags,
          summary: 'A classic event log CSV of one object type (case id, activity, timestamp, resource) for Disco, ProM, Celonis; streamed',
          description: 'One case per object of `objectType`; its own events, oldest first, at most `limit` rows (see `x-flowmart-truncated`).',
          querystring: csvQuery,
          produces: ['text/csv'],
          response: errors,
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const [objectType] = knownObjectTypes([request.query.objectType]);
        const period = service.periodOf(request.query);
        const file = await csvExport(db, period, { objectType: objectType!, limit: request.query.limit });
        return download(reply, file, 'text/csv; charset=utf-8', `flowmart-${objectType}-${stamp(period.from)}-${stamp(period.to)}.csv`);
      },
    );
  };
}
