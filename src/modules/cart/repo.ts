import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import { flowEventCtes, type NewFlowEvent } from '../../platform/events.js';
import { cartLines, carts } from './schema.js';

export type CartRow = typeof carts.$inferSelect;
export type CartLineRow = typeof cartLines.$inferSelect;

/**
 * Cart edits commit without waiting for the WAL flush: a crash may forget the last few
 * milliseconds of cart changes (never money, never stock), and adding to a cart stops paying a disk
 * flush per click. See docs/decisions/007.
 */
export async function relaxDurability(tx: Executor): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

export async function findUserCart(exec: Executor, userId: string): Promise<CartRow | undefined> {
  const [row] = await exec.select().from(carts).where(eq(carts.userId, userId));
  return row;
}

export async function findGuestCart(exec: Executor, tokenHash: string, now: Date): Promise<CartRow | undefined> {
  const [row] = await exec.select().from(carts).where(eq(carts.guestTokenHash, tokenHash));
  return row && row.expiresAt && row.expiresAt <= now ? undefined : row;
}

/** Creates the cart unless it exists; either way answers the one cart. */
export async function ensureCart(exec: Executor, row: typeof carts.$inferInsert): Promise<CartRow> {
  const target = row.userId ? carts.userId : carts.guestTokenHash;
  await exec.insert(carts).values(row).onConflictDoNothing({ target });
  const [found] = await exec
    .select()
    .from(carts)
    .where(row.userId ? eq(carts.userId, row.userId) : eq(carts.guestTokenHash, row.guestTokenHash!));
  return found!;
}

export async function touchCart(exec: Executor, cartId: string, at: Date, expiresAt: Date | null): Promise<void> {
  await exec.update(carts).set({ updatedAt: at, expiresAt }).where(eq(carts.id, cartId));
}

export async function linesOf(exec: Executor, cartId: string): Promise<CartLineRow[]> {
  return exec.select().from(cartLines).where(eq(cartLines.cartId, cartId)).orderBy(asc(cartLines.id));
}

export async function countLines(exec: Executor, cartId: string): Promise<{ lines: number; quantity: number }> {
  const [row] = await exec
    .select({ lines: sql<number>`count(*)::int`, quantity: sql<number>`coalesce(sum(${cartLines.quantity}), 0)::int` })
    .from(cartLines)
    .where(eq(cartLines.cartId, cartId));
  return { lines: row?.lines ?? 0, quantity: row?.quantity ?? 0 };
}

/** Lines and units in the cart, and how many units of this SKU it holds already (null: none). */
export async function statsFor(exec: Executor, cartId: string, skuId: string): Promise<{ lines: number; quantity: number; existing: number | null }> {
  const [row] = await exec
    .select({
      lines: sql<number>`count(*)::int`,
      quantity: sql<number>`coalesce(sum(${cartLines.quantity}), 0)::int`,
      existing: sql<number | null>`max(case when ${cartLines.skuId} = ${skuId} then ${cartLines.quantity} end)`,
    })
    .from(cartLines)
    .where(eq(cartLines.cartId, cartId));
  return { lines: Number(row?.lines ?? 0), quantity: Number(row?.quantity ?? 0), existing: row?.existing === null || row?.existing === undefined ? null : Number(row.existing) };
}

export async function findLine(exec: Executor, cartId: string, lineId: string): Promise<CartLineRow | undefined> {
  const [row] = await exec.select().from(cartLines).where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId)));
  return row;
}

/**
 * Adds `row.quantity` units to the line of this SKU, or creates it, capped at `cap`; the delta is
 * added to whatever is there now, so a concurrent add is not lost. The line and its flow event
 * commit in one statement (no transaction round trips), with the relaxed durability of a cart.
 */
export async function addLine(exec: Executor, row: typeof cartLines.$inferInsert, cap: number, event: NewFlowEvent): Promise<Pick<CartLineRow, 'id' | 'skuId' | 'quantity'>> {
  const upsert = exec
    .insert(cartLines)
    .values(row)
    .onConflictDoUpdate({
      target: [cartLines.cartId, cartLines.skuId],
      set: {
        quantity: sql`least(${cartLines.quantity} + excluded.quantity, ${cap})`,
        selected: true,
        priceSeen: sql`excluded.price_seen`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ id: cartLines.id, skuId: cartLines.skuId, quantity: cartLines.quantity });
  const [line] = await queryRows<{ id: string; sku_id: string; quantity: number }>(
    exec,
    sql`with relaxed as (select set_config('synchronous_commit', 'off', true)),
        line as (${upsert.getSQL()}),
        ${flowEventCtes([event]).ctes}
        select id, sku_id, quantity, (select count(*) from flow_announced) as announced, (select count(*) from relaxed) as relaxed from line`,
  );
  return { id: line!.id, skuId: line!.sku_id, quantity: Number(line!.quantity) };
}

export async function updateLine(exec: Executor, cartId: string, lineId: string, set: Partial<typeof cartLines.$inferInsert>): Promise<CartLineRow | undefined> {
  const [row] = await exec.update(cartLines).set(set).where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId))).returning();
  return row;
}

export async function setQuantities(exec: Executor, cartId: string, changes: { id: string; quantity: number }[], at: Date): Promise<void> {
  for (const c of changes) await exec.update(cartLines).set({ quantity: c.quantity, updatedAt: at }).where(and(eq(cartLines.id, c.id), eq(cartLines.cartId, cartId)));
}

export async function selectLines(exec: Executor, cartId: string, selected: boolean, merchantId: string | undefined, at: Date): Promise<void> {
  await exec
    .update(cartLines)
    .set({ selected, updatedAt: at })
    .where(and(eq(cartLines.cartId, cartId), merchantId ? eq(cartLines.merchantId, merchantId) : undefined));
}

export async function deleteLines(exec: Executor, cartId: string, lineIds: string[]): Promise<CartLineRow[]> {
  if (lineIds.length === 0) return [];
  return exec.delete(cartLines).where(and(eq(cartLines.cartId, cartId), inArray(cartLines.id, lineIds))).returning();
}

/**
 * Moves every line of the guest cart into the user's cart: quantities of the same SKU add up
 * (capped), a line selected in either stays selected; then the guest cart is deleted.
 */
export async function mergeInto(exec: Executor, guestCartId: string, userCartId: string, cap: number, at: Date): Promise<number> {
  // SKUs the user's cart already holds: add the guest's quantity to the user's line.
  const merged = await queryRows(
    exec,
    sql`update ${cartLines} u set
          quantity = least(u.quantity + g.quantity, ${cap}),
          selected = u.selected or g.selected,
          updated_at = ${at}
        from ${cartLines} g
        where u.cart_id = ${userCartId} and g.cart_id = ${guestCartId} and g.sku_id = u.sku_id
        returning u.id`,
  );
  // The other lines move over as they are.
  const moved = await queryRows(
    exec,
    sql`update ${cartLines} set cart_id = ${userCartId}, quantity = least(quantity, ${cap}), updated_at = ${at}
        where cart_id = ${guestCartId}
          and sku_id not in (select sku_id from ${cartLines} where cart_id = ${userCartId})
        returning id`,
  );
  await exec.delete(carts).where(eq(carts.id, guestCartId));
  return merged.length + moved.length;
}

export async function deleteExpiredGuestCarts(exec: Executor, now: Date, limit: number): Promise<number> {
  const rows = await queryRows(
    exec,
    sql`delete from ${carts} where id in (
          select id from ${carts} where expires_at <= ${now} order by expires_at limit ${limit} for update skip locked
        ) returning id`,
  );
  return rows.length;
}
