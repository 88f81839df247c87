import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../../test/helpers/app.js';
import { resolveRegion } from './regions.js';
import { MAX_ADDRESSES } from './service.js';

describe('GB/T 2260 regions', () => {
  it('derives names from codes and checks that each code lies in its parent', () => {
    expect(resolveRegion('330000', '330100', '330106')).toEqual({
      ok: true,
      region: { province: { code: '330000', name: '浙江省' }, city: { code: '330100', name: '杭州市' }, district: { code: '330106', name: '西湖区' } },
    });
    expect(resolveRegion('999999', '330100', '330106')).toMatchObject({ ok: false, field: 'provinceCode' });
    expect(resolveRegion('320000', '330100', '330106')).toMatchObject({ ok: false, field: 'cityCode' });
    expect(resolveRegion('330000', '330200', '330106')).toMatchObject({ ok: false, field: 'districtCode' });
    expect(resolveRegion('110000', '110100', '110105')).toMatchObject({ ok: true });
  });
});

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  [alice, bob] = await Promise.all([t.newUser(), t.newUser()]);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: TestUser | undefined, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, payload: payload as object, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } });

const hangzhou = { recipient: '李雷', mobile: '138 1234 5678', provinceCode: '330000', cityCode: '330100', districtCode: '330106', detail: '文三路 90 号', postalCode: '310012' };
const beijing = { recipient: '韩梅梅', mobile: '+8613900001111', provinceCode: '110000', cityCode: '110100', districtCode: '110105', detail: '建国路 1 号' };

describe('regions route', () => {
  it('serves the division tree with an ETag and answers 304 to a matching If-None-Match', async () => {
    const res = await call('GET', '/api/v1/regions', undefined);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age');
    const zhejiang = res.json().provinces.find((p: { code: string }) => p.code === '330000');
    expect(zhejiang.name).toBe('浙江省');
    expect(zhejiang.cities.find((c: { code: string }) => c.code === '330100').districts).toContainEqual({ code: '330106', name: '西湖区' });
    const again = await call('GET', '/api/v1/regions', undefined, undefined, { 'if-none-match': String(res.headers.etag) });
    expect(again.statusCode).toBe(304);
  });
});

describe('address book', () => {
  it('needs a login', async () => {
    expect((await call('GET', '/api/v1/addresses', undefined)).statusCode).toBe(401);
  });

  it('adds addresses with server-derived names; the first is the default; setting another default moves it', async () => {
    const first = await call('POST', '/api/v1/addresses', alice, { ...hangzhou, isDefault: false });
    expect(first.statusCode).toBe(201);
    expect(first.json().address).toMatchObject({ mobile: '13812345678', provinceName: '浙江省', cityName: '杭州市', districtName: '西湖区', isDefault: true });
    const second = await call('POST', '/api/v1/addresses', alice, beijing);
    expect(second.json().address).toMatchObject({ cityName: '北京市', districtName: '朝阳区', isDefault: false, postalCode: null });

    const made = await call('POST', `/api/v1/addresses/${second.json().address.id}/default`, alice);
    expect(made.json().address.isDefault).toBe(true);
    const list = (await call('GET', '/api/v1/addresses', alice)).json().items;
    expect(list.map((a: { id: string; isDefault: boolean }) => [a.id, a.isDefault])).toEqual([
      [second.json().address.id, true],
      [first.json().address.id, false],
    ]);

    // Deleting the default hands the default to the remaining address.
    expect((await call('DELETE', `/api/v1/addresses/${second.json().address.id}`, alice)).statusCode).toBe(204);
    const after = (await call('GET', '/api/v1/addresses', alice)).json().items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: first.json().address.id, isDefault: true });
  });

  it('refuses bad input: mobile, codes that do not fit, unknown fields', async () => {
    const badMobile = await call('POST', '/api/v1/addresses', alice, { ...hangzhou, mobile: '12812345678' });
    expect(badMobile.statusCode).toBe(400);
    const misfit = await call('POST', '/api/v1/addresses', alice, { ...hangzhou, districtCode: '110105' });
    expect(misfit.statusCode).toBe(400);
    expect(misfit.json().error).toMatchObject({ code: 'invalid_region', details: { fields: [{ path: 'body.districtCode' }] } });
    const unknownField = await call('POST', '/api/v1/addresses', alice, { ...hangzhou, provinceName: '火星' });
    expect(unknownField.statusCode).toBe(400);
    expect((await call('POST', '/api/v1/addresses', alice, { ...hangzhou, postalCode: '3100' })).statusCode).toBe(400);
  });

  it('edits the region as a whole and keeps names in step', async () => {
    const created = (await call('POST', '/api/v1/addresses', alice, hangzhou)).json().address;
    const moved = await call('PATCH', `/api/v1/addresses/${created.id}`, alice, { cityCode: '330200', districtCode: '330203' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().address).toMatchObject({ provinceName: '浙江省', cityName: '宁波市', districtName: '海曙区' });
    // A new city with the old district does not fit.
    const misfit = await call('PATCH', `/api/v1/addresses/${created.id}`, alice, { cityCode: '330100' });
    expect(misfit.json().error.code).toBe('invalid_region');
    await call('DELETE', `/api/v1/addresses/${created.id}`, alice);
  });

  it("another user's address is not found, whatever the verb", async () => {
    const mine = (await call('POST', '/api/v1/addresses', alice, hangzhou)).json().address;
    for (const [method, url, body] of [
      ['GET', `/api/v1/addresses/${mine.id}`, undefined],
      ['PATCH', `/api/v1/addresses/${mine.id}`, { detail: '别人的地址' }],
      ['DELETE', `/api/v1/addresses/${mine.id}`, undefined],
      ['POST', `/api/v1/addresses/${mine.id}/default`, undefined],
    ] as const) {
      const res = await call(method, url, bob, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call('GET', `/api/v1/addresses/${mine.id}`, alice)).json().address.detail).toBe('文三路 90 号');
    expect((await call('GET', '/api/v1/addresses', bob)).json().items).toEqual([]);
  });

  it(`keeps at most ${MAX_ADDRESSES} addresses`, async () => {
    const carol = await t.newUser();
    for (let i = 0; i < MAX_ADDRESSES; i++) expect((await call('POST', '/api/v1/addresses', carol, beijing)).statusCode).toBe(201);
    const full = await call('POST', '/api/v1/addresses', carol, beijing);
    expect(full.statusCode).toBe(422);
    expect(full.json().error.code).toBe('address_book_full');
    const list = (await call('GET', '/api/v1/addresses', carol)).json().items;
    expect(list.filter((a: { isDefault: boolean }) => a.isDefault)).toHaveLength(1);
  });
});
