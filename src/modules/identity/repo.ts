import { and, desc, eq, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db.js';
import { loginThrottle, sessions, users } from './schema.js';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export async function insertUser(exec: Executor, row: typeof users.$inferInsert): Promise<UserRow> {
  const [created] = await exec.insert(users).values(row).returning();
  return created!;
}

export async function findUserById(exec: Executor, id: string): Promise<UserRow | undefined> {
  const [row] = await exec.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByLogin(exec: Executor, login: { email: string } | { mobile: string }): Promise<UserRow | undefined> {
  const where = 'email' in login ? eq(users.email, login.email) : eq(users.mobile, login.mobile);
  const [row] = await exec.select().from(users).where(where);
  return row;
}

export async function findUsersByIds(exec: Executor, ids: string[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return exec.select().from(users).where(inArray(users.id, ids));
}

export async function setPlatformRole(exec: Executor, userId: string, role: UserRow['platformRole'], at: Date) {
  await exec.update(users).set({ platformRole: role, updatedAt: at }).where(eq(users.id, userId));
}

/** Newest first; the cursor is the last id seen (ids sort by creation time). */
export async function listUsers(exec: Executor, query: { q?: string; cursor?: string; limit: number }): Promise<UserRow[]> {
  const conditions = [];
  if (query.cursor) conditions.push(lt(users.id, query.cursor));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(users.email, pattern), ilike(users.mobile, pattern), ilike(users.name, pattern), eq(users.id, query.q)));
  }
  return exec
    .select()
    .from(users)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(users.id))
    .limit(query.limit);
}

export async function insertSession(exec: Executor, row: typeof sessions.$inferInsert): Promise<void> {
  await exec.insert(sessions).values(row);
}

export async function findLiveSession(exec: Executor, tokenHash: string, now: Date) {
  const [row] = await exec
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), sql`${sessions.expiresAt} > ${now}`));
  return row;
}

export async function touchSession(exec: Executor, id: string, lastSeenAt: Date, expiresAt: Date) {
  await exec.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id));
}

export async function deleteSession(exec: Executor, id: string) {
  await exec.delete(sessions).where(eq(sessions.id, id));
}

/** Deletes up to `limit` expired sessions, skipping rows another process holds. */
export async function deleteExpiredSessions(exec: Executor, now: Date, limit: number): Promise<number> {
  const due = exec
    .select({ id: sessions.id })
    .from(sessions)
    .where(sql`${sessions.expiresAt} <= ${now}`)
    .limit(limit)
    .for('update', { skipLocked: true });
  const deleted = await exec.delete(sessions).where(sql`${sessions.id} in ${due}`).returning({ id: sessions.id });
  return deleted.length;
}

export async function findThrottle(exec: Executor, keys: string[]) {
  return exec
    .select()
    .from(loginThrottle)
    .where(or(...keys.map((k) => eq(loginThrottle.key, k))));
}

/** Counts one failure for `key`, starting a new window when the old one has passed. */
export async function recordFailure(exec: Executor, key: string, now: Date, windowStart: Date): Promise<number> {
  const [row] = await exec
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${now} else ${loginThrottle.windowStartedAt} end`,
      },
    })
    .returning({ failures: loginThrottle.failures });
  return row!.failures;
}

export async function lockKey(exec: Executor, key: string, until: Date) {
  await exec.update(loginThrottle).set({ lockedUntil: until }).where(eq(loginThrottle.key, key));
}

export async function clearThrottle(exec: Executor, key: string) {
  await exec.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

export async function deleteStaleThrottles(exec: Executor, before: Date, limit: number): Promise<number> {
  const due = exec
    .select({ key: loginThrottle.key })
    .from(loginThrottle)
    .where(and(lt(loginThrottle.windowStartedAt, before), or(sql`${loginThrottle.lockedUntil} is null`, lt(loginThrottle.lockedUntil, before))))
    .limit(limit)
    .for('update', { skipLocked: true });
  const deleted = await exec.delete(loginThrottle).where(sql`${loginThrottle.key} in ${due}`).returning({ key: loginThrottle.key });
  return deleted.length;
}
