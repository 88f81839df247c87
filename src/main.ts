import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db.js';
import { seedDemo } from './seed/demo.js';

/** start: config → db → migrate → app → listen */
async function main() {
  const config = loadConfig();
  const database = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: `${config.dataDir}/pglite` },
  );
  const platform = await buildApp({ config, database });
  const { app, identity, scheduler } = platform;

  const admin = await identity.service.ensurePlatformAdmin({ email: config.adminEmail, password: config.adminPassword });
  const seeded = config.seed === 'demo' ? await seedDemo(platform, { adminUserId: admin.userId }) : undefined;

  await scheduler.drain();
  scheduler.start();
  // A flash sale opens a thousand connections at once: Node's default accept queue (511) overflowed
  // (ListenOverflows in nstat), and a shopper's system resends a dropped SYN only after 1–3 s. The
  // kernel caps it at net.core.somaxconn.
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });

  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const lines = [
    '',
    `Flowmart is listening on http://${shownHost}:${config.port}  (database: ${database.kind === 'pglite' ? `PGlite in ${config.dataDir}/pglite` : 'PostgreSQL'})`,
    `  API reference: http://${shownHost}:${config.port}/docs`,
    `  Platform admin: ${config.adminEmail}  password: ${
      admin.generatedPassword ?? (admin.created ? '(from ADMIN_PASSWORD)' : '(unchanged since it was created)')
    }`,
  ];
  if (admin.generatedPassword) lines.push('  (generated once: note it now, it is not shown again)');
  for (const account of seeded?.accounts ?? []) lines.push(`  Demo ${account.role}: ${account.login}  password: ${account.password}`);
  console.log(`${lines.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
