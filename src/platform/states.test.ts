import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { type Database, queryRows } from './db.js';
import { AppError } from './errors.js';
import { defineMachine, transition } from './states.js';

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
