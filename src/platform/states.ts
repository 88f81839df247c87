import { type SQL, sql } from 'drizzle-orm';
import { conflict } from './errors.js';
import { type Executor, queryRows } from './db.js';
import { type Actor, appendFlowEvent, flowEventCtes, type RelatedObject } from './events.js';

/**
 * State machines are data: a table of `from --event--> to` rows, checked when the module loads.
 * `transition()` is the only way an entity changes state: it refuses moves the table lacks (409),
 * applies the change with a compare-and-set on the current state, and appends the flow event in
 * the same transaction.
 */
export type TransitionRow<S extends string, E extends string> = {
  from: S | readonly S[];
  event: E;
  to: S;
};

export type StateMachine<S extends string, E extends string> = {
  /** The object type in the flow log, e.g. `order`. */
  objectType: string;
  states: readonly S[];
  initial: S;
  rows: readonly TransitionRow<S, E>[];
  /** The state `event` leads to from `from`, or undefined when the table has no such move. */
  next(from: S, event: E): S | undefined;
  /** Events allowed from `state`, in table order. */
  eventsFrom(state: S): E[];
};

export function defineMachine<S extends string, E extends string>(spec: {
  objectType: string;
  states: readonly S[];
  initial: S;
  rows: readonly TransitionRow<S, E>[];
}): StateMachine<S, E> {
  const known = new Set<string>(spec.states);
  const moves = new Map<string, S>();
  if (!known.has(spec.initial)) throw new Error(`${spec.objectType}: unknown initial state ${spec.initial}`);
  for (const row of spec.rows) {
    const froms: readonly S[] = typeof row.from === 'string' ? [row.from] : (row.from as readonly S[]);
    if (!known.has(row.to)) throw new Error(`${spec.objectType}: unknown state ${row.to}`);
    for (const from of froms) {
      if (!known.has(from)) throw new Error(`${spec.objectType}: unknown state ${from}`);
      const key = `${from}\u0000${row.event}`;
      if (moves.has(key)) throw new Error(`${spec.objectType}: ${from} has two rows for ${row.event}`);
      moves.set(key, row.to);
    }
  }
  return {
    ...spec,
    next: (from, event) => moves.get(`${from}\u0000${event}`),
    eventsFrom: (state) =>
      spec.rows
        .filter((r) => (typeof r.from === 'string' ? r.from === state : r.from.includes(state)))
        .map((r) => r.event),
  };
}

export type TransitionRequest<S extends string, E extends string> = {
  objectId: string;
  from: S;
  event: E;
  actor: Actor;
  at: Date;
  related?: RelatedObject[];
  data?: Record<string, unknown>;
} & (
  | {
      /**
       * Writes the new state, only if the row is still in `from` (e.g. `UPDATE … WHERE state = from`);
       * resolves to false when another writer got there first.
       */
      apply: (to: S) => Promise<boolean>;
    }
  | {
      /**
       * The same compare-and-set as one `UPDATE … WHERE state = from RETURNING …` statement: the
       * change and its flow event then go to the database together, in one round trip.
       */
      update: (to: S) => SQL;
    }
);

export async function transition<S extends string, E extends string>(
  exec: Executor,
  machine: StateMachine<S, E>,
  request: TransitionRequest<S, E>,
): Promise<S> {
  const to = machine.next(request.from, request.event);
  if (to === undefined) {
    throw conflict('invalid_transition', `A ${machine.objectType} in state ${request.from} cannot ${request.event}`, {
      objectType: machine.objectType,
      state: request.from,
      event: request.event,
      allowed: machine.eventsFrom(request.from),
    });
  }
  const event = {
    type: `${machine.objectType}.${request.event}`,
    objectType: machine.objectType,
    objectId: request.objectId,
    actor: request.actor,
    occurredAt: request.at,
    related: request.related,
    data: { from: request.from, to, ...request.data },
  };
  const stateChanged = () => conflict('state_changed', `The ${machine.objectType} changed meanwhile; reload and retry`);
  if ('update' in request) {
    const { ctes } = flowEventCtes([event], { onlyIf: sql`exists (select 1 from moved)` });
    const [row] = await queryRows<{ moved: number }>(
      exec,
      sql`with moved as (${request.update(to)}), ${ctes} select (select count(*) from moved)::int as moved, (select count(*) from flow_announced)::int as announced`,
    );
    if (row!.moved !== 1) throw stateChanged();
    return to;
  }
  if (!(await request.apply(to))) throw stateChanged();
  await appendFlowEvent(exec, event);
  return to;
}
