import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The flow log (object-centric event log, exportable as OCEL 2.0). Every state change appends a row
 * here in the same transaction; search indexing, analytics, webhooks and live pushes read it, so it
 * is also the outbox. `seq` gives a total order for consumers and SSE `Last-Event-ID`.
 */
export const flowEvents = pgTable(
  'flow_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    type: text('type').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    /** Other objects this event touches: `[{ type, id, qualifier }]` (OCEL's object relations). */
    related: jsonb('related').$type<RelatedObject[]>().notNull().default([]),
    actor: jsonb('actor').$type<Actor>().notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('flow_events_object_idx').on(t.objectType, t.objectId, t.seq),
    index('flow_events_type_time_idx').on(t.type, t.occurredAt),
  ],
);

export type RelatedObject = { type: string; id: string; qualifier: string };

/** Who caused a change: a user, a merchant's API key, a provider callback, or the system itself. */
export type Actor =
  | { kind: 'user'; id: string }
  | { kind: 'api_key'; id: string; merchantId: string }
  | { kind: 'provider'; id: string }
  | { kind: 'system'; id: string };
