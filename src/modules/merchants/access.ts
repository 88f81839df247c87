import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { requireUser } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import type { Actor } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import * as repo from './repo.js';
import type { MerchantsService } from './service.js';

export const merchantScopes = ['store:write', 'products:read', 'products:write', 'orders:read', 'orders:write'] as const;
export type MerchantScope = (typeof merchantScopes)[number];

/** Who is acting for which store, resolved from a staff session or an API key. */
export type MerchantAccess = {
  merchantId: string;
  via: 'session' | 'api_key';
  role: 'owner' | 'operator' | 'api_key';
  actor: Actor;
};

/** What a merchant route needs: the scope an API key must hold, and whether it writes. */
export type AccessNeed = { scope: MerchantScope | 'store:read'; write: boolean };

const KEY_PREFIX = 'fmk_';
/** `last_used_at` is written at most this often per key, not on every call. */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

export function createMerchantAccess(deps: { db: Db; clock: Clock; service: MerchantsService }) {
  const { db, clock, service } = deps;

  async function viaApiKey(secret: string, need: AccessNeed): Promise<MerchantAccess & { state: string }> {
    const found = await repo.findLiveApiKey(db, sha256(secret));
    if (!found) throw new AppError(401, 'invalid_api_key', 'The API key is unknown or revoked');
    // Reading the store itself needs only a valid key; everything else needs its scope.
    if (need.scope !== 'store:read' && !found.key.scopes.includes(need.scope)) {
      throw forbidden(`This API key lacks the ${need.scope} scope`, 'missing_scope');
    }
    const now = clock.now();
    if (!found.key.lastUsedAt || now.getTime() - found.key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await repo.touchApiKey(db, found.key.id, now);
    }
    return {
      merchantId: found.merchant.id,
      via: 'api_key',
      role: 'api_key',
      actor: { kind: 'api_key', id: found.key.id, merchantId: found.merchant.id },
      state: found.merchant.state,
    };
  }

  async function viaSession(request: FastifyRequest): Promise<MerchantAccess & { state: string }> {
    const principal = requireUser(request);
    const membership = await service.membership(principal.userId);
    return {
      merchantId: membership.merchant.id,
      via: 'session',
      role: membership.role,
      actor: { kind: 'user', id: principal.userId },
      state: membership.merchant.state,
    };
  }

  /**
   * Resolves the caller's store. Staff sessions act with every scope; API keys with theirs.
   * A suspended store's staff and keys keep read-only access.
   */
  async function access(request: FastifyRequest, need: AccessNeed): Promise<MerchantAccess> {
    const authorization = request.headers.authorization;
    const resolved = authorization?.startsWith('Bearer ') ? await viaApiKey(authorization.slice(7).trim(), need) : await viaSession(request);
    if (resolved.state !== 'active' && resolved.state !== 'suspended') throw forbidden('The store is not open yet', 'store_not_active');
    if (need.write && resolved.state === 'suspended') throw forbidden('The store is suspended: read-only until reactivated', 'store_suspended');
    const { state: _state, ...granted } = resolved;
    return granted;
  }

  return {
    access,

    /** Staff and key management: the owner, in a browser session, only. */
    async ownerAccess(request: FastifyRequest, write: boolean): Promise<MerchantAccess> {
      if (request.headers.authorization?.startsWith('Bearer ')) throw forbidden('API keys cannot manage staff or keys', 'session_required');
      const granted = await access(request, { scope: 'store:read', write });
      if (granted.role !== 'owner') throw forbidden('Only the store owner may do this', 'owner_only');
      return granted;
    },

    async createKey(merchantId: string, createdBy: string, input: { name: string; scopes: MerchantScope[] }) {
      const secret = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const key = await repo.insertApiKey(db, {
        id: newId('apiKey'),
        merchantId,
        name: input.name,
        scopes: [...new Set(input.scopes)],
        secretHash: sha256(secret),
        prefix: secret.slice(0, KEY_PREFIX.length + 6),
        createdBy,
        createdAt: clock.now(),
      });
      return { key, secret };
    },

    listKeys: (merchantId: string) => repo.listApiKeys(db, merchantId),

    async revokeKey(merchantId: string, keyId: string) {
      if (!(await repo.revokeApiKey(db, merchantId, keyId, clock.now()))) throw notFound('API key');
    },
  };
}

export type MerchantAccessControl = ReturnType<typeof createMerchantAccess>;
