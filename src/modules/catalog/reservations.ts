/**
 * Stock reservations on the `skus` table, for cart and checkout (owned by the orders work, kept
 * here because it writes catalog's table). available = on_hand − reserved.
 *
 *   checkout  reserve:  reserved += q                 (only if on_hand − reserved ≥ q)
 *   payment   commit:   on_hand −= q, reserved −= q   (the units leave the warehouse's free stock)
 *   cancel before payment  release: reserved −= q
 *   cancel after payment   restock: on_hand += q
 *
 * Every change is one conditional UPDATE per SKU, SKUs in id order (so two checkouts that share
 * SKUs lock them in the same order and cannot deadlock), inside the caller's statement or
 * transaction. A reserve that cannot take every line aborts the caller's statement: all or nothing.
 */
import { inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import { type Db, type Executor, pgErrorOf, preparedPerExecutor, queryRows } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { images, products, type ProductStatus, skus } from './schema.js';
import { UPLOADS_PREFIX } from './storage.js';

export type StockLine = { skuId: string; quantity: number };

/** What a cart or an order needs to know about a SKU right now. */
export type SkuSnapshot = {
  skuId: string;
  productId: string;
  merchantId: string;
  title: string;
  /** `{ 颜色: 红, 尺码: M }` as the product names its dimensions. */
  specs: Record<string, string>;
  code: string;
  imageUrl: string | null;
  price: number;
  currency: 'CNY';
  productStatus: ProductStatus;
  removed: boolean;
  available: number;
  /** On sale and not removed (the store's own state is the merchants module's to say). */
  onSale: boolean;
};

/** One line per SKU, quantities summed, in id order: the lock order. */
export function normalizeLines(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) throw new RangeError(`bad quantity ${line.quantity} for ${line.skuId}`);
    merged.set(line.skuId, (merged.get(line.skuId) ?? 0) + line.quantity);
  }
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([skuId, quantity]) => ({ skuId, quantity }));
}

export type Shortage = { skuId: string; requested: number; available: number };

/**
 * Reserving every line or none, as an expression for the caller's own statement: checkout writes
 * the order group with it in one statement, so a popular SKU's row stays locked no longer than
 * that statement. A line that cannot be taken aborts the statement (SQLSTATE FMSTK, drizzle/0019);
 * `stockShortage` lists the short lines for the shopper's 409.
 */
export function reserveStockSql(lines: readonly StockLine[], at: Date): SQL {
  const ordered = normalizeLines(lines);
  return sql`stock_reserve_all(${sql.param(ordered.map((l) => l.skuId))}::text[], ${sql.param(ordered.map((l) => l.quantity))}::integer[], ${at})`;
}

/**
 * The short lines of a reservation `reserveStockSql` refused, each with what is free now (the
 * statement rolled back, so nothing of it is counted); undefined when `err` is any other error.
 */
export async function stockShortage(exec: Executor, err: unknown, lines: readonly StockLine[]): Promise<Shortage[] | undefined> {
  const refused = pgErrorOf(err);
  if (refused?.code !== 'FMSTK') return undefined;
  const ordered = normalizeLines(lines);
  const now = await availability(exec, ordered.map((l) => l.skuId));
  return ordered.flatMap((l) => (l.skuId === refused.detail || (now.get(l.skuId) ?? 0) < l.quantity ? [{ skuId: l.skuId, requested: l.quantity, available: now.get(l.skuId) ?? 0 }] : []));
}

/** Gives reserved units back (cancellation or timeout before payment). */
export async function releaseStock(tx: Executor, lines: readonly StockLine[], at: Date): Promise<void> {
  for (const line of normalizeLines(lines)) {
    await mustUpdate(
      tx,
      sql`update ${skus} set reserved = reserved - ${line.quantity}, updated_at = ${at}
          where id = ${line.skuId} and reserved >= ${line.quantity} returning id`,
      `release ${line.quantity} of ${line.skuId}`,
    );
  }
}

/**
 * At payment: the reserved units are sold; on_hand and reserved both drop. Every payment of a
 * popular SKU waits for these row locks, so the caller evaluates the expression in its last
 * statement, with the rest of its writes: the locks are then held for as short as can be.
 * stock_commit (drizzle/0017) moves the lines in id order and answers the first SKU that could not
 * move; a broken invariant then refuses the whole statement (refuse_unless, drizzle/0020; 500
 * stock_invariant_broken), so no half-committed stock stays even without a transaction.
 */
export function commitStockSql(lines: readonly StockLine[], at: Date): SQL {
  const ordered = normalizeLines(lines);
  return sql`refuse_unless(stock_commit(${sql.param(ordered.map((l) => l.skuId))}::text[], ${sql.param(ordered.map((l) => l.quantity))}::integer[], ${at}) is null, 'stock_invariant_broken')`;
}

/** A paid order is cancelled: its units return to the shelf. */
export async function restockStock(tx: Executor, lines: readonly StockLine[], at: Date): Promise<void> {
  for (const line of normalizeLines(lines)) {
    const [row] = await queryRows<{ product_id: string; removed: boolean }>(
      tx,
      sql`update ${skus} set on_hand = on_hand + ${line.quantity}, updated_at = ${at}
          where id = ${line.skuId} returning product_id, removed_at is not null as removed`,
    );
    if (!row) throw invariantBroken(`restock ${line.quantity} of ${line.skuId}`);
    if (!row.removed) await tx.execute(sql`update ${products} set stock_total = stock_total + ${line.quantity} where id = ${row.product_id}`);
  }
}

/** available = on_hand − reserved, per SKU (0 for removed SKUs), without locking. */
export async function availability(exec: Executor, skuIds: readonly string[]): Promise<Map<string, number>> {
  if (skuIds.length === 0) return new Map();
  const rows = await exec
    .select({ id: skus.id, available: sql<number>`case when ${skus.removedAt} is null then ${skus.onHand} - ${skus.reserved} else 0 end` })
    .from(skus)
    .where(inArray(skus.id, [...skuIds]));
  return new Map(rows.map((r) => [r.id, Number(r.available)]));
}

/**
 * Current facts of SKUs for carts and checkout; unknown ids are absent from the map.
 * `imageUrl` turns a storage key into a URL (local disk by default).
 */
const snapshotRows = preparedPerExecutor((db) =>
  db
    .select({
      sku: skus,
      title: products.title,
      status: products.status,
      specDims: products.specs,
      thumbKey: sql<string | null>`${images.variants} #>> '{w240,key}'`,
    })
    .from(skus)
    .innerJoin(products, sql`${products.id} = ${skus.productId}`)
    // The main image's thumbnail key comes in the same query (a left join on the first image id).
    .leftJoin(images, sql`${images.id} = ${products.imageIds} ->> 0`)
    .where(sql`${skus.id} = any(${sql.placeholder('ids')}::text[])`)
    .prepare('sku_snapshots'),
);

export async function skuSnapshots(
  db: Db,
  skuIds: readonly string[],
  imageUrl: (key: string) => string = (key) => `${UPLOADS_PREFIX}${key}`,
): Promise<Map<string, SkuSnapshot>> {
  if (skuIds.length === 0) return new Map();
  const rows = await snapshotRows(db).execute({ ids: [...new Set(skuIds)] });
  return new Map(
    rows.map(({ sku, title, status, thumbKey, specDims }) => {
      const removed = sku.removedAt !== null;
      return [
        sku.id,
        {
          skuId: sku.id,
          productId: sku.productId,
          merchantId: sku.merchantId,
          title,
          specs: inDimensionOrder(sku.specs, specDims),
          code: sku.code,
          imageUrl: thumbKey ? imageUrl(thumbKey) : null,
          price: sku.price,
          currency: 'CNY' as const,
          productStatus: status,
          removed,
          available: removed ? 0 : Math.max(0, sku.onHand - sku.reserved),
          onSale: status === 'on_sale' && !removed,
        },
      ];
    }),
  );
}

/**
 * For one statement that both reads a SKU and acts on it (adding it to a cart): the SKU's
 * purchase facts as a select of at most one row, with the columns id, merchant_id, product_id,
 * price, available and on_sale (what `skuSnapshots` says, without the display fields).
 */
export function skuFactsSql(skuId: SQL | Placeholder): SQL {
  return sql`select s.id, s.merchant_id, s.product_id, s.price,
      case when s.removed_at is null then greatest(0, s.on_hand - s.reserved) else 0 end as available,
      (p.status = 'on_sale' and s.removed_at is null) as on_sale
    from ${skus} s join ${products} p on p.id = s.product_id
    where s.id = ${skuId}`;
}

/**
 * A SKU's spec values in the order of the product's dimensions (颜色 before 尺码). jsonb keeps
 * object keys in its own order, so the stored object cannot be shown as it is.
 */
export function inDimensionOrder(specs: Record<string, string>, dimensions: readonly { key: string }[]): Record<string, string> {
  const ordered: Record<string, string> = {};
  for (const { key } of dimensions) if (key in specs) ordered[key] = specs[key]!;
  for (const [key, value] of Object.entries(specs)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}

async function mustUpdate(tx: Executor, query: ReturnType<typeof sql>, what: string) {
  const rows = await queryRows(tx, query);
  if (rows.length !== 1) throw invariantBroken(what);
}

/** A reservation the orders believe in is not on the SKU: a bug, never a shopper's problem. */
const invariantBroken = (what: string) => new AppError(500, 'stock_invariant_broken', `Stock bookkeeping failed: ${what}`);
