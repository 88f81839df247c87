import { and, desc, eq, ne, sql } from 'drizzle-orm';
import { type Executor, preparedPerExecutor } from '../../platform/db.js';
import { addresses } from './schema.js';

export type AddressRow = typeof addresses.$inferSelect;

/** Serializes writes to one user's address book (default flag, size limit). */
export async function lockBook(exec: Executor, userId: string): Promise<void> {
  await exec.execute(sql`select pg_advisory_xact_lock(hashtext(${`addresses:${userId}`}))`);
}

export async function listOf(exec: Executor, userId: string): Promise<AddressRow[]> {
  // The default first, then newest first.
  return exec.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(desc(addresses.isDefault), desc(addresses.id));
}

export async function countOf(exec: Executor, userId: string): Promise<number> {
  const [row] = await exec.select({ n: sql<number>`count(*)::int` }).from(addresses).where(eq(addresses.userId, userId));
  return row?.n ?? 0;
}

const ownedAddress = preparedPerExecutor((exec) =>
  exec
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, sql.placeholder('id')), eq(addresses.userId, sql.placeholder('userId'))))
    .prepare('address_owned'),
);

export async function findOwned(exec: Executor, userId: string, id: string): Promise<AddressRow | undefined> {
  const [row] = await ownedAddress(exec).execute({ id, userId });
  return row;
}

export async function insert(exec: Executor, row: typeof addresses.$inferInsert): Promise<AddressRow> {
  const [created] = await exec.insert(addresses).values(row).returning();
  return created!;
}

export async function update(exec: Executor, userId: string, id: string, set: Partial<typeof addresses.$inferInsert>): Promise<AddressRow | undefined> {
  const [row] = await exec.update(addresses).set(set).where(and(eq(addresses.id, id), eq(addresses.userId, userId))).returning();
  return row;
}

export async function clearDefault(exec: Executor, userId: string, exceptId?: string): Promise<void> {
  await exec
    .update(addresses)
    .set({ isDefault: false })
    .where(and(eq(addresses.userId, userId), eq(addresses.isDefault, true), exceptId ? ne(addresses.id, exceptId) : undefined));
}

export async function remove(exec: Executor, userId: string, id: string): Promise<AddressRow | undefined> {
  const [row] = await exec.delete(addresses).where(and(eq(addresses.id, id), eq(addresses.userId, userId))).returning();
  return row;
}

/** The most recently changed address of the user, to become the default when the default goes. */
export async function latestOf(exec: Executor, userId: string): Promise<AddressRow | undefined> {
  const [row] = await exec.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(desc(addresses.updatedAt), desc(addresses.id)).limit(1);
  return row;
}
