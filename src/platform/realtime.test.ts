import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/database.js';
import { type Database, openDatabase } from './db.js';
import { appendFlowEvent, appendFlowEvents, type FlowEventNotice } from './events.js';
import { createRealtime } from './realtime.js';

const actor = { kind: 'system', id: 'test' } as const;

function nextNotice(subscribe: (handler: (n: FlowEventNotice) => void) => () => void): Promise<FlowEventNotice> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no notice within 5 s')), 5000);
    const off = subscribe((notice) => {
      clearTimeout(timer);
      off();
      resolve(notice);
    });
  });
}

describe('realtime fan-out of the flow log', () => {
  let database: Database;
  let url: string | undefined;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, url, drop } = await createTestDatabase());
  });
  afterAll(() => drop());

  it('delivers a committed event to subscribers of its object and of related objects, not before commit', async () => {
    const realtime = await createRealtime(database);
    try {
      const byOrder = nextNotice((h) => realtime.subscribe('order', 'ord_1', h));
      const byGroup = nextNotice((h) => realtime.subscribe('order_group', 'grp_1', h));
      let seen = false;
      const off = realtime.subscribe('order', 'ord_1', () => (seen = true));
      await database.db.transaction(async (tx) => {
        await appendFlowEvent(tx, {
          type: 'order.paid',
          objectType: 'order',
          objectId: 'ord_1',
          actor,
          occurredAt: new Date(),
          related: [{ type: 'order_group', id: 'grp_1', qualifier: 'part of' }],
        });
        await new Promise((r) => setTimeout(r, 50));
        expect(seen).toBe(false);
      });
      off();
      const [a, b] = await Promise.all([byOrder, byGroup]);
      expect(a).toMatchObject({ type: 'order.paid', objectId: 'ord_1' });
      expect(b.seq).toBe(a.seq);
    } finally {
      await realtime.close();
    }
  });

  it('announces a batch of events in the order appended, with increasing seq', async () => {
    const realtime = await createRealtime(database);
    try {
      const received: FlowEventNotice[] = [];
      realtime.subscribe('product', 'prd_batch', (n) => received.push(n));
      const types = ['product.created', 'product.updated', 'product.submit'];
      const appended = await appendFlowEvents(
        database.db,
        types.map((type) => ({ type, objectType: 'product', objectId: 'prd_batch', actor, occurredAt: new Date() })),
      );
      for (let i = 0; i < 50 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received.map((n) => n.type)).toEqual(types);
      expect(received.map((n) => n.seq)).toEqual(appended.map((a) => a.seq));
      expect([...appended.map((a) => a.seq)].sort((a, b) => a - b)).toEqual(appended.map((a) => a.seq));
    } finally {
      await realtime.close();
    }
  });

  it('sends nothing for a rolled-back change', async () => {
    const realtime = await createRealtime(database);
    try {
      const received: FlowEventNotice[] = [];
      realtime.subscribe('order', 'ord_2', (n) => received.push(n));
      await database.db
        .transaction(async (tx) => {
          await appendFlowEvent(tx, { type: 'order.paid', objectType: 'order', objectId: 'ord_2', actor, occurredAt: new Date() });
          throw new Error('roll back');
        })
        .catch(() => {});
      await appendFlowEvent(database.db, { type: 'order.cancelled', objectType: 'order', objectId: 'ord_2', actor, occurredAt: new Date() });
      await new Promise((r) => setTimeout(r, 300));
      expect(received.map((n) => n.type)).toEqual(['order.cancelled']);
    } finally {
      await realtime.close();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('reaches a subscriber on another connection pool, as another app process would (PostgreSQL)', async () => {
    const other = await openDatabase({ databaseUrl: url!, poolSize: 2 });
    const remote = await createRealtime(other);
    try {
      const arrived = nextNotice((h) => remote.subscribe('order', 'ord_3', h));
      await appendFlowEvent(database.db, { type: 'order.shipped', objectType: 'order', objectId: 'ord_3', actor, occurredAt: new Date() });
      expect(await arrived).toMatchObject({ type: 'order.shipped', objectId: 'ord_3' });
    } finally {
      await remote.close();
      await other.close();
    }
  });
});
