import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { createTestDatabase } from './database.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The whole platform listening on a random local port, on a fresh database, serving the built web
 * app (built first if the sources are newer than the build). For browser tests.
 */
export async function startTestServer(
  opts: { env?: Record<string, string>; /** Platform admins besides ADMIN_EMAIL (a second reviewer, …). */ admins?: { email: string; password: string }[] } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  execFileSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' });
  const { database, drop } = await createTestDatabase();
  const config = loadConfig({ SEED: 'none', LOG_LEVEL: 'silent', WEB_DIST: path.join(root, 'dist/web'), RATE_LIMIT_PER_MINUTE: '0', ...opts.env });
  const platform = await buildApp({ config, database, logger: false });
  await platform.identity.service.ensurePlatformAdmin({ email: config.adminEmail, password: config.adminPassword });
  for (const admin of opts.admins ?? []) await platform.identity.service.ensurePlatformAdmin(admin);
  const address = await platform.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    async close() {
      await platform.app.close();
      await drop();
    },
  };
}
