import { and, desc, eq, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import { type Db, type Executor, preparedPerExecutor } from '../../platform/db.js';
import type { MerchantState } from './states.js';
import { merchantApiKeys, merchants, merchantStaff, type StaffRole } from './schema.js';

export type MerchantRow = typeof merchants.$inferSelect;
export type ApiKeyRow = typeof merchantApiKeys.$inferSelect;

export async function insertMerchant(exec: Executor, row: typeof merchants.$inferInsert): Promise<MerchantRow> {
  const [created] = await exec.insert(merchants).values(row).returning();
  return created!;
}

export async function findMerchant(exec: Executor, id: string): Promise<MerchantRow | undefined> {
  const [row] = await exec.select().from(merchants).where(eq(merchants.id, id));
  return row;
}

export async function findMerchantByName(exec: Executor, name: string): Promise<MerchantRow | undefined> {
  const [row] = await exec.select().from(merchants).where(sql`lower(${merchants.name}) = lower(${name})`);
  return row;
}

/** The newest application or store of a user. */
export async function findLatestOfApplicant(exec: Executor, userId: string): Promise<MerchantRow | undefined> {
  const [row] = await exec.select().from(merchants).where(eq(merchants.applicantUserId, userId)).orderBy(desc(merchants.id)).limit(1);
  return row;
}

/** Compare-and-set on the state, for `transition()`. */
export async function moveMerchant(
  exec: Executor,
  id: string,
  from: MerchantState,
  to: MerchantState,
  changes: Partial<typeof merchants.$inferInsert>,
): Promise<boolean> {
  const moved = await exec
    .update(merchants)
    .set({ ...changes, state: to })
    .where(and(eq(merchants.id, id), eq(merchants.state, from)))
    .returning({ id: merchants.id });
  return moved.length === 1;
}

export async function updateMerchant(exec: Executor, id: string, changes: Partial<typeof merchants.$inferInsert>): Promise<MerchantRow> {
  const [row] = await exec.update(merchants).set(changes).where(eq(merchants.id, id)).returning();
  return row!;
}

export async function listMerchants(exec: Executor, query: { state?: MerchantState; q?: string; cursor?: string; limit: number }) {
  const conditions = [];
  if (query.state) conditions.push(eq(merchants.state, query.state));
  if (query.cursor) conditions.push(lt(merchants.id, query.cursor));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(merchants.name, pattern), ilike(merchants.creditCode, pattern), eq(merchants.id, query.q)));
  }
  return exec
    .select()
    .from(merchants)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(merchants.id))
    .limit(query.limit);
}

const idsInStateAmong = preparedPerExecutor((db) =>
  db
    .select({ id: merchants.id })
    .from(merchants)
    .where(and(eq(merchants.state, sql.placeholder('state')), sql`${merchants.id} = any(${sql.placeholder('among')}::text[])`))
    .prepare('merchant_ids_in_state_among'),
);

/** Ids of the stores in `state`, of all or of those named (checkout asks for its stores: prepared). */
export async function idsInState(db: Db, state: MerchantState, among?: readonly string[]): Promise<string[]> {
  if (among?.length === 0) return [];
  const rows = among ? await idsInStateAmong(db).execute({ state, among: [...among] }) : await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.state, state));
  return rows.map((r) => r.id);
}

export async function insertStaff(exec: Executor, row: typeof merchantStaff.$inferInsert) {
  await exec.insert(merchantStaff).values(row);
}

/** The store a user works for, with the user's role there. */
export async function findStaffMembership(exec: Executor, userId: string) {
  const [row] = await exec
    .select({ role: merchantStaff.role, merchant: merchants })
    .from(merchantStaff)
    .innerJoin(merchants, eq(merchants.id, merchantStaff.merchantId))
    .where(eq(merchantStaff.userId, userId));
  return row;
}

export async function listStaff(exec: Executor, merchantId: string) {
  return exec.select().from(merchantStaff).where(eq(merchantStaff.merchantId, merchantId)).orderBy(merchantStaff.addedAt);
}

export async function deleteStaff(exec: Executor, merchantId: string, userId: string, role: StaffRole): Promise<boolean> {
  const deleted = await exec
    .delete(merchantStaff)
    .where(and(eq(merchantStaff.merchantId, merchantId), eq(merchantStaff.userId, userId), eq(merchantStaff.role, role)))
    .returning({ userId: merchantStaff.userId });
  return deleted.length === 1;
}

export async function insertApiKey(exec: Executor, row: typeof merchantApiKeys.$inferInsert): Promise<ApiKeyRow> {
  const [created] = await exec.insert(merchantApiKeys).values(row).returning();
  return created!;
}

export async function listApiKeys(exec: Executor, merchantId: string) {
  return exec.select().from(merchantApiKeys).where(eq(merchantApiKeys.merchantId, merchantId)).orderBy(desc(merchantApiKeys.id));
}

export async function findLiveApiKey(exec: Executor, secretHash: string) {
  const [row] = await exec
    .select({ key: merchantApiKeys, merchant: merchants })
    .from(merchantApiKeys)
    .innerJoin(merchants, eq(merchants.id, merchantApiKeys.merchantId))
    .where(and(eq(merchantApiKeys.secretHash, secretHash), isNull(merchantApiKeys.revokedAt)));
  return row;
}

export async function touchApiKey(exec: Executor, id: string, at: Date) {
  await exec.update(merchantApiKeys).set({ lastUsedAt: at }).where(eq(merchantApiKeys.id, id));
}

export async function revokeApiKey(exec: Executor, merchantId: string, id: string, at: Date) {
  const revoked = await exec
    .update(merchantApiKeys)
    .set({ revokedAt: at })
    .where(and(eq(merchantApiKeys.id, id), eq(merchantApiKeys.merchantId, merchantId), isNull(merchantApiKeys.revokedAt)))
    .returning({ id: merchantApiKeys.id });
  return revoked.length === 1;
}
