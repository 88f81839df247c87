import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import type { Job } from '../../platform/scheduler.js';
import { identityRoutes } from './routes.js';
import { createIdentityService, type IdentityDeps, type PublicUser } from './service.js';
import { IDENTITY_CHANNEL, parseIdentityChange } from './session-cache.js';

export type { IdentityService, PublicUser, RoleProvider } from './service.js';
export { MOBILE_PATTERN, normalizeMobile } from './logins.js';

/** Users, sessions and logins. Other modules use `service` and the request's `principal`. */
export function createIdentityModule(deps: IdentityDeps & { secureCookies: boolean }) {
  const service = createIdentityService(deps);

  // The user read while authenticating, kept for this request so `/me` needs no second read.
  const usersOfRequests = new WeakMap<FastifyRequest, PublicUser>();

  /** Resolves the session cookie into `request.principal` for every request. */
  function registerAuthentication(app: FastifyInstance) {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await service.authenticate(token) : null;
      request.principal = session && { kind: 'user', sessionId: session.sessionId, userId: session.userId, roles: session.roles };
      if (session) usersOfRequests.set(request, session.user);
    });
  }

  const jobs: Job[] = [
    { name: 'identity.expire-sessions', everyMs: 10 * 60_000, sweep: (_db, now) => service.sweepExpiredSessions(now) },
    { name: 'identity.forget-login-failures', everyMs: 10 * 60_000, sweep: (_db, now) => service.sweepStaleThrottles(now) },
  ];

  /** Follows identity changes made by other processes; resolves to a stop function. */
  const followChanges = (database: Pick<Database, 'listen'>) => database.listen(IDENTITY_CHANNEL, (payload) => service.forget(parseIdentityChange(payload)));

  return { service, registerAuthentication, followChanges, routes: identityRoutes(service, { secureCookies: deps.secureCookies, currentUser: (request) => usersOfRequests.get(request) }), jobs };
}

export type IdentityModule = ReturnType<typeof createIdentityModule>;
