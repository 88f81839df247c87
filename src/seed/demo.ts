import type { Platform } from '../app.js';

export type DemoAccount = { role: string; login: string; password: string };

export const DEMO_SHOPPER = { email: 'shopper@flowmart.local', password: 'flowmart-demo', name: '演示买家' };

/** Fills an empty platform with demo data. Idempotent: every part creates only what is missing. */
export async function seedDemo(platform: Platform): Promise<{ accounts: DemoAccount[] }> {
  await platform.identity.service.ensureUser(DEMO_SHOPPER);
  return { accounts: [{ role: 'shopper', login: DEMO_SHOPPER.email, password: DEMO_SHOPPER.password }] };
}
