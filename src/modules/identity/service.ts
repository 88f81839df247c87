import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Role } from '../../platform/auth.js';
import type { Clock } from '../../platform/clock.js';
import { type Db, isUniqueViolation } from '../../platform/db.js';
import { conflict, tooManyRequests } from '../../platform/errors.js';
import { appendFlowEvent } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { invalidCredentials, type LoginName, loginKey, normalizeEmail, normalizeMobile, parseLoginName } from './logins.js';
import { burnVerifyTime, hashPassword, verifyPassword } from './passwords.js';
import * as repo from './repo.js';
import { createSessionCache, IDENTITY_CHANNEL, type IdentityChange } from './session-cache.js';

const SESSION_TTL_MS = 30 * 24 * 3600_000;
/** A session's expiry slides forward on use, but at most one write per this interval. */
const SESSION_TOUCH_MS = 3600_000;

/** Failed logins: after `freeFailures` in a window, each further failure locks the key, doubling. */
const THROTTLE = {
  windowMs: 15 * 60_000,
  account: { freeFailures: 5 },
  address: { freeFailures: 20 },
  firstLockMs: 30_000,
  maxLockMs: 15 * 60_000,
};

export type PublicUser = {
  id: string;
  email: string | null;
  mobile: string | null;
  name: string;
  roles: Role[];
  /** ISO 8601, UTC. */
  createdAt: string;
};

/** Other modules add roles (e.g. merchants: `merchant` for store staff). */
export type RoleProvider = (userId: string) => Promise<Role[]>;

export type IdentityDeps = { db: Db; clock: Clock };

export function createIdentityService(deps: IdentityDeps) {
  const { db, clock } = deps;
  // Filled by modules wired after identity (explicit wiring, see app.ts).
  const roleProviders: RoleProvider[] = [];
  const sessions = createSessionCache<Awaited<ReturnType<typeof readSession>> & {}>({ max: 50_000, ttlMs: 60_000 });

  async function readSession(tokenHash: string, now: Date) {
    const found = await repo.findLiveSession(db, tokenHash, now);
    if (!found) return undefined;
    const user = await toPublic(found.user);
    return { sessionId: found.session.id, userId: user.id, roles: user.roles, user, expiresAt: found.session.expiresAt, lastSeenAt: found.session.lastSeenAt };
  }

  /** Drops cached sessions here at once and, through NOTIFY, in every other process. */
  async function announce(change: IdentityChange) {
    sessions.drop(change);
    await db.execute(sql`select pg_notify(${IDENTITY_CHANNEL}, ${JSON.stringify(change)})`);
  }

  async function rolesOf(user: repo.UserRow): Promise<Role[]> {
    const roles = new Set<Role>(['customer']);
    if (user.platformRole) roles.add('admin');
    for (const provide of roleProviders) for (const r of await provide(user.id)) roles.add(r);
    return [...roles];
  }

  async function toPublic(user: repo.UserRow): Promise<PublicUser> {
    return { id: user.id, email: user.email, mobile: user.mobile, name: user.name, roles: await rolesOf(user), createdAt: user.createdAt.toISOString() };
  }

  async function openSession(userId: string, client: ClientInfo) {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const id = newId('session');
    await repo.insertSession(db, {
      id,
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      userAgent: client.userAgent?.slice(0, 300) ?? null,
      ip: client.ip,
    });
    return { token, maxAgeSeconds: SESSION_TTL_MS / 1000 };
  }

  async function assertNotLocked(keys: string[], now: Date) {
    const locks = await repo.findThrottle(db, keys);
    const until = Math.max(0, ...locks.map((l) => l.lockedUntil?.getTime() ?? 0));
    if (until > now.getTime()) throw tooManyRequests('too_many_attempts', Math.ceil((until - now.getTime()) / 1000));
  }

  async function countFailure(key: string, freeFailures: number, now: Date) {
    const failures = await repo.recordFailure(db, key, now, new Date(now.getTime() - THROTTLE.windowMs));
    if (failures > freeFailures) {
      const lockMs = Math.min(THROTTLE.maxLockMs, THROTTLE.firstLockMs * 2 ** (failures - freeFailures - 1));
      await repo.lockKey(db, key, new Date(now.getTime() + lockMs));
    }
  }

  return {
    addRoleProvider(provider: RoleProvider) {
      roleProviders.push(provider);
    },

    async register(input: { email?: string; mobile?: string; password: string; name?: string }, client: ClientInfo) {
      const email = input.email ? normalizeEmail(input.email) : null;
      const mobile = input.mobile ? normalizeMobile(input.mobile) : null;
      const login: LoginName = email ? { email } : { mobile: mobile! };
      if (await repo.findUserByLogin(db, login)) throw takenError(login);
      const now = clock.now();
      const passwordHash = await hashPassword(input.password);
      const user = await db
        .transaction(async (tx) => {
          const created = await repo.insertUser(tx, {
            id: newId('user'),
            email,
            mobile,
            name: input.name?.trim() || defaultName(login),
            passwordHash,
            createdAt: now,
            updatedAt: now,
          });
          await appendFlowEvent(tx, {
            type: 'user.register',
            objectType: 'user',
            objectId: created.id,
            actor: { kind: 'user', id: created.id },
            occurredAt: now,
            data: { via: email ? 'email' : 'mobile' },
          });
          return created;
        })
        .catch((err: unknown) => {
          // Two registrations of one login raced: the unique index decides.
          if (isUniqueViolation(err)) throw takenError(login);
          throw err;
        });
      const session = await openSession(user.id, client);
      return { user: await toPublic(user), session };
    },

    async login(input: { login: string; password: string }, client: ClientInfo) {
      const name = parseLoginName(input.login);
      const accountKey = loginKey(name);
      const addressKey = `address:${client.ip}`;
      const now = clock.now();
      await assertNotLocked([accountKey, addressKey], now);
      const user = await repo.findUserByLogin(db, name);
      const ok = user ? await verifyPassword(user.passwordHash, input.password) : (await burnVerifyTime(input.password), false);
      if (!user || !ok) {
        await countFailure(accountKey, THROTTLE.account.freeFailures, now);
        await countFailure(addressKey, THROTTLE.address.freeFailures, now);
        throw invalidCredentials();
      }
      await repo.clearThrottle(db, accountKey);
      const session = await openSession(user.id, client);
      return { user: await toPublic(user), session };
    },

    async logout(sessionId: string) {
      await repo.deleteSession(db, sessionId);
      await announce({ sessionId });
    },

    /** Resolves a session cookie to its user (cached, see session-cache.ts), sliding the expiry forward now and then. */
    async authenticate(token: string) {
      const now = clock.now();
      const key = hashToken(token);
      let found = sessions.get(key);
      if (!found || found.expiresAt <= now) {
        const readAt = sessions.generation();
        found = await readSession(key, now);
        if (!found) return null;
        sessions.set(key, found, readAt);
      }
      if (now.getTime() - found.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
        const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
        await repo.touchSession(db, found.sessionId, now, expiresAt);
        Object.assign(found, { lastSeenAt: now, expiresAt });
      }
      return { sessionId: found.sessionId, userId: found.userId, roles: found.roles, user: found.user };
    },

    /** Other modules call this after changing what a user's roles derive from (e.g. store staff). */
    async rolesChanged(userIds: readonly string[]) {
      if (userIds.length > 0) await announce({ userIds: [...userIds] });
    },

    /** Applies a change announced by another process (the module listens on IDENTITY_CHANNEL). */
    forget: (change: IdentityChange) => sessions.drop(change),

    /** The account behind an email or mobile as typed, for other modules (e.g. inviting staff). */
    async findByLogin(login: string) {
      const user = await repo.findUserByLogin(db, parseLoginName(login));
      return user ? toPublic(user) : null;
    },

    async usersByIds(ids: string[]) {
      return Promise.all((await repo.findUsersByIds(db, ids)).map(toPublic));
    },

    async listUsers(query: { q?: string; cursor?: string; limit: number }) {
      const rows = await repo.listUsers(db, { ...query, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      return {
        items: await Promise.all(page.map(toPublic)),
        nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
      };
    },

    /**
     * Makes sure the platform admin from the configuration exists. Returns the password when it
     * had to generate one, so that start-up can print it once.
     */
    async ensurePlatformAdmin(input: { email: string; password?: string }) {
      const email = normalizeEmail(input.email);
      const existing = await repo.findUserByLogin(db, { email });
      const now = clock.now();
      if (existing) {
        if (existing.platformRole !== 'super') {
          await repo.setPlatformRole(db, existing.id, 'super', now);
          await announce({ userIds: [existing.id] });
        }
        return { userId: existing.id, created: false, generatedPassword: undefined };
      }
      const generatedPassword = input.password ? undefined : randomBytes(12).toString('base64url');
      const user = await repo.insertUser(db, {
        id: newId('user'),
        email,
        mobile: null,
        name: '平台管理员',
        passwordHash: await hashPassword(input.password ?? generatedPassword!),
        platformRole: 'super',
        createdAt: now,
        updatedAt: now,
      });
      return { userId: user.id, created: true, generatedPassword };
    },

    /** For seeds and tests: an account with a known password, created if missing. */
    async ensureUser(input: { email?: string; mobile?: string; password: string; name: string }) {
      const login: LoginName = input.email ? { email: normalizeEmail(input.email) } : { mobile: normalizeMobile(input.mobile!) };
      const existing = await repo.findUserByLogin(db, login);
      if (existing) return existing.id;
      const now = clock.now();
      const user = await repo.insertUser(db, {
        id: newId('user'),
        email: 'email' in login ? login.email : null,
        mobile: 'mobile' in login ? login.mobile : null,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        createdAt: now,
        updatedAt: now,
      });
      return user.id;
    },

    async sweepExpiredSessions(now: Date) {
      return repo.deleteExpiredSessions(db, now, 500);
    },

    async sweepStaleThrottles(now: Date) {
      return repo.deleteStaleThrottles(db, new Date(now.getTime() - THROTTLE.windowMs), 500);
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;

export type ClientInfo = { ip: string; userAgent?: string };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function takenError(login: LoginName) {
  return 'email' in login
    ? conflict('email_taken', 'An account with this email already exists')
    : conflict('mobile_taken', 'An account with this mobile number already exists');
}

function defaultName(login: LoginName): string {
  return 'email' in login ? login.email.split('@')[0]!.slice(0, 40) : `用户${login.mobile.slice(-4)}`;
}
