import type { FastifyRequest } from 'fastify';
import { AppError, forbidden, unauthenticated } from './errors.js';

/** The roles a person can hold; a user may hold several. */
export type Role = 'customer' | 'merchant' | 'admin';

/** Who is calling. Resolved once per request by the identity module's hook. */
export type Principal = {
  kind: 'user';
  userId: string;
  sessionId: string;
  roles: Role[];
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const SESSION_COOKIE = 'fm_session';

export function requireUser(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = requireUser(request);
  if (!principal.roles.includes(role)) throw forbidden(`This needs the ${role} role`);
  return principal;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for cookie sessions: a browser names the page's origin in `Origin` on every
 * cross-origin unsafe request (and `Sec-Fetch-Site` says whether it is cross-site). A request that
 * carries our session cookie and comes from another origin is refused. Requests without a cookie
 * (API keys, provider callbacks, curl) are not affected.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  if (!UNSAFE_METHODS.has(request.method)) return;
  if (!request.cookies[SESSION_COOKIE]) return;
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site' || fetchSite === 'same-site') throw crossOrigin();
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let sameHost: boolean;
  try {
    // Through URL both sides drop default ports (`localhost:80` is `localhost` over http).
    sameHost = new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    throw crossOrigin();
  }
  if (!sameHost) throw crossOrigin();
}

const crossOrigin = () =>
  new AppError(403, 'cross_origin_refused', 'Requests with a session cookie must come from this site');

/** Everything under /api/v1/admin, known route or not, is for platform admins only. */
export function guardAdminArea(request: FastifyRequest): void {
  const pathname = request.url.split('?')[0]!;
  if (pathname === '/api/v1/admin' || pathname.startsWith('/api/v1/admin/')) requireRole(request, 'admin');
}
