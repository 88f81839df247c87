import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type Platform } from '../../src/app.js';
import type { Clock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db.js';
import { createTestDatabase } from './database.js';

export type TestApp = Platform & {
  database: Database;
  /** A temporary DATA_DIR (uploads), removed on close. */
  dataDir: string;
  close(): Promise<void>;
  /** Registers a customer and returns its session cookie header. */
  newUser(input?: { email?: string; mobile?: string; password?: string; name?: string }): Promise<TestUser>;
  /** A platform admin, logged in. */
  newAdmin(): Promise<TestUser>;
};

export type TestUser = { id: string; email: string | null; mobile: string | null; password: string; cookie: string };

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function createTestApp(options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<TestApp> {
  const { database, drop } = await createTestDatabase();
  const dataDir = options.env?.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flowmart-test-'));
  const config = loadConfig({ SEED: 'none', LOG_LEVEL: 'silent', WEB_DIST: '/nonexistent', RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: dataDir, ...options.env });
  const platform = await buildApp({
    config,
    database,
    clock: options.clock,
    logger: false,
  });
  await platform.app.ready();

  const newUser: TestApp['newUser'] = async (input = {}) => {
    const password = input.password ?? 'password-123';
    const body = input.mobile ? { mobile: input.mobile, password, name: input.name } : { email: input.email ?? `u${unique()}@example.com`, password, name: input.name };
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
    if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
    const user = res.json().user;
    return { id: user.id, email: user.email, mobile: user.mobile, password, cookie: sessionCookie(res) };
  };

  const newAdmin: TestApp['newAdmin'] = async () => {
    const email = `admin${unique()}@example.com`;
    const password = 'admin-password-1';
    const admin = await platform.identity.service.ensurePlatformAdmin({ email, password });
    const res = await platform.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: email, password } });
    return { id: admin.userId, email, mobile: null, password, cookie: sessionCookie(res) };
  };

  return {
    ...platform,
    database,
    dataDir,
    newUser,
    newAdmin,
    async close() {
      await platform.app.close();
      await drop();
      if (!options.env?.DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The `name=value` of the session cookie a response set, ready for a `cookie` header. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'fm_session');
  if (!cookie) throw new Error(`no session cookie in response ${res.statusCode} ${res.body}`);
  return `fm_session=${cookie.value}`;
}
