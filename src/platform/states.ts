import { type SQL, sql } from 'drizzle-orm';
import { AppError, conflict } from './errors.js';
import { type Executor, pgErrorOf, queryRows } from './db.js';
import { type Actor, appendFlowEvent, flowEventCtes, type NewFlowEvent, type RelatedObject } from './events.js';

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
       * The same compare-and-set as one `UPDATE … WHERE state = from RETURNING id` statement: the
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
  if ('update' in request) {
    const { objectId, from, related, update, ...step } = request;
    const [to] = await transitionAll(exec, machine, [{ objectId, from, related, update, steps: [step] }]);
    return to!;
  }
  const [to, [event]] = walk(machine, request.objectId, request.from, [request], request.related);
  if (!(await request.apply(to))) throw stateChanged(machine);
  await appendFlowEvent(exec, event!);
  return to;
}

/** One object's move: one or more events in a row (e.g. pay, then the automatic accept). */
export type MoveRequest<S extends string, E extends string> = {
  objectId: string;
  from: S;
  steps: { event: E; actor: Actor; at: Date; data?: Record<string, unknown> }[];
  related?: RelatedObject[];
  /**
   * The compare-and-set to the state the last step reaches: `UPDATE … WHERE id = … AND state = from
   * RETURNING id`, the object's id as `id`.
   */
  update: (to: S) => SQL;
};

/**
 * Several objects' moves in one statement: each object's UPDATE, and a flow event per step of an
 * object that moved. Refuses with 409 invalid_transition (nothing sent) when a step is not in the
 * table, and with 409 state_changed when an object had moved on (the statement then keeps none of
 * the moves). Resolves to the new states.
 */
export async function transitionAll<S extends string, E extends string>(exec: Executor, machine: StateMachine<S, E>, moves: readonly MoveRequest<S, E>[]): Promise<S[]> {
  const planned = planMoves(machine, moves);
  await sendMoves(exec, [planned]);
  return planned.states;
}

/** Moves checked against their machine's table, not sent yet: their UPDATEs, events and the states they reach. */
export type PlannedMoves<S extends string = string> = {
  objectType: string;
  states: S[];
  moves: { update: SQL; events: NewFlowEvent[] }[];
};

/** Walks each move through the table (409 invalid_transition when a step is not in it); sends nothing. */
export function planMoves<S extends string, E extends string>(machine: StateMachine<S, E>, moves: readonly MoveRequest<S, E>[]): PlannedMoves<S> {
  const walked = moves.map((move) => walk(machine, move.objectId, move.from, move.steps, move.related));
  return { objectType: machine.objectType, states: walked.map(([to]) => to), moves: moves.map((move, i) => ({ update: move.update(walked[i]![0]), events: walked[i]![1] })) };
}

/**
 * Sends planned moves, of one machine or several (a payment and the orders it pays), in one
 * statement with their events, together with the caller's `along` writes and its `last`
 * expression, whose value it resolves to (e.g. a function that takes the row locks every other
 * transaction waits for, sent last). `lockFirst`, a `SELECT … FOR UPDATE`, is evaluated before
 * any move: the lock order the caller's other paths keep. Every part of the statement, `last` and
 * `along` included, sees the rows as they were before it, not as the moves leave them. When an
 * object had moved on, the statement refuses itself (refuse_unless, drizzle/0020): nothing of it
 * stays, with or without a transaction, and the answer is 409 state_changed. A refusal of `last`
 * or `along` (`refuse_unless(ok, code)`) answers 500 with that code: an invariant broke.
 */
export async function sendMoves(exec: Executor, plans: readonly PlannedMoves[], extra: { lockFirst?: SQL; along?: readonly SQL[]; last?: SQL } = {}): Promise<unknown> {
  let n = 0;
  const named = plans.map((plan) => plan.moves.map((move) => ({ name: sql.raw(`moved_${n++}`), move })));
  const all = named.flat();
  if (all.length === 0 && !extra.along?.length && !extra.last) return undefined;
  const locked = extra.lockFirst ? [sql`locked_first as (${extra.lockFirst})`] : [];
  const updates = all.map(({ name, move }) => sql`${name} as (${move.update})`);
  // Every event is logged: the statement refuses itself unless every object moved.
  const { ctes } = flowEventCtes(all.flatMap(({ move }) => move.events));
  const along = (extra.along ?? []).map((write, i) => sql`${sql.raw(`along_${i}`)} as (${write})`);
  // The select list is evaluated in order: the lock, then each machine's moves, each refusing the
  // whole statement when fewer rows moved than planned, then `last`.
  const checks = named.flatMap((moves, i) =>
    moves.length > 0 ? [sql`refuse_unless(${sql.join(moves.map(({ name }) => sql`(select count(*) from ${name})`), sql` + `)} = ${moves.length}, ${`moved:${plans[i]!.objectType}`})`] : [],
  );
  const [row] = await queryRows<{ last: unknown }>(
    exec,
    sql`with ${sql.join([...locked, ...updates, ctes, ...along], sql`, `)}
      select ${sql.join([...(extra.lockFirst ? [sql`(select count(*) from locked_first)`] : []), ...checks, sql`(select count(*) from flow_announced)::int as announced`, sql`${extra.last ?? sql`null`} as last`], sql`, `)}`,
  ).catch((err: unknown) => {
    const refused = pgErrorOf(err);
    if (refused?.code !== 'FMREF' || !refused.detail) throw err;
    if (refused.detail.startsWith('moved:')) throw stateChanged({ objectType: refused.detail.slice('moved:'.length) });
    // Any other refusal is a broken invariant the caller named (e.g. stock_invariant_broken).
    throw new AppError(500, refused.detail, `The statement refused itself: ${refused.detail}`);
  });
  return row!.last;
}

/** Follows `steps` through the table from `from`: the state reached and an event per step. */
function walk<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  objectId: string,
  from: S,
  steps: readonly { event: E; actor: Actor; at: Date; data?: Record<string, unknown> }[],
  related: RelatedObject[] | undefined,
): [S, NewFlowEvent[]] {
  let state = from;
  const events: NewFlowEvent[] = [];
  for (const step of steps) {
    const to = machine.next(state, step.event);
    if (to === undefined) {
      throw conflict('invalid_transition', `A ${machine.objectType} in state ${state} cannot ${step.event}`, {
        objectType: machine.objectType,
        state,
        event: step.event,
        allowed: machine.eventsFrom(state),
      });
    }
    events.push({
      type: `${machine.objectType}.${step.event}`,
      objectType: machine.objectType,
      objectId,
      actor: step.actor,
      occurredAt: step.at,
      related,
      data: { from: state, to, ...step.data },
    });
    state = to;
  }
  return [state, events];
}

const stateChanged = (machine: { objectType: string }) => conflict('state_changed', `The ${machine.objectType} changed meanwhile; reload and retry`);
