import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { makeApiKey, makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { defaultStoreRules, evaluateStoreRules, type StoreRules } from './store-rules.js';

const rules: StoreRules = {
  minOrderAmount: 2000,
  maxQuantityPerSku: 3,
  deliveryProvinces: ['310000', '330000'],
  shippingFee: 800,
  freeShippingFrom: 9900,
  acceptMode: 'manual',
  acceptDeadlineHours: 24,
};

describe('evaluateStoreRules', () => {
  it('charges the flat fee below the free-shipping amount and nothing from it on', () => {
    expect(evaluateStoreRules(rules, { itemsTotal: 9899, lines: [] }).shippingFee).toBe(800);
    expect(evaluateStoreRules(rules, { itemsTotal: 9900, lines: [] }).shippingFee).toBe(0);
    expect(evaluateStoreRules({ ...rules, freeShippingFrom: null }, { itemsTotal: 10 ** 7, lines: [] }).shippingFee).toBe(800);
    expect(evaluateStoreRules(defaultStoreRules, { itemsTotal: 1, lines: [] })).toEqual({ shippingFee: 0, unmet: [] });
  });

  it('lists every unmet condition: minimum, per-SKU limit (summed over lines), province', () => {
    const { unmet } = evaluateStoreRules(rules, {
      itemsTotal: 1500,
      lines: [
        { skuId: 'sku_a', quantity: 2 },
        { skuId: 'sku_a', quantity: 2 },
        { skuId: 'sku_b', quantity: 3 },
      ],
      provinceCode: '110000',
    });
    expect(unmet).toEqual([
      { code: 'below_minimum_amount', minimum: 2000, itemsTotal: 1500, shortBy: 500 },
      { code: 'quantity_above_limit', skuId: 'sku_a', limit: 3, quantity: 4 },
      { code: 'province_not_served', provinceCode: '110000', provinces: ['310000', '330000'] },
    ]);
    // Without an address yet (the cart), the province waits.
    expect(evaluateStoreRules(rules, { itemsTotal: 2000, lines: [{ skuId: 'sku_a', quantity: 3 }] }).unmet).toEqual([]);
  });
});

let t: TestApp;
let store: TestMerchant;
beforeAll(async () => {
  t = await createTestApp();
  store = await makeMerchant(t);
});
afterAll(() => t.close());

describe('merchant order-rules routes', () => {
  it('answers the defaults, then what the owner set; a key needs orders:write to change them', async () => {
    const initial = await t.app.inject({ method: 'GET', url: '/api/v1/merchant/order-rules', headers: { cookie: store.owner.cookie } });
    expect(initial.json().rules).toEqual(defaultStoreRules);
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/merchant/order-rules', headers: { cookie: store.owner.cookie }, payload: { ...rules, deliveryProvinces: ['330000', '310000', '330000'] } });
    expect(put.statusCode).toBe(200);
    expect(put.json().rules).toEqual(rules);

    const reader = await makeApiKey(t, store, ['orders:read']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/merchant/order-rules', headers: { authorization: reader } })).json().rules).toEqual(rules);
    const refused = await t.app.inject({ method: 'PUT', url: '/api/v1/merchant/order-rules', headers: { authorization: reader }, payload: rules });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('missing_scope');
    const writer = await makeApiKey(t, store, ['orders:write']);
    const viaKey = await t.app.inject({ method: 'PUT', url: '/api/v1/merchant/order-rules', headers: { authorization: writer }, payload: { ...rules, acceptMode: 'auto' } });
    expect(viaKey.json().rules.acceptMode).toBe('auto');
  });

  it('refuses unknown provinces, negative fees and missing fields; a shopper is not a merchant', async () => {
    const put = (payload: unknown) => t.app.inject({ method: 'PUT', url: '/api/v1/merchant/order-rules', headers: { cookie: store.owner.cookie }, payload: payload as object });
    expect((await put({ ...rules, deliveryProvinces: ['330100'] })).statusCode).toBe(400);
    expect((await put({ ...rules, shippingFee: -1 })).statusCode).toBe(400);
    expect((await put({ ...rules, acceptDeadlineHours: 0 })).statusCode).toBe(400);
    const { acceptMode: _omit, ...partial } = rules;
    expect((await put(partial)).statusCode).toBe(400);
    const shopper = await t.newUser();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/merchant/order-rules', headers: { cookie: shopper.cookie } });
    expect(res.json().error.code).toBe('not_merchant');
  });
});
