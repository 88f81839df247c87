import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import client from 'prom-client';
import { z } from 'zod';
import { AppError } from './errors.js';

/** The one error shape every route answers with; also documented in OpenAPI. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});

function send(reply: FastifyReply, request: FastifyRequest, status: number, code: string, message: string, details?: unknown) {
  return reply.status(status).send({ error: { code, message, details, requestId: String(request.id) } });
}

/** Fastify's own errors that are the client's fault, by Fastify error code. */
const clientErrors: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_request' },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type' },
};

/**
 * What a page's server-rendered `<head>` says (title, and tags such as meta description, Open Graph
 * and JSON-LD), for crawlers and link previews; undefined leaves the app's index.html as it is.
 */
export type PageHead = { title: string; tags: string };
export type PageHeadHook = (page: { pathname: string; origin: string }) => Promise<PageHead | undefined>;

/** The app's index.html with a page's title and head tags; its own title and description give way. */
export function withPageHead(html: string, head: PageHead): string {
  const title = head.title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return html
    .replace(/<title>[\s\S]*?<\/title>/, () => `<title>${title}</title>`)
    .replace(/<meta name="description"[^>]*>\s*/, '')
    .replace('</head>', () => `${head.tags}\n  </head>`);
}

/** Maps every error to `{ error: { code, message, details, requestId } }`; a 500 leaks nothing. */
export function registerErrorHandling(app: FastifyInstance, options: { spaIndex?: string; pageHead?: PageHeadHook } = {}): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      if (err.headers) void reply.headers(err.headers);
      return send(reply, request, err.status, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.flatMap((v) => {
        const at = [err.validationContext, ...v.instancePath.split('/').filter(Boolean)];
        // An unknown field is reported at the field itself, so the client can point at it.
        const unknownKeys = v.keyword === 'unrecognized_keys' ? ((v.params as { keys?: string[] }).keys ?? []) : [];
        if (unknownKeys.length > 0) return unknownKeys.map((key) => ({ path: [...at, key].join('.'), message: 'unknown field' }));
        return [{ path: at.join('.'), message: v.message ?? 'invalid' }];
      });
      return send(reply, request, 400, 'validation_failed', 'The request is not valid', { fields });
    }
    if (err.code && clientErrors[err.code]) {
      const known = clientErrors[err.code]!;
      return send(reply, request, known.status, known.code, err.message);
    }
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return send(reply, request, 400, 'malformed_json', 'The body is not valid JSON');
    }
    if (err.statusCode === 429) {
      return send(reply, request, 429, 'rate_limited', 'Too many requests, slow down');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, request, err.statusCode, 'bad_request', err.message);
    }
    if (isResponseSerializationError(err)) request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
    else request.log.error({ err }, 'unhandled error');
    return send(reply, request, 500, 'internal_error', 'Something went wrong on our side');
  });

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0]!;
    // The web app routes in the browser: any page path that is not a file or an API gets index.html.
    if (options.spaIndex && request.method === 'GET' && !isMachinePath(pathname) && !path.extname(pathname)) {
      const head = options.pageHead ? await options.pageHead({ pathname, origin: `${request.protocol}://${request.host}` }).catch(() => undefined) : undefined;
      void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
      if (head) return reply.send(withPageHead(await fs.promises.readFile(options.spaIndex, 'utf8'), head));
      return reply.send(fs.createReadStream(options.spaIndex));
    }
    return send(reply, request, 404, 'not_found', `No route for ${request.method} ${pathname}`);
  });
}

function isMachinePath(pathname: string): boolean {
  return /^\/(api|docs|metrics|healthz|readyz|openapi\.json)(\/|$)/.test(pathname);
}

/** Prometheus metrics: process defaults plus a request histogram labelled by route pattern. */
export function registerMetrics(app: FastifyInstance): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const duration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}

/**
 * JSON bodies, where an empty body means no body: clients often send `content-type:
 * application/json` on body-less POSTs (submit, logout). Routes that need a body still get a 400
 * from their schema.
 */
export function registerJsonParser(app: FastifyInstance): void {
  // Fastify's own parser, which refuses __proto__ and constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (String(body).trim() === '') return done(null, undefined);
    parseJson(request, String(body), done);
  });
}

/** This process's own address, for providers calling back when no public URL is configured. */
export function listeningUrl(app: FastifyInstance): string | undefined {
  const address = app.server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') return undefined;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
