import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestUser } from '../../../test/helpers/app.js';
import { createCatalogTestApp, createProduct, makeCategories, productInput } from '../../../test/helpers/catalog.js';
import { makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { queryRows } from '../../platform/db.js';
import { writeWithEvents } from '../../platform/events.js';
import { reserveStockSql, stockShortage } from './reservations.js';

let t: TestApp;
let admin: TestUser;
let merchant: TestMerchant;
let leafId: string;
beforeAll(async () => {
  t = await createCatalogTestApp();
  admin = await t.newAdmin();
  merchant = await makeMerchant(t, admin);
  ({ leafId } = await makeCategories(t, admin));
});
afterAll(() => t.close());

const adjust = (skuId: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1/merchant/skus/${skuId}/stock`, headers: { cookie: merchant.owner.cookie }, payload });
const skuRow = async (id: string) =>
  (await queryRows<{ on_hand: number; reserved: number }>(t.database.db, sql`select on_hand, reserved from skus where id = ${id}`))[0]!;
const productStock = async (id: string) =>
  (await queryRows<{ stock_total: number }>(t.database.db, sql`select stock_total from products where id = ${id}`))[0]!.stock_total;

describe('stock adjustments', () => {
  it('sets, adds and removes, records each with who, how much and why, and keeps the product total', async () => {
    const product = await createProduct(t, { cookie: merchant.owner.cookie }, productInput(leafId));
    const sku = product.skus[0]!; // on hand 10
    const added = await adjust(sku.id, { mode: 'add', quantity: 15, reason: '到货入库' });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({
      sku: { id: sku.id, onHand: 25, reserved: 0, available: 25 },
      adjustment: { mode: 'add', delta: 15, onHandAfter: 25, reason: '到货入库', actor: { kind: 'user', id: merchant.owner.id } },
    });
    expect((await adjust(sku.id, { mode: 'remove', quantity: 5, reason: '破损' })).json().sku.onHand).toBe(20);
    expect((await adjust(sku.id, { mode: 'set', quantity: 7, reason: '盘点' })).json().adjustment).toMatchObject({ delta: -13, onHandAfter: 7 });
    expect(await productStock(product.id)).toBe(7 + 5 + 0 + 3);

    const history = await t.app.inject({ method: 'GET', url: `/api/v1/merchant/skus/${sku.id}/stock-adjustments?limit=3`, headers: { cookie: merchant.owner.cookie } });
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((a: { mode: string; delta: number }) => [a.mode, a.delta])).toEqual([
      ['set', -13],
      ['remove', -5],
      ['add', 15],
    ]);
    const older = await t.app.inject({
      method: 'GET',
      url: `/api/v1/merchant/skus/${sku.id}/stock-adjustments?cursor=${history.json().nextCursor}`,
      headers: { cookie: merchant.owner.cookie },
    });
    expect(older.json().items).toEqual([expect.objectContaining({ mode: 'initial', delta: 10, onHandAfter: 10 })]);
  });

  it('never goes negative nor below what orders have reserved', async () => {
    const product = await createProduct(t, { cookie: merchant.owner.cookie }, productInput(leafId));
    const sku = product.skus[0]!; // on hand 10
    await t.database.db.execute(sql`update skus set reserved = 4 where id = ${sku.id}`);
    const tooMuch = await adjust(sku.id, { mode: 'remove', quantity: 7, reason: '' });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().error).toMatchObject({ code: 'insufficient_stock', details: { onHand: 10, reserved: 4, requested: 3 } });
    expect((await adjust(sku.id, { mode: 'set', quantity: 3, reason: '' })).statusCode).toBe(422);
    expect(await skuRow(sku.id)).toEqual({ on_hand: 10, reserved: 4 });
    expect((await adjust(sku.id, { mode: 'set', quantity: 4, reason: '' })).json().sku).toMatchObject({ onHand: 4, available: 0 });

    for (const payload of [
      { mode: 'remove', quantity: -1, reason: '' },
      { mode: 'add', quantity: 0, reason: '' },
      { mode: 'add', quantity: 1.5, reason: '' },
      { mode: 'take', quantity: 1, reason: '' },
      { mode: 'add', quantity: '3', reason: '' },
      { mode: 'add', quantity: 100_000_001, reason: '' },
    ]) {
      expect((await adjust(sku.id, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    const overCap = await adjust(sku.id, { mode: 'add', quantity: 100_000_000, reason: '' });
    expect(overCap.json().error.code).toBe('stock_too_high');
    expect(await skuRow(sku.id)).toEqual({ on_hand: 4, reserved: 4 });
  });

  it('lets concurrent removals take exactly what there is', async () => {
    const product = await createProduct(t, { cookie: merchant.owner.cookie }, productInput(leafId));
    const sku = product.skus[0]!; // on hand 10
    const results = await Promise.all(Array.from({ length: 16 }, () => adjust(sku.id, { mode: 'remove', quantity: 1, reason: '并发' })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(10);
    expect(results.filter((r) => r.statusCode === 422)).toHaveLength(6);
    expect(await skuRow(sku.id)).toEqual({ on_hand: 0, reserved: 0 });
    const [sum] = await queryRows<{ total: number }>(t.database.db, sql`select sum(delta)::int as total from stock_adjustments where sku_id = ${sku.id}`);
    expect(sum!.total).toBe(0);
  });

  it('answers 404 for an unknown SKU', async () => {
    expect((await adjust('sku_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F', { mode: 'add', quantity: 1, reason: '' })).statusCode).toBe(404);
  });
});

describe('reservation inside a caller’s statement', () => {
  const reserve = (lines: { skuId: string; quantity: number }[]) => writeWithEvents(t.database.db, [], [], reserveStockSql(lines, new Date()));

  it('takes every line or none; the refusal names each short line with what is free', async () => {
    const product = await createProduct(t, { cookie: merchant.owner.cookie }, productInput(leafId));
    const [roomy, small] = [product.skus[0]!, product.skus[1]!]; // on hand 10 and 5
    const lines = [
      { skuId: roomy.id, quantity: 4 },
      { skuId: small.id, quantity: 6 },
    ];
    const refused = await reserve(lines).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(await stockShortage(t.database.db, refused, lines)).toEqual([{ skuId: small.id, requested: 6, available: 5 }]);
    // The line that fitted was rolled back with the statement.
    expect(await skuRow(roomy.id)).toEqual({ on_hand: 10, reserved: 0 });
    expect(await skuRow(small.id)).toEqual({ on_hand: 5, reserved: 0 });

    await reserve([...lines.slice(0, 1), { skuId: small.id, quantity: 5 }]);
    expect([await skuRow(roomy.id), await skuRow(small.id)]).toEqual([
      { on_hand: 10, reserved: 4 },
      { on_hand: 5, reserved: 5 },
    ]);
    // Any other failure is not a shortage.
    expect(await stockShortage(t.database.db, new Error('connection reset'), lines)).toBeUndefined();
  });
});
