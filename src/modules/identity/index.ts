import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../platform/auth.js';
import type { Job } from '../../platform/scheduler.js';
import { identityRoutes } from './routes.js';
import { createIdentityService, type IdentityDeps } from './service.js';

export type { IdentityService, PublicUser, RoleProvider } from './service.js';
export { MOBILE_PATTERN, normalizeMobile } from './logins.js';

/** Users, sessions and logins. Other modules use `service` and the request's `principal`. */
export function createIdentityModule(deps: IdentityDeps & { secureCookies: boolean }) {
  const service = createIdentityService(deps);

  /** Resolves the session cookie into `request.principal` for every request. */
  function registerAuthentication(app: FastifyInstance) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      request.principal = token ? await service.authenticate(token).then((s) => (s ? { kind: 'user' as const, ...s } : null)) : null;
    });
  }

  const jobs: Job[] = [
    { name: 'identity.expire-sessions', everyMs: 10 * 60_000, sweep: (_db, now) => service.sweepExpiredSessions(now) },
    { name: 'identity.forget-login-failures', everyMs: 10 * 60_000, sweep: (_db, now) => service.sweepStaleThrottles(now) },
  ];

  return { service, registerAuthentication, routes: identityRoutes(service, { secureCookies: deps.secureCookies }), jobs };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
