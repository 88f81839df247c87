import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let webDist: string;
beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Flowmart</title><div id="root"></div>');
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
  t = await createTestApp({ env: { WEB_DIST: webDist } });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

const get = (url: string) => t.app.inject({ method: 'GET', url });

describe('operations endpoints', () => {
  it('/healthz answers without touching the database; /readyz checks it', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await get('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('/metrics speaks the Prometheus text format and counts requests by route', async () => {
    await get('/api/v1/me');
    const res = await get('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_seconds_total');
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/me",status="401"\} \d+/);
  });

  it('/openapi.json is OpenAPI 3.1 generated from the route schemas, and /docs serves the reference', async () => {
    const spec = (await get('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    const register = spec.paths['/api/v1/auth/register'].post;
    expect(register.requestBody.content['application/json'].schema.properties.password.minLength).toBe(8);
    expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '400', '409']));
    expect(spec.paths['/api/v1/admin/users'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['q', 'cursor', 'limit']),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('HTTP conventions', () => {
  it('sets security headers and echoes a request id', async () => {
    const res = await get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-request-id']).toBeTruthy();
    const traced = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-request-id': 'trace-123' } });
    expect(traced.json().error.requestId).toBe('trace-123');
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const res = await get('/api/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found' });
  });

  it('serves the web app for page paths and its assets, but never HTML for API paths', async () => {
    expect((await get('/')).body).toContain('<div id="root">');
    const page = await get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<div id="root">');
    expect((await get('/merchant/products')).body).toContain('<div id="root">');
    expect((await get('/assets/app.js')).body).toBe('console.log(1)');
    expect((await get('/assets/missing.js')).statusCode).toBe(404);
    expect((await get('/api/v1/missing')).headers['content-type']).toContain('application/json');
  });
});

describe('rate limit', () => {
  it('answers 429 rate_limited past the per-address budget', async () => {
    const limited = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const res = await limited.app.inject({ method: 'GET', url: '/api/v1/me' });
      expect(res.json().error.code).toBe('rate_limited');
      expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
