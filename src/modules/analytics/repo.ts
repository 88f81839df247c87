/**
 * Reads of the flow log for analytics. No writes, no tables of its own. Every query enters the log
 * through one of its two indexes: `flow_events_type_time_idx (type, occurred_at)` for "what happened
 * in the period", `flow_events_object_idx (object_type, object_id, seq)` for "what else happened to
 * these objects". A period is `[from, to)` on `occurred_at`.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../platform/db.js';
import type { Actor, RelatedObject } from '../../platform/events.js';
import type { Period } from './contract.js';

const list = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`), sql`, `);
const inPeriod = (period: Period, column = sql.raw('occurred_at')) =>
  sql`${column} >= ${period.from.toISOString()}::timestamptz and ${column} < ${period.to.toISOString()}::timestamptz`;

/**
 * Every event type in the log, read as a loose index scan of the (type, occurred_at) index: one
 * probe per distinct type, however long the log. Lets period queries name their types, so that
 * the period itself is an index range.
 */
export async function eventTypes(exec: Executor): Promise<string[]> {
  const rows = await queryRows<{ type: string }>(
    exec,
    sql`with recursive t(type) as (
          (select type from flow_events order by type limit 1)
          union all
          select (select f.type from flow_events f where f.type > t.type order by f.type limit 1) from t where t.type is not null
        )
        select type from t where type is not null`,
  );
  return rows.map((r) => r.type);
}

/** Distinct objects of `objectType` with an event of `type` in the period. */
export async function distinctObjects(exec: Executor, type: string, period: Period): Promise<number> {
  const [row] = await queryRows<{ n: number }>(exec, sql`select count(distinct object_id)::int as n from flow_events where type = ${type} and ${inPeriod(period)}`);
  return row!.n;
}

/**
 * A cohort: the objects with a `seedType` event in the period; for each, the events of the object
 * from its first seed on (at any time since), as `reached` types. Grouped, so the caller gets one
 * row per distinct path, with how many objects took it.
 */
export async function cohortPaths(exec: Executor, objectType: string, seedType: string, period: Period): Promise<{ types: string[]; objects: number }[]> {
  const rows = await queryRows<{ types: string[]; objects: number }>(
    exec,
    sql`with seeds as materialized (
          select object_id, min(seq) as first_seq from flow_events
          where type = ${seedType} and ${inPeriod(period)}
          group by object_id
        ),
        paths as (
          select s.object_id, array_agg(distinct e.type order by e.type) as types
          from seeds s join flow_events e on e.object_type = ${objectType} and e.object_id = s.object_id and e.seq >= s.first_seq
          group by s.object_id
        )
        select types, count(*)::int as objects from paths group by types`,
  );
  return rows;
}

export type StepRow = { from: string; to: string; count: number; median_ms: number; p90_ms: number; max_ms: number; objects: number; total_objects: number };

/**
 * Durations between consecutive state changes of the same object. State changes are the events
 * that carry `data.to` (every transition, and creations such as order.place) and each object's
 * first event (its creation, e.g. product.created). Objects are those with an event of
 * `types` in the period; their trails are read whole through the object index (a step that began
 * before the period still counts when it ends in it), then `lag` pairs each change with the one
 * before. A step belongs to the period in which it ends.
 */
export async function steps(exec: Executor, objectType: string, types: readonly string[], period: Period): Promise<StepRow[]> {
  if (types.length === 0) return [];
  return queryRows<StepRow>(exec, stepsSql(objectType, types, period));
}

export function stepsSql(objectType: string, types: readonly string[], period: Period): SQL {
  return sql`with seeds as materialized (
        select distinct object_id from flow_events
        -- No object_type filter: the types name it already, and the planner would AND in the object index for it.
        where type in (${list(types)}) and ${inPeriod(period)}
      ),
      trail as (
        -- Lateral: one short range of the object index per object, not a scan of the type's whole log.
        select s.object_id, e.seq, e.type, e.occurred_at, e.moves,
          row_number() over (partition by s.object_id order by e.seq) as rn
        from seeds s cross join lateral (
          select f.seq, f.type, f.occurred_at, f.data ? 'to' as moves from flow_events f
          where f.object_type = ${objectType} and f.object_id = s.object_id and f.occurred_at < ${period.to.toISOString()}::timestamptz
          offset 0 -- keeps the planner from flattening this into a hash join over the type's whole log
        ) e
      ),
      changes as (
        select object_id, seq, type, occurred_at,
          lag(type) over w as prev_type, lag(occurred_at) over w as prev_at, row_number() over w as position
        from trail where moves or rn = 1
        window w as (partition by object_id order by seq)
      ),
      timed as (
        select object_id, prev_type, type, position, extract(epoch from occurred_at - prev_at) * 1000 as ms
        from changes where prev_type is not null and occurred_at >= ${period.from.toISOString()}::timestamptz
      )
      select prev_type as "from", type as "to", count(*)::int as count,
        percentile_cont(0.5) within group (order by ms)::float8 as median_ms,
        percentile_cont(0.9) within group (order by ms)::float8 as p90_ms,
        max(ms)::float8 as max_ms,
        count(distinct object_id)::int as objects,
        (select count(distinct object_id) from timed)::int as total_objects,
        avg(position)::float8 as position
      from timed
      group by prev_type, type
      order by position, count desc, prev_type, type`;
}

export type LogRow = {
  seq: number;
  id: string;
  occurred_at: Date | string;
  type: string;
  object_type: string;
  object_id: string;
  related: RelatedObject[];
  actor: Actor;
  data: Record<string, unknown>;
};

/** The seq range and size of the period's events of `types` (one bitmap scan of the type/time index). */
export async function periodBounds(exec: Executor, types: readonly string[], period: Period): Promise<{ lo: number; hi: number; count: number }> {
  if (types.length === 0) return { lo: 0, hi: 0, count: 0 };
  const [row] = await queryRows<{ lo: string | null; hi: string | null; n: number }>(
    exec,
    sql`select min(seq) as lo, max(seq) as hi, count(*)::int as n from flow_events where type in (${list(types)}) and ${inPeriod(period)}`,
  );
  return { lo: Number(row!.lo ?? 0), hi: Number(row!.hi ?? 0), count: row!.n };
}

/**
 * The period's events of `types`, oldest seq first, `pageSize` at a time: keyset pages on the
 * primary key inside the seq range found first (`periodBounds`), so each page is a short index
 * range and events appended meanwhile (beyond `hi`) stay out.
 */
export async function* eventPages(
  exec: Executor,
  types: readonly string[],
  period: Period,
  bounds: { lo: number; hi: number },
  options: { limit: number; pageSize?: number },
): AsyncGenerator<LogRow[]> {
  if (types.length === 0 || bounds.hi === 0) return;
  const pageSize = options.pageSize ?? 2000;
  let after = bounds.lo - 1;
  let left = options.limit;
  while (left > 0) {
    const page = await queryRows<LogRow>(
      exec,
      sql`select seq, id, occurred_at, type, object_type, object_id, related, actor, data from flow_events
          where seq > ${after} and seq <= ${bounds.hi} and type in (${list(types)}) and ${inPeriod(period)}
          order by seq limit ${Math.min(pageSize, left)}`,
    );
    if (page.length === 0) return;
    yield page;
    left -= page.length;
    after = Number(page.at(-1)!.seq);
  }
}
