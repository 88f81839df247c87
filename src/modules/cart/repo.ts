import { and, asc, eq, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Db, type Executor, preparedPerExecutor, preparedStatement, queryRows } from '../../platform/db.js';
import { type Actor, flowEventCtesFrom } from '../../platform/events.js';
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

const linesOfCart = preparedPerExecutor((db) => db.select().from(cartLines).where(eq(cartLines.cartId, sql.placeholder('cartId'))).orderBy(asc(cartLines.id)).prepare('cart_lines_of'));

export async function linesOf(db: Db, cartId: string): Promise<CartLineRow[]> {
  return linesOfCart(db).execute({ cartId });
}

export async function countLines(exec: Executor, cartId: string): Promise<{ lines: number; quantity: number }> {
  const [row] = await exec
    .select({ lines: sql<number>`count(*)::int`, quantity: sql<number>`coalesce(sum(${cartLines.quantity}), 0)::int` })
    .from(cartLines)
    .where(eq(cartLines.cartId, cartId));
  return { lines: row?.lines ?? 0, quantity: row?.quantity ?? 0 };
}

export async function findLine(exec: Executor, cartId: string, lineId: string): Promise<CartLineRow | undefined> {
  const [row] = await exec.select().from(cartLines).where(and(eq(cartLines.id, lineId), eq(cartLines.cartId, cartId)));
  return row;
}

/** What one add-to-cart statement found and did; `lineId` is null when it added nothing. */
export type AddOutcome = {
  /** The SKU's facts; null when the id is unknown. */
  sku: { merchantId: string; productId: string; price: number; available: number; onSale: boolean } | null;
  /** The cart before the add: lines, units, and units of this SKU already in it (null: none). */
  stats: { lines: number; quantity: number; existing: number | null };
  line: { id: string; quantity: number } | null;
};

/**
 * Adding to a cart as one prepared statement: it reads the SKU (catalog's `skuFacts`) and the cart,
 * and only when the SKU is on sale and in stock, and the cart has room for a new line, adds
 * `quantity` units to the SKU's line (or creates it), capped at `min(lineCap, available)`. The
 * delta is added to whatever is there now, so a concurrent add is not lost. The line and its flow
 * event commit together, with a cart's relaxed durability (see relaxDurability); a guest cart's
 * expiry (`guestExpiresAt`, null for a user's cart) moves with them.
 */
export function addLineStatement(db: Db, skuFacts: (skuId: Placeholder) => SQL, limits: { lineCap: number; maxLines: number }) {
  const p = (name: string) => sql.placeholder(name);
  const run = preparedStatement<{
    merchant_id: string | null;
    product_id: string | null;
    price: number | null;
    available: number | null;
    on_sale: boolean | null;
    lines: number;
    quantity: number;
    existing: number | null;
    line_id: string | null;
    line_quantity: number | null;
  }>(
    db,
    'cart_add_line',
    sql`with relaxed as (select set_config('synchronous_commit', 'off', true)),
      sku as (${skuFacts(p('skuId'))}),
      stats as (
        select count(*)::int as lines, coalesce(sum(quantity), 0)::int as quantity, max(case when sku_id = ${p('skuId')}::text then quantity end) as existing
        from ${cartLines} where cart_id = ${p('cartId')}::text
      ),
      takes as (
        select sku.*, least(${limits.lineCap}::int, sku.available) as cap from sku, stats
        where sku.on_sale and sku.available > 0 and (stats.existing is not null or stats.lines < ${limits.maxLines}::int)
      ),
      line as (
        insert into ${cartLines} (id, cart_id, sku_id, merchant_id, quantity, selected, price_seen, added_at, updated_at)
        select ${p('lineId')}::text, ${p('cartId')}::text, id, merchant_id, least(${p('quantity')}::int, cap), true, price, ${p('at')}::timestamptz, ${p('at')}::timestamptz from takes
        on conflict (cart_id, sku_id) do update set
          quantity = least(${cartLines.quantity} + excluded.quantity, (select cap from takes)),
          selected = true, price_seen = excluded.price_seen, updated_at = excluded.updated_at
        returning id, quantity
      ),
      touched as (
        update ${carts} set updated_at = ${p('at')}::timestamptz, expires_at = ${p('guestExpiresAt')}::timestamptz
        where id = ${p('cartId')}::text and ${p('guestExpiresAt')}::timestamptz is not null and exists (select 1 from line)
      ),
      -- Logged, not announced: no process follows carts live (the search index skips them, the
      -- log's readers read the table), and a notice per add woke every process's listener.
      ${flowEventCtesFrom(sql`select ${p('eventId')}::text, ${p('at')}::timestamptz, 'cart.add_item', 'cart', ${p('cartId')}::text,
          jsonb_build_array(
            jsonb_build_object('type', 'sku', 'id', takes.id, 'qualifier', 'item'),
            jsonb_build_object('type', 'product', 'id', takes.product_id, 'qualifier', 'item'),
            jsonb_build_object('type', 'merchant', 'id', takes.merchant_id, 'qualifier', 'store')),
          ${p('actor')}::jsonb, jsonb_build_object('quantity', ${p('quantity')}::int, 'price', takes.price)
        from line, takes`, { announce: false })}
      select sku.merchant_id, sku.product_id, sku.price, sku.available, sku.on_sale, stats.lines, stats.quantity, stats.existing,
        line.id as line_id, line.quantity as line_quantity,
        (select count(*) from flow_announced) as announced, (select count(*) from relaxed) as relaxed
      from stats left join sku on true left join line on true`,
  );
  return async (values: { skuId: string; cartId: string; quantity: number; at: Date; lineId: string; eventId: string; actor: Actor; guestExpiresAt: Date | null }): Promise<AddOutcome> => {
    const [row] = await run({ ...values, at: values.at.toISOString(), guestExpiresAt: values.guestExpiresAt?.toISOString() ?? null, actor: JSON.stringify(values.actor) });
    const r = row!;
    return {
      sku: r.merchant_id === null ? null : { merchantId: r.merchant_id, productId: r.product_id!, price: r.price!, available: Number(r.available), onSale: r.on_sale! },
      stats: { lines: r.lines, quantity: r.quantity, existing: r.existing },
      line: r.line_id === null ? null : { id: r.line_id, quantity: r.line_quantity! },
    };
  };
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

const deleteLinesQuery = (exec: Executor, cartId: string, lineIds: readonly string[]) =>
  exec.delete(cartLines).where(and(eq(cartLines.cartId, cartId), inArray(cartLines.id, [...lineIds])));

export async function deleteLines(exec: Executor, cartId: string, lineIds: readonly string[]): Promise<CartLineRow[]> {
  if (lineIds.length === 0) return [];
  return deleteLinesQuery(exec, cartId, lineIds).returning();
}

/** The DELETE of `deleteLines`, as SQL for the caller's statement. */
export const deleteLinesSql = (exec: Executor, cartId: string, lineIds: readonly string[]): SQL => deleteLinesQuery(exec, cartId, lineIds).getSQL();

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
