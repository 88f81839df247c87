import { and, asc, desc, eq, getTableColumns, ilike, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import { categories, images, productRevisions, products, type ProductStatus, type RevisionContent, type RevisionState, skus, stockAdjustments } from './schema.js';

export type CategoryRow = typeof categories.$inferSelect;
export type CategoryWithLeaf = CategoryRow & { isLeaf: boolean };
export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;
export type ImageRow = typeof images.$inferSelect;
export type StockAdjustmentRow = typeof stockAdjustments.$inferSelect;
export type RevisionRow = typeof productRevisions.$inferSelect;

// ── Categories ────────────────────────────────────────────────────────────────────────────────

// Spelled out: drizzle leaves columns unqualified in single-table selects, which the subquery would capture.
const isLeafSql = sql<boolean>`not exists (select 1 from "categories" as child where child.parent_id = "categories"."id")`;

export async function allCategories(exec: Executor): Promise<CategoryWithLeaf[]> {
  return exec
    .select({ ...getTableColumns(categories), isLeaf: isLeafSql })
    .from(categories)
    .orderBy(asc(categories.depth), asc(categories.sortOrder), asc(categories.id));
}

export async function findCategories(exec: Executor, ids: string[]): Promise<CategoryWithLeaf[]> {
  if (ids.length === 0) return [];
  return exec
    .select({ ...getTableColumns(categories), isLeaf: isLeafSql })
    .from(categories)
    .where(inArray(categories.id, ids));
}

/** The category and its ancestors, root first. */
export async function categoryPath(exec: Executor, id: string): Promise<CategoryRow[]> {
  const rows = await queryRows<{ id: string; parent_id: string | null; name_zh: string; name_en: string; depth: number }>(
    exec,
    sql`with recursive up as (
          select id, parent_id, name_zh, name_en, depth from ${categories} where id = ${id}
          union all
          select c.id, c.parent_id, c.name_zh, c.name_en, c.depth from ${categories} c join up on c.id = up.parent_id
        ) select * from up order by depth`,
  );
  return rows.map((r) => ({ id: r.id, parentId: r.parent_id, nameZh: r.name_zh, nameEn: r.name_en, depth: r.depth }) as CategoryRow);
}

export async function insertCategory(exec: Executor, row: typeof categories.$inferInsert): Promise<CategoryRow> {
  const [created] = await exec.insert(categories).values(row).returning();
  return created!;
}

export async function updateCategory(exec: Executor, id: string, set: Partial<typeof categories.$inferInsert>): Promise<void> {
  await exec.update(categories).set(set).where(eq(categories.id, id));
}

export async function deleteCategory(exec: Executor, id: string): Promise<void> {
  await exec.delete(categories).where(eq(categories.id, id));
}

export async function categoryUsage(exec: Executor, id: string): Promise<{ children: number; products: number }> {
  const [row] = await queryRows<{ children: number; products: number }>(
    exec,
    sql`select (select count(*)::int from ${categories} where parent_id = ${id}) as children,
               (select count(*)::int from ${products} where category_id = ${id}) as products`,
  );
  return row!;
}

// ── Products ──────────────────────────────────────────────────────────────────────────────────

/** PostgreSQL takes at most 65,535 parameters a statement: multi-row inserts go in slices. */
const INSERT_SLICE = 2000;
function* slices<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += INSERT_SLICE) yield rows.slice(i, i + INSERT_SLICE);
}

export async function insertProducts(exec: Executor, rows: (typeof products.$inferInsert)[]): Promise<void> {
  for (const slice of slices(rows)) await exec.insert(products).values(slice);
}

export async function findProduct(exec: Executor, id: string, merchantId?: string): Promise<ProductRow | undefined> {
  const [row] = await exec
    .select()
    .from(products)
    .where(merchantId ? and(eq(products.id, id), eq(products.merchantId, merchantId)) : eq(products.id, id));
  return row;
}

export async function findProductsByCodes(exec: Executor, merchantId: string, codes: string[]): Promise<ProductRow[]> {
  if (codes.length === 0) return [];
  return exec
    .select()
    .from(products)
    .where(and(eq(products.merchantId, merchantId), inArray(products.code, codes)));
}

export async function updateProduct(exec: Executor, id: string, set: Partial<typeof products.$inferInsert>): Promise<void> {
  await exec.update(products).set(set).where(eq(products.id, id));
}

export type ProductContentRow = Pick<
  typeof products.$inferInsert,
  'id' | 'code' | 'title' | 'subtitle' | 'description' | 'brand' | 'categoryId' | 'attributes' | 'specs' | 'imageIds'
>;

/** Rewrites the content of many products in one statement. */
export async function updateProductContents(exec: Executor, rows: ProductContentRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    subtitle: r.subtitle,
    description: r.description,
    brand: r.brand,
    category_id: r.categoryId,
    attributes: r.attributes,
    specs: r.specs,
    image_ids: r.imageIds,
  }));
  await exec.execute(sql`
    update ${products} p set code = v.code, title = v.title, subtitle = v.subtitle, description = v.description, brand = v.brand,
      category_id = v.category_id, attributes = v.attributes, specs = v.specs, image_ids = v.image_ids, updated_at = ${at}
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as v(id text, code text, title text, subtitle text, description text,
      brand text, category_id text, attributes jsonb, specs jsonb, image_ids jsonb)
    where p.id = v.id`);
}

/** Compare-and-set of the status, for `transition()`. */
export async function setProductStatus(
  exec: Executor,
  id: string,
  from: ProductStatus,
  to: ProductStatus,
  set: Partial<typeof products.$inferInsert>,
): Promise<boolean> {
  const updated = await exec
    .update(products)
    .set({ ...set, status: to })
    .where(and(eq(products.id, id), eq(products.status, from)))
    .returning({ id: products.id });
  return updated.length === 1;
}

/** Recomputes the denormalized price range and stock of products from their live SKUs. */
export async function refreshProductStats(exec: Executor, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await exec.execute(sql`
    update ${products} p set
      price_min = coalesce(s.price_min, 0),
      price_max = coalesce(s.price_max, 0),
      stock_total = coalesce(s.stock_total, 0)
    from (
      select ids.id, min(k.price) as price_min, max(k.price) as price_max, sum(k.on_hand)::int as stock_total
      from unnest(${sql.param(productIds)}::text[]) as ids(id)
      left join ${skus} k on k.product_id = ids.id and k.removed_at is null
      group by ids.id
    ) s
    where p.id = s.id`);
}

export type ProductListQuery = { status?: ProductStatus; q?: string; cursor?: string; limit: number };

/** A store's products, newest first; `q` matches the title, or a product or SKU code exactly. */
export async function listProducts(exec: Executor, merchantId: string, query: ProductListQuery): Promise<ProductRow[]> {
  const conditions = [eq(products.merchantId, merchantId)];
  if (query.status) conditions.push(eq(products.status, query.status));
  if (query.cursor) conditions.push(lt(products.id, query.cursor));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        ilike(products.title, pattern),
        eq(products.code, query.q),
        sql`exists (select 1 from ${skus} where ${skus.productId} = ${products.id} and ${skus.code} = ${query.q} and ${skus.removedAt} is null)`,
      )!,
    );
  }
  return exec
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(desc(products.id))
    .limit(query.limit);
}

/** The review queue: oldest submission first (never submitted: first). The cursor is the last row's `(submitted, id)`. */
export async function listForReview(
  exec: Executor,
  query: { status: ProductStatus; after?: { at: Date; id: string }; limit: number },
): Promise<ProductRow[]> {
  const submitted = sql`coalesce(${products.submittedAt}, 'epoch'::timestamptz)`;
  const conditions = [eq(products.status, query.status)];
  if (query.after) conditions.push(sql`(${submitted}, ${products.id}) > (${query.after.at}, ${query.after.id})`);
  return exec
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(asc(submitted), asc(products.id))
    .limit(query.limit);
}

// ── SKUs ──────────────────────────────────────────────────────────────────────────────────────

export async function insertSkus(exec: Executor, rows: (typeof skus.$inferInsert)[]): Promise<void> {
  for (const slice of slices(rows)) await exec.insert(skus).values(slice);
}

export async function liveSkusOf(exec: Executor, productIds: string[]): Promise<SkuRow[]> {
  if (productIds.length === 0) return [];
  return exec
    .select()
    .from(skus)
    .where(and(inArray(skus.productId, productIds), isNull(skus.removedAt)))
    .orderBy(asc(skus.productId), asc(skus.position));
}

/** Which products of the store hold these live SKU codes. */
export async function skuCodeOwners(exec: Executor, merchantId: string, codes: string[]): Promise<{ code: string; productId: string }[]> {
  if (codes.length === 0) return [];
  return exec
    .select({ code: skus.code, productId: skus.productId })
    .from(skus)
    // One array parameter: a bulk call may name more codes than a statement takes parameters.
    .where(and(eq(skus.merchantId, merchantId), sql`${skus.code} = any(${sql.param(codes)}::text[])`, isNull(skus.removedAt)));
}

export async function findLiveSku(exec: Executor, id: string, merchantId: string): Promise<SkuRow | undefined> {
  const [row] = await exec
    .select()
    .from(skus)
    .where(and(eq(skus.id, id), eq(skus.merchantId, merchantId), isNull(skus.removedAt)));
  return row;
}

export type SkuContentRow = Pick<SkuRow, 'id' | 'specs' | 'position' | 'price' | 'listPrice' | 'weightGrams'>;

/** Rewrites specs, order, prices and weights of many SKUs in one statement (stock is not touched). */
export async function updateSkuContents(exec: Executor, rows: SkuContentRow[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({ id: r.id, specs: r.specs, position: r.position, price: r.price, list_price: r.listPrice, weight_grams: r.weightGrams }));
  await exec.execute(sql`
    update ${skus} s set specs = v.specs, position = v.position, price = v.price, list_price = v.list_price,
      weight_grams = v.weight_grams, updated_at = ${at}
    from jsonb_to_recordset(${JSON.stringify(json)}::jsonb) as v(id text, specs jsonb, position int, price int, list_price int, weight_grams int)
    where s.id = v.id`);
}

/** Removes SKUs that hold no reservations; resolves to the ids it removed. */
export async function removeSkus(exec: Executor, ids: string[], at: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const removed = await exec
    .update(skus)
    .set({ removedAt: at, updatedAt: at })
    .where(and(inArray(skus.id, ids), eq(skus.reserved, 0), isNull(skus.removedAt)))
    .returning({ id: skus.id });
  return removed.map((r) => r.id);
}

export type StockChange = { mode: 'set' | 'add' | 'remove'; quantity: number };

/**
 * One conditional UPDATE: the new on_hand never drops below `reserved` (nor above the cap).
 * Resolves to the value before and after, or undefined when the condition refused it.
 */
export async function changeOnHand(
  exec: Executor,
  merchantId: string,
  skuId: string,
  change: StockChange,
  cap: number,
  at: Date,
): Promise<{ before: number; after: number; productId: string } | undefined> {
  const target =
    change.mode === 'add' ? sql`s.on_hand + ${change.quantity}` : change.mode === 'remove' ? sql`s.on_hand - ${change.quantity}` : sql`${change.quantity}::int`;
  const [row] = await queryRows<{ before: number; after: number; product_id: string }>(
    exec,
    sql`with old as (select id, on_hand from ${skus} where id = ${skuId} and merchant_id = ${merchantId} and removed_at is null for update)
        update ${skus} s set on_hand = ${target}, updated_at = ${at}
        from old
        where s.id = old.id and ${target} >= s.reserved and ${target} <= ${cap}
        returning old.on_hand as before, s.on_hand as after, s.product_id`,
  );
  return row ? { before: row.before, after: row.after, productId: row.product_id } : undefined;
}

/**
 * Sets on_hand of many SKUs in one statement, each only if it stays ≥ reserved. Rows are locked
 * in id order (as reservations lock them), so this never deadlocks with a checkout. Resolves to
 * the SKUs it changed, with their on_hand before and after.
 */
export async function syncOnHand(
  exec: Executor,
  merchantId: string,
  targets: { skuId: string; target: number }[],
  cap: number,
  at: Date,
): Promise<{ skuId: string; productId: string; before: number; after: number }[]> {
  if (targets.length === 0) return [];
  const json = JSON.stringify(targets.map((t) => ({ id: t.skuId, target: t.target })));
  const rows = await queryRows<{ id: string; product_id: string; before: number; after: number }>(
    exec,
    sql`with v as (select * from jsonb_to_recordset(${json}::jsonb) as v(id text, target int)),
        old as (
          select s.id, s.on_hand from ${skus} s join v on v.id = s.id
          where s.merchant_id = ${merchantId} and s.removed_at is null order by s.id for update of s
        )
        update ${skus} s set on_hand = v.target, updated_at = ${at}
        from v join old on old.id = v.id
        where s.id = v.id and v.target >= s.reserved and v.target <= ${cap}
        returning s.id, s.product_id, old.on_hand as before, s.on_hand as after`,
  );
  return rows.map((r) => ({ skuId: r.id, productId: r.product_id, before: r.before, after: r.after }));
}

export async function insertStockAdjustments(exec: Executor, rows: (typeof stockAdjustments.$inferInsert)[]): Promise<void> {
  for (const slice of slices(rows)) await exec.insert(stockAdjustments).values(slice);
}

export async function listStockAdjustments(exec: Executor, skuId: string, query: { cursor?: string; limit: number }) {
  return exec
    .select()
    .from(stockAdjustments)
    .where(and(eq(stockAdjustments.skuId, skuId), query.cursor ? lt(stockAdjustments.id, query.cursor) : undefined))
    .orderBy(desc(stockAdjustments.id))
    .limit(query.limit);
}

// ── Images ────────────────────────────────────────────────────────────────────────────────────

export async function insertImage(exec: Executor, row: typeof images.$inferInsert): Promise<ImageRow> {
  const [created] = await exec.insert(images).values(row).returning();
  return created!;
}

export async function findImages(exec: Executor, ids: string[], merchantId?: string): Promise<ImageRow[]> {
  if (ids.length === 0) return [];
  return exec
    .select()
    .from(images)
    .where(merchantId ? and(inArray(images.id, ids), eq(images.merchantId, merchantId)) : inArray(images.id, ids));
}

// ── Revisions ─────────────────────────────────────────────────────────────────────────────────

export async function insertRevisions(exec: Executor, rows: (typeof productRevisions.$inferInsert)[]): Promise<void> {
  for (const slice of slices(rows)) await exec.insert(productRevisions).values(slice);
}

/** The latest revision of each product (any state). */
export async function latestRevisions(exec: Executor, productIds: string[]): Promise<RevisionRow[]> {
  if (productIds.length === 0) return [];
  return exec
    .selectDistinctOn([productRevisions.productId])
    .from(productRevisions)
    .where(sql`${productRevisions.productId} = any(${sql.param(productIds)}::text[])`)
    .orderBy(productRevisions.productId, desc(productRevisions.id));
}

export async function findRevision(exec: Executor, id: string): Promise<RevisionRow | undefined> {
  const [row] = await exec.select().from(productRevisions).where(eq(productRevisions.id, id));
  return row;
}

export async function updateRevisionContent(exec: Executor, id: string, content: RevisionContent, at: Date): Promise<void> {
  await exec.update(productRevisions).set({ content, updatedAt: at }).where(and(eq(productRevisions.id, id), eq(productRevisions.state, 'pending')));
}

/** Compare-and-set of a revision's state, for `transition()`. */
export async function setRevisionState(
  exec: Executor,
  id: string,
  from: RevisionState,
  to: RevisionState,
  set: Partial<typeof productRevisions.$inferInsert>,
): Promise<boolean> {
  const updated = await exec
    .update(productRevisions)
    .set({ ...set, state: to })
    .where(and(eq(productRevisions.id, id), eq(productRevisions.state, from)))
    .returning({ id: productRevisions.id });
  return updated.length === 1;
}

// ── Facts for the review ──────────────────────────────────────────────────────────────────────

export type CategoryPathRow = { id: string; path: { id: string; nameZh: string; nameEn: string }[]; attributes: CategoryRow['attributes'] };

/** Categories with their ancestors (root first, the category itself last), in one query. */
export async function categoryPaths(exec: Executor, ids: string[]): Promise<CategoryPathRow[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: string; attributes: CategoryRow['attributes']; path: { id: string; nameZh: string; nameEn: string; depth: number }[] }>(
    exec,
    sql`with recursive up as (
          select c.id as start, c.id, c.parent_id, c.name_zh, c.name_en, c.depth from ${categories} c where c.id = any(${sql.param(ids)}::text[])
          union all
          select up.start, c.id, c.parent_id, c.name_zh, c.name_en, c.depth from ${categories} c join up on c.id = up.parent_id
        )
        select s.id, s.attributes,
               (select json_agg(json_build_object('id', up.id, 'nameZh', up.name_zh, 'nameEn', up.name_en, 'depth', up.depth) order by up.depth)
                  from up where up.start = s.id) as path
          from ${categories} s where s.id = any(${sql.param(ids)}::text[])`,
  );
  return rows.map((r) => ({ id: r.id, attributes: r.attributes, path: r.path.map(({ id, nameZh, nameEn }) => ({ id, nameZh, nameEn })) }));
}

/** The median lowest price of on-sale products per category, and how many products it is taken over. */
export async function onSalePriceMedians(exec: Executor, categoryIds: string[]): Promise<{ categoryId: string; median: number; samples: number }[]> {
  if (categoryIds.length === 0) return [];
  const rows = await queryRows<{ category_id: string; median: number; samples: number }>(
    exec,
    sql`select category_id, percentile_disc(0.5) within group (order by price_min) as median, count(*)::int as samples
          from ${products}
         where category_id = any(${sql.param(categoryIds)}::text[]) and status = 'on_sale'
         group by category_id`,
  );
  return rows.map((r) => ({ categoryId: r.category_id, median: Number(r.median), samples: r.samples }));
}

/**
 * On-sale products of the same store and category whose title is at least `threshold` similar
 * (pg_trgm) to each probe's. `%` with the threshold set for the transaction lets the trigram index
 * find the candidates; scanning a big store's category instead costs tens of milliseconds.
 * Call it inside a transaction (the threshold is `set local`).
 */
export async function similarOnSaleTitles(
  exec: Executor,
  probes: { key: number; merchantId: string; categoryId: string; title: string; excludeProductId: string }[],
  threshold: number,
): Promise<{ key: number; productId: string; title: string; similarity: number }[]> {
  if (probes.length === 0) return [];
  const json = JSON.stringify(probes.map((p) => ({ k: p.key, m: p.merchantId, c: p.categoryId, t: p.title, x: p.excludeProductId })));
  // `%` means strictly greater than the threshold; the rule means at least. The planner costs the
  // lateral join for 100 probes and would JIT-compile it: ~6 ms of compiling for ~1 ms of work.
  await exec.execute(
    sql`select set_config('pg_trgm.similarity_threshold', ${String(Math.max(0, threshold - 1e-6))}, true), set_config('jit', 'off', true)`,
  );
  const rows = await queryRows<{ k: number; id: string; title: string; sim: number }>(
    exec,
    sql`select v.k, s.id, s.title, s.sim
          from jsonb_to_recordset(${json}::jsonb) as v(k int, m text, c text, t text, x text)
          cross join lateral (
            select p.id, p.title, similarity(p.title, v.t) as sim from ${products} p
             where p.title % v.t and p.merchant_id = v.m and p.status = 'on_sale' and p.category_id = v.c and p.id <> v.x and similarity(p.title, v.t) >= ${threshold}
             order by sim desc, p.id limit 5
          ) s`,
  );
  return rows.map((r) => ({ key: r.k, productId: r.id, title: r.title, similarity: Number(r.sim) }));
}
