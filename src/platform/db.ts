import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { getTableConfig, type PgDatabase, type PgDialect, type PgQueryResultHKT, type PgSession, type PgTable } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { getTableColumns, type SQL, sql } from 'drizzle-orm';

/** The query API every repo uses; the same for PGlite and PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a repo function can run SQL on: the database or an open transaction. */
export type Executor = Db | Tx;

export type NotificationHandler = (payload: string) => void;

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/** An arbitrary constant that keys the advisory lock taken while migrating PostgreSQL. */
const MIGRATION_LOCK_KEY = 7_310_202_611;

export type OpenOptions =
  | { databaseUrl: string; poolSize?: number }
  | { databaseUrl?: undefined; dataDir?: string /* undefined: in memory */ };

/** Opens the database and brings its schema up to date. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite('dataDir' in options ? options.dataDir : undefined);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  // pg_trgm ships with PostgreSQL's contrib; in PGlite it is loaded as an extension module.
  const client = new PGlite({ dataDir, extensions: { pg_trgm } });
  await client.waitReady;
  const db = drizzlePglite(client);
  await migratePglite(db, { migrationsFolder });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    async listen(channel, handler) {
      const unsubscribe = await client.listen(channel, handler);
      return async () => unsubscribe();
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', sendAsPrepared);
  await migrateWithLock(databaseUrl);
  const db = drizzlePg(pool);
  const listener = createPgListener(databaseUrl);
  return {
    kind: 'postgres',
    db: db as unknown as Db,
    listen: listener.listen,
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/** Statement texts given a prepared-statement name so far, in this process. */
const statementNames = new Map<string, string>();
/** Bounds what every connection keeps prepared (a few KB each on the server). */
const MAX_NAMED_STATEMENTS = 1_000;
/** Bulk writes (hundreds of rows) have a new text for each batch size: not worth keeping. */
const MAX_NAMED_PARAMETERS = 200;

/**
 * Sends this connection's parameterized statements as named prepared statements, the name given by
 * the text: PostgreSQL parses a hot statement once per connection and may keep its plan, instead
 * of parsing and planning it at every call (measured at a third of its CPU under checkout load).
 */
function sendAsPrepared(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((config: unknown, ...rest: unknown[]) => {
    const c = config as { text?: unknown; name?: string; values?: unknown[] } | null;
    const values = (rest[0] as unknown[] | undefined) ?? c?.values;
    if (c && typeof c === 'object' && typeof c.text === 'string' && !c.name && Array.isArray(values) && values.length > 0 && values.length <= MAX_NAMED_PARAMETERS) {
      let name = statementNames.get(c.text);
      if (!name && statementNames.size < MAX_NAMED_STATEMENTS) statementNames.set(c.text, (name = `fm_${statementNames.size}`));
      if (name) return query({ ...c, name }, ...rest);
    }
    return query(config, ...rest);
  }) as typeof client.query;
}

/** Several app processes may start at once; only one migrates, the others wait for it. */
async function migrateWithLock(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** One connection per process holds every LISTEN; it reconnects and re-listens after a drop. */
function createPgListener(databaseUrl: string) {
  const handlers = new Map<string, Set<NotificationHandler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  // LISTEN and UNLISTEN go one at a time: a pg client must not be handed a query while it runs one.
  let commands: Promise<unknown> = Promise.resolve();
  const command = (c: pg.Client, text: string) => {
    const run = commands.then(() => c.query(text));
    commands = run.catch(() => {});
    return run;
  };

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      c.on('notification', (msg) => {
        for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      c.on('error', () => {
        client = undefined;
        connecting = undefined;
        if (!closed) setTimeout(() => void reconnect(), 500);
      });
      await c.connect();
      client = c;
      return c;
    })();
    return connecting;
  };

  const reconnect = async () => {
    try {
      const c = await connect();
      for (const channel of handlers.keys()) await command(c, `LISTEN ${quoteIdent(channel)}`);
    } catch {
      connecting = undefined;
      if (!closed) setTimeout(() => void reconnect(), 1000);
    }
  };

  return {
    async listen(channel: string, handler: NotificationHandler) {
      const c = client ?? (await connect());
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await command(c, `LISTEN ${quoteIdent(channel)}`);
      }
      set.add(handler);
      return async () => {
        set.delete(handler);
        if (set.size === 0) {
          handlers.delete(channel);
          if (client) await command(client, `UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Runs raw SQL and returns its rows; both drivers answer `{ rows }`. */
export async function queryRows<Row = Record<string, unknown>>(exec: Executor, query: SQL): Promise<Row[]> {
  const result = (await exec.execute(query)) as unknown as { rows: Row[] };
  return result.rows;
}

/**
 * A statement PostgreSQL parses and plans once per connection (a named prepared statement), for
 * the hottest paths: `query` is built once, with `sql.placeholder(name)` where each call's values
 * go. It runs on `db` outside any transaction. Placeholders PostgreSQL cannot type from their
 * context need a cast (`${sql.placeholder('at')}::timestamptz`).
 */
export function preparedStatement<Row>(db: Db, name: string, query: SQL): (values: Record<string, unknown>) => Promise<Row[]> {
  // Drizzle's own prepared-query path, reached for raw SQL: the builders' `.prepare()` does the same.
  const { dialect, session } = db as unknown as { dialect: PgDialect; session: PgSession };
  const prepared = session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  return async (values) => ((await prepared.execute(values)) as { rows: Row[] }).rows;
}

/**
 * A builder query made once per executor and sent as a named prepared statement (Drizzle's
 * `.prepare(name)`), for the hottest reads: Drizzle builds a select's SQL anew on every call, about
 * a tenth of the process's CPU in the checkout bench, where a prepared query only binds its
 * `sql.placeholder`s. Made once for the database; a transaction gets its own (built for it, as
 * before), so the same function serves both.
 */
export function preparedPerExecutor<T>(prepare: (exec: Executor) => T): (exec: Executor) => T {
  const made = new WeakMap<Executor, T>();
  return (exec) => {
    let query = made.get(exec);
    if (!query) made.set(exec, (query = prepare(exec)));
    return query;
  };
}

const insertHeads = new WeakMap<PgTable, { head: SQL; columns: [key: string, name: string][] }>();

/**
 * The INSERT of whole rows (every column, as the table's row type), their values sent as one JSON
 * parameter: the text is the same for any number of rows (one prepared statement, not one per
 * count) and is built once per table, where a VALUES list costs Drizzle a parameter per cell.
 */
export function insertRowsSql<T extends PgTable>(table: T, rows: readonly T['$inferSelect'][]): SQL {
  let cached = insertHeads.get(table);
  if (!cached) {
    const columns = Object.entries(getTableColumns(table)).map(([key, column]): [string, string] => [key, column.name]);
    const list = columns.map(([, name]) => `"${name}"`).join(', ');
    const name = getTableConfig(table).name;
    cached = { head: sql.raw(`insert into "${name}" (${list}) select ${list} from json_populate_recordset(null::"${name}", `), columns };
    insertHeads.set(table, cached);
  }
  const { head, columns } = cached;
  // json, not jsonb: a json column (an item's specs) keeps its keys in the order given.
  const values = rows.map((row) => Object.fromEntries(columns.map(([key, name]) => [name, (row as Record<string, unknown>)[key] ?? null])));
  return sql`${head}${JSON.stringify(values)}::json)`;
}

type PgError = { code: string; constraint?: string; detail?: string };

/** The PostgreSQL error behind `err`, as either driver reports it (Drizzle wraps it in `cause`). */
export function pgErrorOf(err: unknown): PgError | undefined {
  const e = err as (Partial<PgError> & { cause?: Partial<PgError> }) | undefined;
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e as PgError;
  if (typeof e?.cause?.code === 'string') return e.cause as PgError;
  return undefined;
}

/** unique_violation (23505), optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}

/** foreign_key_violation (23503): a referenced row is missing, or a referencing row still exists. */
export function isForeignKeyViolation(err: unknown): boolean {
  return pgErrorOf(err)?.code === '23503';
}
