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
  const id = newId('event');
  const related = event.related ?? [];
  const [row] = await exec
    .insert(flowEvents)
    .values({
      id,
      occurredAt: event.occurredAt,
      type: event.type,
      objectType: event.objectType,
      objectId: event.objectId,
      related,
      actor: event.actor,
      data: event.data ?? {},
    })
    .returning({ seq: flowEvents.seq });
  const seq = row!.seq;
  const notice: FlowEventNotice = {
    seq,
    type: event.type,
    objectType: event.objectType,
    objectId: event.objectId,
    related: related.map(({ type, id: relatedId }) => ({ type, id: relatedId })),
  };
  await exec.execute(sql`select pg_notify(${FLOW_EVENTS_CHANNEL}, ${JSON.stringify(notice)})`);
  return { id, seq };
}
