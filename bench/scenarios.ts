/** Load scenarios for `npm run bench`. Each prepares what it needs through the public API, then names one request. */
import type { BenchPlatform } from './harness.js';
import { cookieOf } from './harness.js';

export type Scenario = {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  setup(platform: BenchPlatform): Promise<{ headers?: Record<string, string> }>;
};

async function registerShopper(platform: BenchPlatform): Promise<string> {
  const { res } = await platform.call('POST', '/api/v1/auth/register', { email: `bench-${Date.now()}@example.com`, password: 'bench-password' }, {}, 201);
  return cookieOf(res);
}

export const scenarios: Scenario[] = [
  { name: 'GET /healthz (ceiling)', path: '/healthz', setup: async () => ({}) },
  { name: 'GET /api/v1/me (session)', path: '/api/v1/me', setup: async (platform) => ({ headers: { cookie: await registerShopper(platform) } }) },
];
