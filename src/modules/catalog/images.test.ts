import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../../test/helpers/app.js';
import { createCatalogTestApp, multipartFile, testImage } from '../../../test/helpers/catalog.js';
import { makeApiKey, makeMerchant, type TestMerchant } from '../../../test/helpers/factories.js';
import { queryRows } from '../../platform/db.js';

let t: TestApp;
let merchant: TestMerchant;
beforeAll(async () => {
  t = await createCatalogTestApp();
  merchant = await makeMerchant(t);
});
afterAll(() => t.close());

const upload = (data: Buffer, options: Parameters<typeof multipartFile>[1] = {}, auth: Record<string, string> = { cookie: merchant.owner.cookie }) => {
  const body = multipartFile(data, options);
  return t.app.inject({ method: 'POST', url: '/api/v1/merchant/images', payload: body.payload, headers: { ...body.headers, ...auth } });
};
const imageCount = async () => (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from images`))[0]!.n;

describe('image upload', () => {
  it('re-encodes a JPEG without its metadata, makes webp thumbnails and serves them for good', async () => {
    const withExif = await sharp(await testImage('jpeg', 3000, 2000))
      .withExif({ IFD0: { Copyright: 'secret', Artist: 'GPS 31.2N 121.5E' } })
      .jpeg()
      .toBuffer();
    expect((await sharp(withExif).metadata()).exif).toBeDefined();
    const res = await upload(withExif, { filename: 'IMG_0001.JPG' });
    expect(res.statusCode, res.body).toBe(201);
    const image = res.json().image;
    expect(image.id).toMatch(/^img_/);
    expect(image).toMatchObject({ width: 2400, height: 1600 });
    expect(image.url).toBe(`/uploads/${merchant.merchantId}/${image.id}.jpg`);

    const full = await t.app.inject({ method: 'GET', url: image.url });
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('image/jpeg');
    expect(full.headers['cache-control']).toContain('immutable');
    const fullMeta = await sharp(full.rawPayload).metadata();
    expect(fullMeta.exif).toBeUndefined();
    expect(fullMeta.format).toBe('jpeg');

    for (const [url, width] of [
      [image.thumbUrl, 800],
      [image.smallUrl, 240],
    ] as const) {
      const thumb = await t.app.inject({ method: 'GET', url });
      expect(thumb.statusCode).toBe(200);
      const meta = await sharp(thumb.rawPayload).metadata();
      expect(meta).toMatchObject({ format: 'webp', width });
    }
  });

  it('takes PNG and WebP, judging by the bytes and not the name, and never enlarges', async () => {
    const png = await upload(await testImage('png', 300, 200), { filename: 'logo.webp', contentType: 'image/webp' });
    expect(png.statusCode).toBe(201);
    expect(png.json().image).toMatchObject({ width: 300, height: 200 });
    expect(png.json().image.url).toMatch(/\.png$/);
    const webp = await upload(await testImage('webp', 500, 500), { filename: 'x.png', contentType: 'image/png' });
    expect(webp.json().image.url).toMatch(/\.webp$/);
  });

  it('refuses what is not a JPEG, PNG or WebP with 400 not_an_image, storing nothing', async () => {
    const before = await imageCount();
    const text = await upload(Buffer.from('this is not an image at all'), { filename: 'photo.jpg' });
    expect(text.statusCode).toBe(400);
    expect(text.json().error.code).toBe('not_an_image');
    const gif = await upload(await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).gif().toBuffer(), { filename: 'a.gif' });
    expect(gif.json().error.code).toBe('not_an_image');
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'), { filename: 'a.png' });
    expect(svg.json().error.code).toBe('not_an_image');
    const truncated = (await testImage('jpeg')).subarray(0, 400);
    expect((await upload(truncated)).statusCode).toBe(400);
    expect(await imageCount()).toBe(before);
  });

  it('refuses a 6 MB file with 413 and a non-multipart body with 415', async () => {
    const before = await imageCount();
    const big = await upload(randomBytes(6 * 1024 * 1024));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const json = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/images', headers: { cookie: merchant.owner.cookie }, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);
    expect(await imageCount()).toBe(before);
  });

  it('needs products:write and a store', async () => {
    const readOnly = await makeApiKey(t, merchant, ['products:read']);
    const denied = await upload(await testImage(), {}, { authorization: readOnly });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('missing_scope');
    const writer = await makeApiKey(t, merchant, ['products:write']);
    expect((await upload(await testImage(), {}, { authorization: writer })).statusCode).toBe(201);
    const shopper = await t.newUser();
    expect((await upload(await testImage(), {}, { cookie: shopper.cookie })).statusCode).toBe(403);
    expect((await upload(await testImage(), {}, {})).statusCode).toBe(401);
  });

  it('answers 404 for an upload that does not exist, and never serves outside the uploads', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/uploads/mer_x/nothing.jpg' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/uploads/../../etc/passwd' })).statusCode).toBe(404);
  });
});
