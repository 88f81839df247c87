import { sql } from 'drizzle-orm';
import type { Executor } from './db.js';
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

/** Appends many events in two round trips (one insert, one notify), in the order given. */
export async function appendFlowEvents(exec: Executor, events: NewFlowEvent[]): Promise<{ id: string; seq: number }[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => ({
    id: newId('event'),
    occurredAt: event.occurredAt,
    type: event.type,
    objectType: event.objectType,
    objectId: event.objectId,
    related: event.related ?? [],
    actor: event.actor,
    data: event.data ?? {},
  }));
  const inserted = await exec.insert(flowEvents).values(rows).returning({ id: flowEvents.id, seq: flowEvents.seq });
  const seqById = new Map(inserted.map((r) => [r.id, r.seq]));
  const notices = rows.map(
    (row): FlowEventNotice => ({
      seq: seqById.get(row.id)!,
      type: row.type,
      objectType: row.objectType,
      objectId: row.objectId,
      related: row.related.map(({ type, id }) => ({ type, id })),
    }),
  );
  await exec.execute(
    sql`select pg_notify(${FLOW_EVENTS_CHANNEL}, notice #>> '{}') from jsonb_array_elements(${JSON.stringify(notices.map((n) => JSON.stringify(n)))}::jsonb) with ordinality as t(notice, i) order by i`,
  );
  return rows.map((row) => ({ id: row.id, seq: seqById.get(row.id)! }));
}
