import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has working defaults: port 3000, PGlite in ./data, demo seed', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.seed).toBe('demo');
    expect(config.adminEmail).toBe('admin@flowmart.local');
    expect(config.checkoutConcurrency).toBe(16);
    expect(config.checkoutMaxWaitMs).toBe(30_000);
    expect(config.fulfillment.previousSaltSecret).toBeUndefined();
  });

  it('names every invalid variable in one message', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED: 'lots', ADMIN_PASSWORD: 'short', CHECKOUT_CONCURRENCY: '0', CHECKOUT_MAX_WAIT_SECONDS: '0', KUAIDI100_SALT_SECRET_PREVIOUS: 'short' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'SEED', 'ADMIN_PASSWORD', 'CHECKOUT_CONCURRENCY', 'CHECKOUT_MAX_WAIT_SECONDS', 'KUAIDI100_SALT_SECRET_PREVIOUS']) expect(message).toContain(name);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });
});
