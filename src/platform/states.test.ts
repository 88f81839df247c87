import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, untilLockWaits } from '../../test/helpers/database.js';
import { type Database, queryRows } from './db.js';
import { AppError } from './errors.js';
import { defineMachine, planMoves, sendMoves, transition, transitionAll } from './states.js';

const lamp = defineMachine({
  objectType: 'lamp',
  states: ['off', 'on', 'broken'] as const,
  initial: 'off',
  rows: [
    { from: 'off', event: 'switch_on', to: 'on' },
    { from: 'on', event: 'switch_off', to: 'off' },
    { from: ['off', 'on'], event: 'break', to: 'broken' },
  ],
});

describe('defineMachine', () => {
  it('answers every row of its table, and nothing else', () => {
    expect(lamp.next('off', 'switch_on')).toBe('on');
    expect(lamp.next('on', 'switch_off')).toBe('off');
    expect(lamp.next('off', 'break')).toBe('broken');
    expect(lamp.next('on', 'break')).toBe('broken');
    expect(lamp.next('broken', 'switch_on')).toBeUndefined();
    expect(lamp.eventsFrom('on')).toEqual(['switch_off', 'break']);
  });

  it('refuses tables with unknown states or two rows for one move', () => {
    expect(() =>
      defineMachine({ objectType: 'x', states: ['a'], initial: 'a', rows: [{ from: 'a', event: 'go', to: 'b' as 'a' }] }),
    ).toThrow(/unknown state b/);
    expect(() =>
      defineMachine({
        objectType: 'x',
        states: ['a', 'b'],
        initial: 'a',
        rows: [
          { from: 'a', event: 'go', to: 'b' },
          { from: 'a', event: 'go', to: 'a' },
        ],
      }),
    ).toThrow(/two rows/);
  });
});

describe('transition', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await createTestDatabase());
    await database.db.execute(sql`create table lamps (id text primary key, state text not null)`);
    await database.db.execute(sql`insert into lamps values ('lamp_1', 'off')`);
  });
  afterAll(() => drop());

  const actor = { kind: 'system', id: 'test' } as const;
  const applyTo = (db: Database['db'], id: string, from: string) => async (to: string) => {
    const updated = await queryRows(db, sql`update lamps set state = ${to} where id = ${id} and state = ${from} returning id`);
    return updated.length === 1;
  };
  const eventsOf = async (id: string) =>
    queryRows(database.db, sql`select type, data from flow_events where object_id = ${id} order by seq`);

  it('moves the row and appends the event in the same transaction', async () => {
    const to = await database.db.transaction((tx) =>
      transition(tx, lamp, { objectId: 'lamp_1', from: 'off', event: 'switch_on', actor, at: new Date(), apply: applyTo(tx, 'lamp_1', 'off') }),
    );
    expect(to).toBe('on');
    expect(await eventsOf('lamp_1')).toEqual([{ type: 'lamp.switch_on', data: { from: 'off', to: 'on' } }]);
  });

  it('refuses a move the table lacks with 409 invalid_transition, and records nothing', async () => {
    const attempt = database.db.transaction((tx) =>
      transition(tx, lamp, { objectId: 'lamp_1', from: 'on', event: 'switch_on', actor, at: new Date(), apply: applyTo(tx, 'lamp_1', 'on') }),
    );
    await expect(attempt).rejects.toMatchObject({ status: 409, code: 'invalid_transition' });
    expect(await eventsOf('lamp_1')).toHaveLength(1);
  });

  it('refuses with 409 state_changed when the row moved meanwhile, and the event rolls back', async () => {
    // The caller believes the lamp is off, but it is on.
    const attempt = database.db.transaction((tx) =>
      transition(tx, lamp, { objectId: 'lamp_1', from: 'off', event: 'break', actor, at: new Date(), apply: applyTo(tx, 'lamp_1', 'off') }),
    );
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'state_changed' });
    expect(await eventsOf('lamp_1')).toHaveLength(1);
  });
});

describe('transitionAll', () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await createTestDatabase());
    await database.db.execute(sql`create table lamps (id text primary key, state text not null)`);
    await database.db.execute(sql`insert into lamps values ('lamp_a', 'off'), ('lamp_b', 'off'), ('lamp_c', 'on')`);
  });
  afterAll(() => drop());

  const at = new Date();
  const actor = { kind: 'system', id: 'test' } as const;
  const other = { kind: 'user', id: 'usr_1' } as const;
  const update = (id: string, from: string) => (to: string) => sql`update lamps set state = ${to} where id = ${id} and state = ${from} returning id`;
  const states = async () => queryRows<{ id: string; state: string }>(database.db, sql`select id, state from lamps order by id`);
  const events = async () => queryRows<{ object_id: string; type: string; data: object; actor: object }>(database.db, sql`select object_id, type, data, actor from flow_events order by seq`);

  it('moves several objects in one statement, an event per step, each step with its own actor', async () => {
    const moved = await database.db.transaction((tx) =>
      transitionAll(tx, lamp, [
        { objectId: 'lamp_a', from: 'off', steps: [{ event: 'switch_on', actor, at }, { event: 'break', actor: other, at, data: { reason: 'dropped' } }], update: update('lamp_a', 'off') },
        { objectId: 'lamp_b', from: 'off', steps: [{ event: 'switch_on', actor, at }], update: update('lamp_b', 'off') },
      ]),
    );
    expect(moved).toEqual(['broken', 'on']);
    expect(await states()).toEqual([
      { id: 'lamp_a', state: 'broken' },
      { id: 'lamp_b', state: 'on' },
      { id: 'lamp_c', state: 'on' },
    ]);
    expect(await events()).toEqual([
      { object_id: 'lamp_a', type: 'lamp.switch_on', data: { from: 'off', to: 'on' }, actor },
      { object_id: 'lamp_a', type: 'lamp.break', data: { from: 'on', to: 'broken', reason: 'dropped' }, actor: other },
      { object_id: 'lamp_b', type: 'lamp.switch_on', data: { from: 'off', to: 'on' }, actor },
    ]);
  });

  it('refuses a step the table lacks before sending anything, and a stale one with state_changed, undoing the others', async () => {
    const lacking = transitionAll(database.db, lamp, [{ objectId: 'lamp_a', from: 'broken', steps: [{ event: 'switch_on', actor, at }], update: update('lamp_a', 'broken') }]);
    await expect(lacking).rejects.toMatchObject({ status: 409, code: 'invalid_transition', details: { state: 'broken', event: 'switch_on' } });
    // lamp_c is on, not off as the caller believes; lamp_b's move must not stay.
    const stale = database.db.transaction((tx) =>
      transitionAll(tx, lamp, [
        { objectId: 'lamp_b', from: 'on', steps: [{ event: 'switch_off', actor, at }], update: update('lamp_b', 'on') },
        { objectId: 'lamp_c', from: 'off', steps: [{ event: 'switch_on', actor, at }], update: update('lamp_c', 'off') },
      ]),
    );
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'state_changed' });
    expect((await states()).map((r) => r.state)).toEqual(['broken', 'on', 'on']);
    expect(await events()).toHaveLength(3);
  });

  it('outside a transaction too, a stale object refuses the whole statement: nothing moves, nothing is logged', async () => {
    const partly = transitionAll(database.db, lamp, [
      { objectId: 'lamp_b', from: 'on', steps: [{ event: 'switch_off', actor, at }], update: update('lamp_b', 'on') },
      { objectId: 'lamp_c', from: 'off', steps: [{ event: 'switch_on', actor, at }], update: update('lamp_c', 'off') },
    ]);
    await expect(partly).rejects.toMatchObject({ status: 409, code: 'state_changed' });
    expect((await states()).map((r) => r.state)).toEqual(['broken', 'on', 'on']);
    expect(await events()).toHaveLength(3);
  });
});

describe('sendMoves', () => {
  const fuse = defineMachine({
    objectType: 'fuse',
    states: ['intact', 'blown'] as const,
    initial: 'intact',
    rows: [{ from: 'intact', event: 'blow', to: 'blown' }],
  });
  let database: Database;
  let drop: () => Promise<void>;
  let url: string | undefined;
  beforeAll(async () => {
    ({ database, drop, url } = await createTestDatabase());
    await database.db.execute(sql`create table lamps (id text primary key, state text not null)`);
    await database.db.execute(sql`create table fuses (id text primary key, state text not null)`);
    await database.db.execute(sql`create table repairs (lamp_id text not null)`);
    await database.db.execute(sql`insert into lamps values ('lamp_x', 'on'), ('lamp_y', 'on')`);
    await database.db.execute(sql`insert into fuses values ('fuse_1', 'intact'), ('fuse_2', 'blown')`);
  });
  afterAll(() => drop());

  const at = new Date();
  const actor = { kind: 'system', id: 'test' } as const;
  const update = (table: string, id: string, from: string) => (to: string) => sql`update ${sql.identifier(table)} set state = ${to} where id = ${id} and state = ${from} returning id`;
  const snapshot = async () => ({
    lamps: await queryRows(database.db, sql`select id, state from lamps order by id`),
    fuses: await queryRows(database.db, sql`select id, state from fuses order by id`),
    repairs: await queryRows(database.db, sql`select lamp_id from repairs`),
    events: await queryRows(database.db, sql`select object_id, type from flow_events order by seq`),
  });

  it("sends two machines' moves, the caller's writes and its last expression in one statement, answering that expression", async () => {
    const last = await database.db.transaction((tx) =>
      sendMoves(
        tx,
        [
          planMoves(fuse, [{ objectId: 'fuse_1', from: 'intact', steps: [{ event: 'blow', actor, at }], update: update('fuses', 'fuse_1', 'intact') }]),
          planMoves(lamp, [{ objectId: 'lamp_x', from: 'on', steps: [{ event: 'break', actor, at }], update: update('lamps', 'lamp_x', 'on') }]),
        ],
        { along: [sql`insert into repairs values ('lamp_x')`], last: sql`(select count(*)::int from lamps where state = 'on')` },
      ),
    );
    // Like every part of one statement, it sees the rows as they were before the statement.
    expect(last).toBe(2);
    expect(await snapshot()).toEqual({
      lamps: [
        { id: 'lamp_x', state: 'broken' },
        { id: 'lamp_y', state: 'on' },
      ],
      fuses: [
        { id: 'fuse_1', state: 'blown' },
        { id: 'fuse_2', state: 'blown' },
      ],
      repairs: [{ lamp_id: 'lamp_x' }],
      events: [
        { object_id: 'fuse_1', type: 'fuse.blow' },
        { object_id: 'lamp_x', type: 'lamp.break' },
      ],
    });
  });

  it('refuses with state_changed naming the stale object type; in a transaction nothing of the statement stays', async () => {
    const before = await snapshot();
    const stale = database.db.transaction((tx) =>
      sendMoves(
        tx,
        [
          planMoves(lamp, [{ objectId: 'lamp_y', from: 'on', steps: [{ event: 'switch_off', actor, at }], update: update('lamps', 'lamp_y', 'on') }]),
          planMoves(fuse, [{ objectId: 'fuse_2', from: 'intact', steps: [{ event: 'blow', actor, at }], update: update('fuses', 'fuse_2', 'intact') }]),
        ],
        { along: [sql`insert into repairs values ('lamp_y')`] },
      ),
    );
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'state_changed', message: expect.stringContaining('fuse') });
    expect(await snapshot()).toEqual(before);
  });

  it('without a transaction too, the refusal keeps nothing: neither the other moves nor the writes along', async () => {
    const before = await snapshot();
    const stale = sendMoves(
      database.db,
      [
        planMoves(lamp, [{ objectId: 'lamp_y', from: 'on', steps: [{ event: 'switch_off', actor, at }], update: update('lamps', 'lamp_y', 'on') }]),
        planMoves(fuse, [{ objectId: 'fuse_2', from: 'intact', steps: [{ event: 'blow', actor, at }], update: update('fuses', 'fuse_2', 'intact') }]),
      ],
      { along: [sql`insert into repairs values ('lamp_y')`] },
    );
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'state_changed', message: expect.stringContaining('fuse') });
    expect(await snapshot()).toEqual(before);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('takes the lockFirst row before touching any moved row (PostgreSQL)', async () => {
    // Another session holds the lock row. If sendMoves locked lamp_y before waiting for it, that
    // session's change to lamp_y below would deadlock; with the lock taken first, the change goes
    // through and the waiting statement then finds lamp_y moved on.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select id from fuses where id = 'fuse_1' for update`);
      const waiting = sendMoves(database.db, [planMoves(lamp, [{ objectId: 'lamp_y', from: 'on', steps: [{ event: 'switch_off', actor, at }], update: update('lamps', 'lamp_y', 'on') }])], {
        lockFirst: sql`select id from fuses where id = 'fuse_1' for update`,
      });
      const settled = waiting.then(() => 'placed', (err: { code?: string }) => err.code);
      await untilLockWaits(database.db, 1);
      await holder.query(`update lamps set state = 'broken' where id = 'lamp_y'`);
      await holder.query('commit');
      expect(await settled).toBe('state_changed');
    } finally {
      await holder.end();
      await database.db.execute(sql`update lamps set state = 'on' where id = 'lamp_y'`);
    }
  });
});

