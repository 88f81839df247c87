import { type SQL, sql } from 'drizzle-orm';
import { type Executor, queryRows } from './db.js';
import { newId } from './ids.js';
import { type Actor, flowEvents, type RelatedObject } from './schema.js';

export type { Actor, RelatedObject };

/** The NOTIFY channel on which every committed flow event is announced. */
export const FLOW_EVENTS_CHANNEL = 'flow_events';

export type NewFlowEvent = {
  type: string;
  objectType: string;
  objectId: string;
  actor: Actor;
  occurredAt: Date;
  related?: RelatedObject[];
  data?: Record<string, unknown>;
};

/** What listeners receive: enough to route the event; they read the row for the rest. */
export type FlowEventNotice = {
  seq: number;
  type: string;
  objectType: string;
  objectId: string;
  related: { type: string; id: string }[];
};

/**
 * Appends an event to the flow log. Call it inside the transaction that makes the change, so the
 * change and its record commit together; the NOTIFY is delivered only on commit.
 */
export async function appendFlowEvent(exec: Executor, event: NewFlowEvent): Promise<{ id: string; seq: number }> {
  const [appended] = await appendFlowEvents(exec, [event]);
  return appended!;
}

/**
 * Appends many events in one statement, in the order given, and announces each (a NOTIFY carrying
 * a FlowEventNotice, in sequence order) on commit.
 */
export async function appendFlowEvents(exec: Executor, events: NewFlowEvent[]): Promise<{ id: string; seq: number }[]> {
  if (events.length === 0) return [];
  const { ids, ctes } = flowEventCtes(events);
  const appended = await queryRows<{ id: string; seq: string | number }>(exec, sql`with ${ctes} select id, seq, (select count(*) from flow_announced) as announced from flow_inserted`);
  const seqById = new Map(appended.map((r) => [r.id, Number(r.seq)]));
  return ids.map((id) => ({ id, seq: seqById.get(id)! }));
}

/** Rows to write and the flow events that record them, not yet sent: parts of one statement. */
export type PlannedWrites = { writes: SQL[]; events: NewFlowEvent[] };

/**
 * Runs `writes` (INSERT/UPDATE/DELETE statements, e.g. a builder's `.getSQL()`) and appends
 * `events` in one statement: the rows and their record reach the database in one round trip.
 * `guard` is an expression the statement evaluates before any write, e.g. a function that moves
 * stock and raises when it cannot: a refused statement then costs little (in a flash sale most
 * are refused) and keeps nothing.
 */
export async function writeWithEvents(exec: Executor, writes: SQL[], events: NewFlowEvent[], guard?: SQL): Promise<void> {
  const { ctes } = flowEventCtes(events);
  const named = writes.map((write, i) => sql`${sql.raw(`write_${i}`)} as (${write})`);
  // The select list is evaluated in order, and PostgreSQL runs the writes nobody reads after it.
  await exec.execute(sql`with ${sql.join([...named, ctes], sql`, `)} select ${guard ?? sql`null`} as guard, (select count(*) from flow_announced) as announced`);
}

/**
 * For a single statement that makes a change and records it (atomic without a transaction's
 * extra round trips): the CTEs `flow_inserted` (the appended rows) and `flow_announced` (their
 * notices). The statement must read `flow_announced`, e.g. `(select count(*) from flow_announced)`,
 * or PostgreSQL never evaluates it and nobody is told.
 */
export function flowEventCtes(events: NewFlowEvent[]): { ids: string[]; ctes: SQL } {
  const rows = events.map((event) => ({
    id: newId('event'),
    occurred_at: event.occurredAt.toISOString(),
    type: event.type,
    object_type: event.objectType,
    object_id: event.objectId,
    related: event.related ?? [],
    actor: event.actor,
    data: event.data ?? {},
  }));
  const source = sql`select e.id, e.occurred_at, e.type, e.object_type, e.object_id, e.related, e.actor, e.data
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as e(id text, occurred_at timestamptz, type text, object_type text, object_id text, related jsonb, actor jsonb, data jsonb)`;
  return { ids: rows.map((r) => r.id), ctes: flowEventCtesFrom(source) };
}

/**
 * `flowEventCtes` for events computed inside the statement: `source` selects the columns
 * (id, occurred_at, type, object_type, object_id, related, actor, data), one row per event.
 * `announce: false` logs them without a NOTIFY, for busy writers nobody listens to live (each
 * notice wakes every process's listener); `flow_announced` then holds the inserted rows, unannounced.
 */
export function flowEventCtesFrom(source: SQL, options: { announce?: boolean } = {}): SQL {
  const inserted = sql`flow_inserted as (
      insert into ${flowEvents} (id, occurred_at, type, object_type, object_id, related, actor, data)
      ${source}
      returning seq, id, type, object_type, object_id, related
    )`;
  if (options.announce === false) return sql`${inserted}, flow_announced as (select seq from flow_inserted)`;
  // Rows are inserted (and numbered) in the source's order; pg_notify, being volatile, runs after the sort.
  return sql`${inserted},
    flow_announced as (
      select pg_notify(${FLOW_EVENTS_CHANNEL}, json_build_object(
        'seq', seq, 'type', type, 'objectType', object_type, 'objectId', object_id,
        'related', coalesce((select json_agg(json_build_object('type', r ->> 'type', 'id', r ->> 'id')) from jsonb_array_elements(related) r), '[]'::json)
      )::text)
      from flow_inserted order by seq
    )`;
}
