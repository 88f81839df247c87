import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { manualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { createTestApp, sessionCookie, type TestApp } from '../../../test/helpers/app.js';

const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(() => t.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });

describe('register', () => {
  it('registers with an email, normalizes it, logs the user in and records the event', async () => {
    const res = await post('/api/v1/auth/register', { email: '  Li.Lei@Example.COM ', password: 'correct horse', name: '李雷' });
    expect(res.statusCode).toBe(201);
    const { user } = res.json();
    expect(user).toMatchObject({ email: 'li.lei@example.com', mobile: null, name: '李雷', roles: ['customer'] });
    expect(user.id).toMatch(/^usr_[0-9A-Z]{26}$/);
    expect(user).not.toHaveProperty('passwordHash');
    const cookie = res.cookies.find((c) => c.name === 'fm_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(Buffer.from(cookie.value, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect((await me(sessionCookie(res))).json().user.id).toBe(user.id);
  });

  it('registers with a mainland mobile number, accepting +86 and spaces', async () => {
    const res = await post('/api/v1/auth/register', { mobile: '+86 139 0000 1111', password: 'password-1' });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ mobile: '13900001111', email: null, name: '用户1111' });
  });

  it('refuses a taken email or mobile with 409', async () => {
    await post('/api/v1/auth/register', { email: 'taken@example.com', password: 'password-1' });
    const again = await post('/api/v1/auth/register', { email: 'TAKEN@example.com', password: 'password-2' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('email_taken');
    await post('/api/v1/auth/register', { mobile: '13700001234', password: 'password-1' });
    const mobileAgain = await post('/api/v1/auth/register', { mobile: '13700001234', password: 'password-1' });
    expect(mobileAgain.json().error.code).toBe('mobile_taken');
  });

  it.each([
    ['no login at all', { password: 'password-1' }, 'body.email'],
    ['both email and mobile', { email: 'a@example.com', mobile: '13800000000', password: 'password-1' }, 'body.email'],
    ['a short password', { email: 'short@example.com', password: '1234567' }, 'body.password'],
    ['a mobile that is not mainland', { mobile: '12345678901', password: 'password-1' }, 'body.mobile'],
    ['a bad email', { email: 'not-an-email', password: 'password-1' }, 'body.email'],
    ['a number for a password', { email: 'n@example.com', password: 12345678 }, 'body.password'],
    ['an unknown field', { email: 'u@example.com', password: 'password-1', role: 'admin' }, 'body.role'],
  ])('refuses %s with 400 and a field-level message', async (_name, body, field) => {
    const res = await post('/api/v1/auth/register', body);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_failed');
    expect(error.details.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(error.requestId).toBeTruthy();
  });

  it('answers malformed JSON with 400, a non-JSON type with 415 and a 3 MB body with 413, never 500', async () => {
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('malformed_json');
    const xml = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: '<user/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.statusCode).toBe(415);
    const huge = await post('/api/v1/auth/register', { email: 'big@example.com', password: 'password-1', name: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const empty = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', headers: { 'content-type': 'application/json' } });
    expect(empty.statusCode).toBe(400);
    expect((await post('/api/v1/auth/login', {})).json().error.code).toBe('validation_failed');
    const nothingStored = await post('/api/v1/auth/login', { login: 'big@example.com', password: 'password-1' });
    expect(nothingStored.statusCode).toBe(401);
  });
});

describe('login and logout', () => {
  it('logs in by email or mobile, and logout ends only that session', async () => {
    const user = await t.newUser({ mobile: '13612345678' });
    const byMobile = await post('/api/v1/auth/login', { login: '136-1234-5678', password: user.password });
    expect(byMobile.statusCode).toBe(200);
    const cookie = sessionCookie(byMobile);
    const logout = await post('/api/v1/auth/logout', undefined, { cookie });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'fm_session')?.value).toBe('');
    expect((await me(cookie)).statusCode).toBe(401);
    expect((await me(user.cookie)).statusCode).toBe(200);
  });

  it('answers a wrong password and an unknown account identically', async () => {
    const user = await t.newUser();
    const wrong = await post('/api/v1/auth/login', { login: user.email, password: 'not-the-password' });
    const unknown = await post('/api/v1/auth/login', { login: 'nobody@example.com', password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: { error: { requestId?: string } }) => ({ ...body.error, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });

  it('slows down repeated failures per account with 429 and Retry-After, even with the right password', async () => {
    const user = await t.newUser();
    const attempt = (password: string, ip: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: user.email, password }, remoteAddress: ip });
    for (let i = 0; i < 6; i++) expect((await attempt('wrong-password', `10.0.0.${i}`)).statusCode).toBe(401);
    const locked = await attempt(user.password, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(Number(locked.headers['retry-after']) * 1000);
    expect((await attempt(user.password, '10.0.1.1')).statusCode).toBe(200);
    // A success clears the account's count.
    expect((await attempt('wrong-password', '10.0.1.2')).statusCode).toBe(401);
    expect((await attempt(user.password, '10.0.1.2')).statusCode).toBe(200);
  });

  it('slows down one address trying many accounts', async () => {
    const ip = '10.9.9.9';
    for (let i = 0; i < 21; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: `guess${i}@example.com`, password: 'x' }, remoteAddress: ip });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'guess-more@example.com', password: 'x' }, remoteAddress: ip });
    expect(blocked.statusCode).toBe(429);
    const otherAddress = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'guess-more@example.com', password: 'x' }, remoteAddress: '10.9.9.10' });
    expect(otherAddress.statusCode).toBe(401);
    clock.advance(16 * 60_000);
  });

  it('refuses a cookie-authenticated request from another origin with 403', async () => {
    const user = await t.newUser();
    const foreign = await post('/api/v1/auth/logout', undefined, { cookie: user.cookie, origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('cross_origin_refused');
    expect((await me(user.cookie)).statusCode).toBe(200);
    const sameOrigin = await post('/api/v1/auth/logout', undefined, { cookie: user.cookie, origin: 'http://localhost:80', host: 'localhost:80' });
    expect(sameOrigin.statusCode).toBe(204);
  });
});

describe('sessions', () => {
  it('answers 401 without a session or with a forged one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const forged = await me('fm_session=forged-token');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('unauthenticated');
  });

  it('survive a restart: a second app on the same database accepts the cookie', async () => {
    const user = await t.newUser();
    const restarted = await buildApp({ config: loadConfig({ SEED: 'none', WEB_DIST: '/nonexistent' }), database: t.database, logger: false, clock });
    try {
      const res = await restarted.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: user.cookie } });
      expect(res.json().user.id).toBe(user.id);
    } finally {
      await restarted.app.close();
    }
  });

  it('are remembered per process, and a logout in one process ends the session in the others', async () => {
    const user = await t.newUser();
    const other = await buildApp({ config: loadConfig({ SEED: 'none', WEB_DIST: '/nonexistent' }), database: t.database, logger: false, clock });
    try {
      const meThere = () => other.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: user.cookie } });
      expect((await meThere()).statusCode).toBe(200); // now cached in the other process
      expect((await post('/api/v1/auth/logout', undefined, { cookie: user.cookie })).statusCode).toBe(204);
      expect((await me(user.cookie)).statusCode).toBe(401);
      await expect.poll(async () => (await meThere()).statusCode, { timeout: 2000 }).toBe(401);
    } finally {
      await other.app.close();
    }
  });

  it('expire after 30 days unused, and the scheduler sweeps them away', async () => {
    const user = await t.newUser();
    clock.advance(31 * 24 * 3600_000);
    expect((await me(user.cookie)).statusCode).toBe(401);
    const swept = await t.scheduler.drain();
    expect(swept['identity.expire-sessions']).toBeGreaterThanOrEqual(1);
  });
});

describe('admin users', () => {
  it('answers 401 to anonymous callers and 403 to customers', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users' });
    expect(anonymous.statusCode).toBe(401);
    const customer = await t.newUser();
    const forbidden = await t.app.inject({ method: 'GET', url: '/api/v1/admin/users', headers: { cookie: customer.cookie } });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    // Anything under /admin, even an unknown path, needs no less.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/nothing-here' })).statusCode).toBe(401);
    const unknownForCustomer = await t.app.inject({ method: 'DELETE', url: '/api/v1/admin/users/x', headers: { cookie: customer.cookie } });
    expect(unknownForCustomer.statusCode).toBe(403);
  });

  it('lists users newest first with a cursor, and searches by email, mobile or name', async () => {
    const admin = await t.newAdmin();
    const a = await t.newUser({ name: '韩梅梅', email: 'meimei@example.org' });
    await t.newUser({ mobile: '15811112222' });
    const list = (query: string) => t.app.inject({ method: 'GET', url: `/api/v1/admin/users?${query}`, headers: { cookie: admin.cookie } });

    const first = await list('limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    const second = await list(`limit=2&cursor=${first.json().nextCursor}`);
    const ids = [...first.json().items, ...second.json().items].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort().reverse()).toEqual(ids);

    expect((await list('q=梅梅')).json().items.map((u: { id: string }) => u.id)).toEqual([a.id]);
    expect((await list('q=MEIMEI@')).json().items.map((u: { id: string }) => u.id)).toEqual([a.id]);
    expect((await list('q=1581111')).json().items).toHaveLength(1);
    expect((await list('q=%25')).json().items).toHaveLength(0);
    const adminSelf = (await list(`q=${encodeURIComponent(admin.email!)}`)).json().items[0];
    expect(adminSelf.roles).toEqual(['customer', 'admin']);
    expect((await list('limit=0')).statusCode).toBe(400);
    expect((await list('limit=abc')).statusCode).toBe(400);
    expect((await list('sort=name')).statusCode).toBe(400);
  });
});

describe('the platform admin from configuration', () => {
  it('is created once with a generated password, and never changed afterwards', async () => {
    const first = await t.identity.service.ensurePlatformAdmin({ email: 'Boss@Flowmart.test' });
    expect(first.created).toBe(true);
    expect(first.generatedPassword!.length).toBeGreaterThanOrEqual(16);
    const again = await t.identity.service.ensurePlatformAdmin({ email: 'boss@flowmart.test', password: 'another-password' });
    expect(again).toMatchObject({ created: false, userId: first.userId });
    const login = await post('/api/v1/auth/login', { login: 'boss@flowmart.test', password: first.generatedPassword });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.roles).toContain('admin');
  });
});
