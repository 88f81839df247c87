import { createHash, createHmac } from 'node:crypto';
import type { FileStorage } from './storage.js';

export type S3StorageOptions = {
  /** `https://s3.example.com` or `http://minio:9000`; objects live at `${endpoint}/${bucket}/${key}` (path style). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where browsers fetch objects (a CDN, a public bucket domain); defaults to `${endpoint}/${bucket}`. */
  publicUrl?: string;
  /** A request that takes longer fails, so an upload never hangs on a stuck store. */
  timeoutMs?: number;
  now?: () => Date;
};

/** Keys are content-addressed by image id: a stored object never changes, so caches may keep it for good. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Aliyun OSS, Tencent COS…) spoken to with plain
 * `fetch` and Signature Version 4. Path-style URLs, because most self-hosted stores have no
 * per-bucket DNS names.
 */
export function s3Storage(options: S3StorageOptions): FileStorage {
  const endpoint = new URL(options.endpoint.replace(/\/+$/, ''));
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const publicBase = (options.publicUrl ?? `${endpoint.origin}${basePath}/${options.bucket}`).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());

  const send = async (method: 'PUT' | 'DELETE', key: string, body?: Buffer, extra: Record<string, string> = {}) => {
    const path = `${basePath}/${uriEncode(options.bucket)}/${encodeKey(key)}`;
    const headers: Record<string, string> = { ...extra, 'x-amz-content-sha256': sha256Hex(body ?? '') };
    headers.authorization = signV4({ method, host: endpoint.host, path, headers, now: now(), region: options.region, service: 's3', accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }, headers);
    // fetch's types want an ArrayBuffer-backed view; a Buffer may sit on a SharedArrayBuffer.
    const res = await fetch(`${endpoint.origin}${path}`, { method, headers, body: body && new Uint8Array(body), signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`S3 ${method} ${key} failed: ${res.status} ${s3ErrorCode(text) ?? res.statusText}`.trim());
  };

  return {
    put: (key, body, contentType) => send('PUT', key, body, { 'content-type': contentType, 'cache-control': CACHE_CONTROL }),
    delete: (key) => send('DELETE', key),
    url: (key) => `${publicBase}/${encodeKey(key)}`,
  };
}

export type SignInput = {
  method: string;
  host: string;
  /** Already URI-encoded, as it goes on the wire. */
  path: string;
  /** Already canonical (`a=1&b=2`, sorted, encoded); none for the object requests here. */
  query?: string;
  /** Lower-case names; all of them are signed, plus `host` and `x-amz-date`. Must hold `x-amz-content-sha256`. */
  headers: Record<string, string>;
  now: Date;
  region: string;
  service: string;
  accessKeyId: string;
  secretAccessKey: string;
};

/**
 * AWS Signature Version 4: canonical request → string to sign → signing key → signature. Adds
 * `x-amz-date` to `into` (the headers that will be sent) and answers the Authorization value.
 */
export function signV4(input: SignInput, into: Record<string, string> = {}): string {
  const amzDate = input.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  into['x-amz-date'] = amzDate;
  const signed = new Map<string, string>([['host', input.host], ['x-amz-date', amzDate]]);
  for (const [name, value] of Object.entries(input.headers)) if (name !== 'authorization') signed.set(name.toLowerCase(), value);
  const names = [...signed.keys()].sort();
  const canonicalRequest = [
    input.method,
    input.path,
    input.query ?? '',
    names.map((n) => `${n}:${signed.get(n)!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    names.join(';'),
    signed.get('x-amz-content-sha256') ?? sha256Hex(''),
  ].join('\n');
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${input.secretAccessKey}`, day);
  for (const part of [input.region, input.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

/** S3's URI encoding: everything but the RFC 3986 unreserved characters, as UTF-8 percent escapes. */
export function uriEncode(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Each path segment encoded, `/` kept. `.`/`..` segments would be collapsed by URL parsing, so they are refused. */
export function encodeKey(key: string): string {
  const segments = key.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new Error(`invalid storage key: ${key}`);
  return segments.map(uriEncode).join('/');
}

function s3ErrorCode(xml: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
