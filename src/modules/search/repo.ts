/** SQL of the search module's own tables: documents, terms, the flow-log cursor, query counts. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import type { DocumentRow } from './documents.js';
import { searchConsumers, searchDocuments, searchQueries } from './schema.js';

// ── Documents and terms ───────────────────────────────────────────────────────────────────────

/**
 * Replaces the documents of `productIds` with `rows` (a subset: products no longer visible lose
 * theirs), keeping the term counts in step: the old documents' terms are counted out, the new ones in.
 */
export async function replaceDocuments(exec: Executor, productIds: readonly string[], rows: readonly DocumentRow[], at: Date): Promise<void> {
  if (productIds.length === 0) return;
  const ids = sql.param([...productIds]);
  const decremented = await queryRows<{ term: string; docs: number }>(
    exec,
    sql`update search_terms t set docs = t.docs - c.n
          from (select term, count(*)::int as n
                  from search_documents d, unnest(tsvector_to_array(d.terms)) as term
                 where d.product_id = any(${ids}::text[])
                 group by term) c
         where t.term = c.term
        returning t.term, t.docs`,
  );
  await exec.delete(searchDocuments).where(inArray(searchDocuments.productId, [...productIds]));
  for (let i = 0; i < rows.length; i += 500) {
    await exec.insert(searchDocuments).values(
      rows.slice(i, i + 500).map((r) => ({ ...r, terms: sql`${r.terms}::tsvector`, indexedAt: at })),
    );
  }
  if (rows.length > 0) {
    await exec.execute(sql`
      insert into search_terms (term, docs)
      select term, count(*)::int
        from search_documents d, unnest(tsvector_to_array(d.terms)) as term
       where d.product_id = any(${ids}::text[])
       group by term
      on conflict (term) do update set docs = search_terms.docs + excluded.docs`);
  }
  const gone = decremented.filter((r) => Number(r.docs) <= 0).map((r) => r.term);
  if (gone.length > 0) await exec.execute(sql`delete from search_terms where term = any(${sql.param(gone)}::text[]) and docs <= 0`);
}

export type SalesNumbers = { productId: string } & Pick<DocumentRow, 'inStock' | 'unitsSold' | 'popularity'>;

/**
 * Sets the stock and sales numbers of those documents that exist (a product without one stays
 * without) and, in the same statement, NOTIFYs `notice.channel` with the ids whose numbers changed —
 * every product's when more than `notice.maxIds` — or nothing when none did. Terms, text and
 * `indexed_at` stay as they are.
 */
export async function refreshNumbers(exec: Executor, numbers: readonly SalesNumbers[], notice: { channel: string; maxIds: number }): Promise<void> {
  if (numbers.length === 0) return;
  const facts = numbers.map((n) => ({ product_id: n.productId, in_stock: n.inStock, units_sold: n.unitsSold, popularity: n.popularity }));
  await exec.execute(
    sql`with f as (select * from json_to_recordset(${JSON.stringify(facts)}::json) as f(product_id text, in_stock boolean, units_sold integer, popularity bigint)),
        updated as (
          update search_documents d set in_stock = f.in_stock, units_sold = f.units_sold, popularity = f.popularity
            from f
           where d.product_id = f.product_id
             and (d.in_stock, d.units_sold, d.popularity) is distinct from (f.in_stock, f.units_sold, f.popularity)
          returning d.product_id)
        select pg_notify(${notice.channel}, (case when count(*) > ${notice.maxIds} then json_build_object('all', true)
                                             else json_build_object('productIds', json_agg(product_id)) end)::text)
          from updated
        having count(*) > 0`,
  );
}

/** Documents not touched since `before`: stale after a full rebuild. */
export async function staleDocumentIds(exec: Executor, before: Date, limit: number): Promise<string[]> {
  const rows = await queryRows<{ product_id: string }>(exec, sql`select product_id from search_documents where indexed_at < ${before.toISOString()}::timestamptz limit ${limit}`);
  return rows.map((r) => r.product_id);
}

export async function documentIdsOfStores(exec: Executor, merchantIds: readonly string[]): Promise<string[]> {
  if (merchantIds.length === 0) return [];
  const rows = await queryRows<{ product_id: string }>(exec, sql`select product_id from search_documents where merchant_id = any(${sql.param([...merchantIds])}::text[])`);
  return rows.map((r) => r.product_id);
}

/** Serializes every write to the index across processes (two writers could otherwise store an older state last). */
const INDEX_LOCK_KEY = 7_310_202_705;
export async function lockIndex(exec: Executor): Promise<void> {
  await exec.execute(sql`select pg_advisory_xact_lock(${INDEX_LOCK_KEY})`);
}

// ── The flow-log cursor ───────────────────────────────────────────────────────────────────────

export type ConsumerRow = typeof searchConsumers.$inferSelect;

export type Cursor = Pick<ConsumerRow, 'lastSeq' | 'gaps'>;

/**
 * Takes (or renews) the consumer's lease for `owner`, only when there is something to read: newer
 * events or holes. One conditional UPDATE, so no transaction stays open while the consumer works and
 * an idle sweep costs one statement. 'absent' when the cursor does not exist yet; undefined when
 * there is nothing to read or another process holds a live lease.
 */
export async function leaseIfWork(exec: Executor, name: string, owner: string, at: Date, leaseMs: number): Promise<Cursor | 'absent' | undefined> {
  const [row] = await queryRows<{ present: boolean; last_seq: string | number | null; gaps: Cursor['gaps'] | null }>(
    exec,
    sql`with taken as (
          update search_consumers c set lease_owner = ${owner}, lease_until = ${new Date(at.getTime() + leaseMs).toISOString()}::timestamptz
           where c.name = ${name}
             and (c.lease_until is null or c.lease_until < ${at.toISOString()}::timestamptz or c.lease_owner = ${owner})
             and (jsonb_array_length(c.gaps) > 0 or exists (select 1 from flow_events e where e.seq > c.last_seq))
          returning c.last_seq, c.gaps)
        select exists (select 1 from search_consumers where name = ${name}) as present, t.last_seq, t.gaps
          from (select 1) one left join taken t on true`,
  );
  if (!row?.present) return 'absent';
  return row.last_seq === null ? undefined : { lastSeq: Number(row.last_seq), gaps: row.gaps ?? [] };
}

/** Creates the cursor at the log's current end; false when it already exists. */
export async function createConsumer(exec: Executor, name: string, at: Date): Promise<boolean> {
  const rows = await queryRows(
    exec,
    sql`insert into search_consumers (name, last_seq, gaps, updated_at)
        select ${name}, coalesce(max(seq), 0), '[]'::jsonb, ${at.toISOString()}::timestamptz from flow_events
        on conflict (name) do nothing returning name`,
  );
  return rows.length > 0;
}

/** Moves the cursor, only while `owner` still holds the lease (which it keeps); false when it lost it. */
export async function advanceConsumer(exec: Executor, name: string, owner: string, next: Cursor, at: Date): Promise<boolean> {
  const rows = await exec
    .update(searchConsumers)
    .set({ lastSeq: next.lastSeq, gaps: next.gaps, updatedAt: at })
    .where(and(eq(searchConsumers.name, name), eq(searchConsumers.leaseOwner, owner)))
    .returning({ name: searchConsumers.name });
  return rows.length > 0;
}

/** Gives the lease up, moving the cursor too when `advance` is given (the end of a round); false when `owner` had lost it. */
export async function releaseConsumer(exec: Executor, name: string, owner: string, advance?: { next: Cursor; at: Date }): Promise<boolean> {
  const moved = advance && { lastSeq: advance.next.lastSeq, gaps: advance.next.gaps, updatedAt: advance.at };
  const rows = await exec
    .update(searchConsumers)
    .set({ leaseOwner: null, leaseUntil: null, ...moved })
    .where(and(eq(searchConsumers.name, name), eq(searchConsumers.leaseOwner, owner)))
    .returning({ name: searchConsumers.name });
  return rows.length > 0;
}

export type LoggedEvent = { seq: number; type: string; objectType: string; objectId: string; related: { type: string; id: string }[] };

/** Events after `afterSeq`, plus the listed earlier ones (holes that may have committed since). */
export async function eventsAfter(exec: Executor, afterSeq: number, holes: readonly number[], limit: number): Promise<LoggedEvent[]> {
  const rows = await queryRows<{ seq: string | number; type: string; object_type: string; object_id: string; related: { type: string; id: string }[] }>(
    exec,
    sql`(select seq, type, object_type, object_id, related from flow_events where seq > ${afterSeq} order by seq limit ${limit})
        union all
        (select seq, type, object_type, object_id, related from flow_events where seq = any(${sql.param(holes.map(String))}::bigint[]) and seq <= ${afterSeq})
        order by seq`,
  );
  return rows.map((r) => ({ seq: Number(r.seq), type: r.type, objectType: r.object_type, objectId: r.object_id, related: r.related ?? [] }));
}

/** The SKUs each order was placed with, read from the orders' `order.place` events. */
export async function skusOfOrders(exec: Executor, orderIds: readonly string[]): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    exec,
    sql`select distinct r ->> 'id' as id
          from flow_events e, jsonb_array_elements(e.related) r
         where e.object_type = 'order' and e.object_id = any(${sql.param([...orderIds])}::text[]) and e.type = 'order.place' and r ->> 'type' = 'sku'`,
  );
  return rows.map((r) => r.id);
}

// ── Query log ─────────────────────────────────────────────────────────────────────────────────

export type QueryCount = { query: string; searches: number; zeroResults: number; lastResults: number };

/** Adds buffered counts (one statement for the batch). */
export async function addQueryCounts(exec: Executor, counts: readonly QueryCount[], at: Date): Promise<void> {
  if (counts.length === 0) return;
  await exec
    .insert(searchQueries)
    .values(counts.map((c) => ({ ...c, lastAt: at })))
    .onConflictDoUpdate({
      target: searchQueries.query,
      set: {
        searches: sql`${searchQueries.searches} + excluded.searches`,
        zeroResults: sql`${searchQueries.zeroResults} + excluded.zero_results`,
        lastResults: sql`excluded.last_results`,
        lastAt: sql`excluded.last_at`,
      },
    });
}
