import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/helpers/app.js';
import { multipartFile, testImage } from '../../../test/helpers/catalog.js';
import { makeMerchant } from '../../../test/helpers/factories.js';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { s3Storage, signV4 } from './s3-storage.js';

const BUCKET = 'flowmart-test';
const KEY_ID = 'FLOWMARTTESTKEY';
const SECRET = 'fake-secret/with+chars';
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

type StoredObject = { body: Buffer; contentType: string | undefined; cacheControl: string | undefined };
type FakeS3 = { url: string; objects: Map<string, StoredObject>; paths: string[]; close(): Promise<void> };

// ── A protocol-level fake: it re-derives every signature from the raw request, sharing no code with the client. ──

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** S3 URI encoding, byte by byte: unreserved characters stay, every other UTF-8 byte becomes %XX. */
function s3Encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function errorXml(code: string) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>fake S3 says ${code}</Message><RequestId>1</RequestId></Error>`;
}

/** The signature S3 expects, or the error code S3 would answer with. */
function verify(req: http.IncomingMessage, rawPath: string, body: Buffer, secrets: Record<string, string>): string | undefined {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  if (!auth) return 'AccessDenied';
  const [, keyId, day, region, signedHeaders, signature] = auth as unknown as [string, string, string, string, string, string];
  const secret = secrets[keyId];
  if (secret === undefined) return 'InvalidAccessKeyId';
  const names = signedHeaders.split(';');
  if (!['host', 'x-amz-date', 'x-amz-content-sha256'].every((n) => names.includes(n))) return 'AccessDenied';
  const amzDate = String(req.headers['x-amz-date']);
  if (!amzDate.startsWith(day)) return 'AuthorizationHeaderMalformed';
  const payloadHash = String(req.headers['x-amz-content-sha256']);
  if (payloadHash !== sha256(body)) return 'XAmzContentSHA256Mismatch';

  const canonicalUri = rawPath.split('/').map((segment) => s3Encode(decodeURIComponent(segment))).join('/');
  const canonicalHeaders = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim()}\n`).join('');
  const canonicalRequest = `${req.method}\n${canonicalUri}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex') === signature ? undefined : 'SignatureDoesNotMatch';
}

async function startFakeS3(secrets: Record<string, string>): Promise<FakeS3> {
  const objects = new Map<string, StoredObject>();
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawPath = (req.url ?? '/').split('?')[0]!;
      paths.push(rawPath);
      const fail = (status: number, code: string) => res.writeHead(status, { 'content-type': 'application/xml' }).end(errorXml(code));
      if (!rawPath.startsWith(`/${BUCKET}/`)) return fail(404, 'NoSuchBucket');
      const key = rawPath.slice(BUCKET.length + 2).split('/').map(decodeURIComponent).join('/');
      // Reads are public (a public-read bucket); writes must be signed.
      if (req.method === 'GET') {
        const object = objects.get(key);
        if (!object) return fail(404, 'NoSuchKey');
        return res.writeHead(200, { 'content-type': object.contentType ?? 'binary/octet-stream', 'cache-control': object.cacheControl ?? '' }).end(object.body);
      }
      const problem = verify(req, rawPath, body, secrets);
      if (problem) return fail(problem === 'XAmzContentSHA256Mismatch' || problem === 'AuthorizationHeaderMalformed' ? 400 : 403, problem);
      if (req.method === 'PUT') {
        objects.set(key, { body, contentType: req.headers['content-type'], cacheControl: req.headers['cache-control'] });
        return res.writeHead(200, { etag: `"${sha256(body).slice(0, 32)}"` }).end();
      }
      if (req.method === 'DELETE') {
        objects.delete(key);
        return res.writeHead(204).end();
      }
      return fail(405, 'MethodNotAllowed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, objects, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let fake: FakeS3;
beforeAll(async () => {
  fake = await startFakeS3({ [KEY_ID]: SECRET });
});
afterAll(() => fake.close());

const storageFor = (overrides: Partial<Parameters<typeof s3Storage>[0]> = {}) =>
  s3Storage({ endpoint: fake.url, bucket: BUCKET, region: 'us-east-1', accessKeyId: KEY_ID, secretAccessKey: SECRET, ...overrides });

describe('SigV4 signing', () => {
  // The two worked examples of AWS's S3 documentation ("Signature calculations for the Authorization
  // header: transferring payload in a single chunk"), example credentials and all.
  const example = { host: 'examplebucket.s3.amazonaws.com', now: new Date('2013-05-24T00:00:00Z'), region: 'us-east-1', service: 's3', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

  it('signs the documented GET Object example', () => {
    const headers = { range: 'bytes=0-9', 'x-amz-content-sha256': sha256('') };
    expect(signV4({ ...example, method: 'GET', path: '/test.txt', headers })).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('signs the documented PUT Object example', () => {
    const payloadHash = sha256('Welcome to Amazon S3.');
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const headers = { date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': payloadHash };
    expect(signV4({ ...example, method: 'PUT', path: '/test%24file.text', headers })).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
  });
});

describe('S3 storage against a fake S3', () => {
  it('puts an object that reads back byte for byte, with its content type and a forever cache', async () => {
    const storage = storageFor();
    const body = await testImage('png', 40, 30);
    await storage.put('mer_1/img_1.png', body, 'image/png');
    expect(fake.objects.get('mer_1/img_1.png')).toMatchObject({ contentType: 'image/png', cacheControl: CACHE_FOREVER });

    expect(storage.url('mer_1/img_1.png')).toBe(`${fake.url}/${BUCKET}/mer_1/img_1.png`);
    const res = await fetch(storage.url('mer_1/img_1.png'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('deletes an object', async () => {
    const storage = storageFor();
    await storage.put('mer_1/gone.webp', Buffer.from('x'), 'image/webp');
    await storage.delete('mer_1/gone.webp');
    expect(fake.objects.has('mer_1/gone.webp')).toBe(false);
    expect((await fetch(storage.url('mer_1/gone.webp'))).status).toBe(404);
  });

  it('throws with the status and S3 error code when the secret is wrong, storing nothing', async () => {
    const storage = storageFor({ secretAccessKey: 'not-the-secret' });
    await expect(storage.put('mer_1/denied.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/403 SignatureDoesNotMatch/);
    await expect(storage.delete('mer_1/img_1.png')).rejects.toThrow(/403 SignatureDoesNotMatch/);
    expect(fake.objects.has('mer_1/denied.jpg')).toBe(false);
    expect(fake.objects.has('mer_1/img_1.png')).toBe(true);
    await expect(storageFor({ accessKeyId: 'NOBODY' }).put('mer_1/x.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/403 InvalidAccessKeyId/);
  });

  it('encodes each segment of a key the way S3 signs it, keeping the slashes', async () => {
    const storage = storageFor();
    const key = "mer_1/图片 (1)+a!*'~=&$@,;:.jpg";
    await storage.put(key, Buffer.from('special'), 'image/jpeg');
    const encoded = '/mer_1/%E5%9B%BE%E7%89%87%20%281%29%2Ba%21%2A%27~%3D%26%24%40%2C%3B%3A.jpg';
    expect(fake.paths.at(-1)).toBe(`/${BUCKET}${encoded}`);
    expect(fake.objects.get(key)?.body.toString()).toBe('special');
    expect(storage.url(key)).toBe(`${fake.url}/${BUCKET}${encoded}`);
    expect(await (await fetch(storage.url(key))).text()).toBe('special');
    expect(() => storage.url('mer_1/../etc/passwd')).toThrow(/invalid storage key/);
  });

  it('answers URLs under the public base when one is given', () => {
    expect(storageFor({ publicUrl: 'https://img.example.com/' }).url('mer_1/a.jpg')).toBe('https://img.example.com/mer_1/a.jpg');
    expect(storageFor({ endpoint: `${fake.url}/` }).url('mer_1/a.jpg')).toBe(`${fake.url}/${BUCKET}/mer_1/a.jpg`);
  });
});

describe('S3 configuration', () => {
  const full = { S3_ENDPOINT: 'https://s3.example.com', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };

  it('is off by default and complete when S3_ENDPOINT is set, in us-east-1 unless told', () => {
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig(full).s3).toEqual({ endpoint: 'https://s3.example.com', bucket: 'b', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's', publicUrl: undefined });
    expect(loadConfig({ ...full, S3_REGION: 'cn-east-1', S3_PUBLIC_URL: 'https://img.example.com' }).s3).toMatchObject({ region: 'cn-east-1', publicUrl: 'https://img.example.com' });
  });

  it('is all or nothing: a ConfigError names every missing variable', () => {
    expect(() => loadConfig({ S3_ENDPOINT: 'https://s3.example.com', S3_BUCKET: 'b' })).toThrow(ConfigError);
    expect(() => loadConfig({ S3_ENDPOINT: 'https://s3.example.com', S3_BUCKET: 'b' })).toThrow(/S3_ACCESS_KEY_ID: required when S3_ENDPOINT is set\n {2}S3_SECRET_ACCESS_KEY: required/);
    expect(() => loadConfig({ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/S3_ENDPOINT: required when S3_BUCKET, S3_ACCESS_KEY_ID are set/);
    expect(() => loadConfig({ ...full, S3_ENDPOINT: 'ftp://s3.example.com' })).toThrow(/S3_ENDPOINT/);
  });
});

describe('image upload with S3 storage', () => {
  it('stores the three variants in the bucket and answers URLs under its public base', async () => {
    const t = await createTestApp({ env: { S3_ENDPOINT: fake.url, S3_BUCKET: BUCKET, S3_ACCESS_KEY_ID: KEY_ID, S3_SECRET_ACCESS_KEY: SECRET } });
    try {
      const merchant = await makeMerchant(t);
      const body = multipartFile(await testImage('jpeg', 1200, 900));
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/merchant/images', payload: body.payload, headers: { ...body.headers, cookie: merchant.owner.cookie } });
      expect(res.statusCode, res.body).toBe(201);
      const image = res.json().image;
      const base = `${fake.url}/${BUCKET}/${merchant.merchantId}/${image.id}`;
      expect([image.url, image.thumbUrl, image.smallUrl]).toEqual([`${base}.jpg`, `${base}-w800.webp`, `${base}-w240.webp`]);
      for (const [suffix, type] of [['.jpg', 'image/jpeg'], ['-w800.webp', 'image/webp'], ['-w240.webp', 'image/webp']] as const) {
        expect(fake.objects.get(`${merchant.merchantId}/${image.id}${suffix}`)).toMatchObject({ contentType: type, cacheControl: CACHE_FOREVER });
      }
      const served = await fetch(image.url);
      expect(served.headers.get('content-type')).toBe('image/jpeg');
      // Nothing is kept on local disk, and the pages may load images from the bucket.
      expect((await t.app.inject({ method: 'GET', url: `/uploads/${merchant.merchantId}/${image.id}.jpg` })).statusCode).toBe(404);
      expect(res.headers['content-security-policy']).toContain(`img-src 'self' data: blob: ${fake.url}`);
    } finally {
      await t.close();
    }
  });
});
