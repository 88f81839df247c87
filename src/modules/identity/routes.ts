import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole, requireUser, SESSION_COOKIE } from '../../platform/auth.js';
import { unauthenticated } from '../../platform/errors.js';
import { errorBodySchema } from '../../platform/http.js';
import { MOBILE_PATTERN, normalizeMobile } from './logins.js';
import type { ClientInfo, IdentityService, PublicUser } from './service.js';

const roleSchema = z.enum(['customer', 'merchant', 'admin']);

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    mobile: z.string().nullable(),
    name: z.string(),
    roles: z.array(roleSchema),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

const passwordSchema = z.string().min(8, 'at least 8 characters').max(128, 'at most 128 characters');

export const registerBody = z
  .strictObject({
    email: z.string().trim().pipe(z.email().max(254)).optional(),
    mobile: z
      .string()
      .transform(normalizeMobile)
      .pipe(z.string().regex(MOBILE_PATTERN, 'a mainland mobile number: 11 digits starting 13–19'))
      .optional(),
    password: passwordSchema,
    name: z.string().trim().min(1).max(40).optional(),
  })
  .refine((b) => (b.email === undefined) !== (b.mobile === undefined), {
    message: 'give either email or mobile, not both',
    path: ['email'],
  })
  .meta({ example: { email: 'li.lei@example.com', password: 'correct horse', name: '李雷' } });

export const loginBody = z
  .strictObject({ login: z.string().trim().min(1).max(254), password: z.string().min(1).max(128) })
  .meta({ example: { login: '13812345678', password: 'correct horse' } });

const userListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema, 429: errorBodySchema };

export function identityRoutes(
  identity: IdentityService,
  options: { secureCookies: boolean; currentUser: (request: FastifyRequest) => PublicUser | undefined },
): FastifyPluginAsyncZod {
  const setSessionCookie = (reply: FastifyReply, session: { token: string; maxAgeSeconds: number }) =>
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookies,
      maxAge: session.maxAgeSeconds,
    });
  const client = (request: FastifyRequest): ClientInfo => ({ ip: request.ip, userAgent: request.headers['user-agent'] });

  return async (app) => {
    app.post(
      '/api/v1/auth/register',
      {
        schema: {
          tags: ['auth'],
          summary: 'Register with an email address or a mainland mobile number',
          body: registerBody,
          response: { 201: z.object({ user: userSchema }), ...errors },
        },
      },
      async (request, reply) => {
        const { user, session } = await identity.register(request.body, client(request));
        setSessionCookie(reply, session);
        return reply.status(201).send({ user });
      },
    );

    app.post(
      '/api/v1/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: 'Log in with email or mobile and password; sets the session cookie',
          body: loginBody,
          response: { 200: z.object({ user: userSchema }), ...errors },
        },
      },
      async (request, reply) => {
        const { user, session } = await identity.login(request.body, client(request));
        setSessionCookie(reply, session);
        return { user };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      { schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        if (request.principal) await identity.logout(request.principal.sessionId);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me',
      { schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: z.object({ user: userSchema }), ...errors } } },
      async (request) => {
        requireUser(request);
        const user = options.currentUser(request);
        if (!user) throw unauthenticated();
        return { user };
      },
    );

    app.get(
      '/api/v1/admin/users',
      {
        schema: {
          tags: ['admin'],
          summary: 'List and search users (newest first)',
          querystring: userListQuery,
          response: { 200: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        return identity.listUsers(request.query);
      },
    );
  };
}
