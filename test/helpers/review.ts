import type { TestApp, TestUser } from './app.js';

/** Sets one review rule through the admin API. */
export async function setRule(t: TestApp, admin: TestUser, rule: string, setting: { enabled: boolean; severity: 'block' | 'review' | 'info'; params: object }) {
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/admin/review/rules/${rule}`, headers: { cookie: admin.cookie }, payload: setting });
  if (res.statusCode !== 200) throw new Error(`set rule ${rule} failed: ${res.statusCode} ${res.body}`);
  return res.json().rule;
}

/** Every submission waits for a person (the spot-check rule at 100%): for tests of the manual path. */
export const reviewByHand = (t: TestApp, admin: TestUser) => setRule(t, admin, 'spot_check', { enabled: true, severity: 'review', params: { share: 1 } });

/** Back to the automatic review. */
export const reviewAutomatically = (t: TestApp, admin: TestUser) => setRule(t, admin, 'spot_check', { enabled: false, severity: 'review', params: { share: 0.05 } });
