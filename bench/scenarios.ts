/** Load scenarios. Each prepares what it needs through the public API, then names one request. */
export type BenchContext = { baseUrl: string };

export type Scenario = {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  setup(ctx: BenchContext): Promise<{ headers?: Record<string, string>; check?: () => Promise<Record<string, number>> }>;
};

async function registerShopper(ctx: BenchContext): Promise<string> {
  const res = await fetch(`${ctx.baseUrl}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'bench-password' }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fm_session='));
  return cookie!.split(';')[0]!;
}

export const scenarios: Scenario[] = [
  { name: 'GET /healthz (ceiling)', path: '/healthz', setup: async () => ({}) },
  {
    name: 'GET /api/v1/me (session)',
    path: '/api/v1/me',
    setup: async (ctx) => ({ headers: { cookie: await registerShopper(ctx) } }),
  },
];
