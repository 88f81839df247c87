/**
 * Exports of the flow log for process-mining tools, written as they are read (page by page), so a
 * large period never becomes one string in memory:
 * - OCEL 2.0 JSON (object-centric: PM4Py `read_ocel2_json`, Ocelot, …);
 * - a classic event log CSV, one case per object of one type (Disco, ProM, Celonis).
 * Both stop at `limit` events, oldest first, and say so (the OCEL trailer, the CSV's headers).
 */
import type { Db } from '../../platform/db.js';
import type { Actor } from '../../platform/events.js';
import type { Period } from './contract.js';
import * as repo from './repo.js';
import { typesOf } from './service.js';

export type Export = {
  /** Events of the period (before the limit). */
  total: number;
  truncated: boolean;
  chunks: AsyncGenerator<string>;
};

type OcelValue = string | number | boolean;
type OcelAttrType = 'string' | 'integer' | 'float' | 'boolean';
type ObjectEntry = { type: string; attributes: { name: string; time: string; value: OcelValue }[]; relationships: Map<string, { objectId: string; qualifier: string }> };

const resourceOf = (actor: Actor) => `${actor.kind}:${actor.id}`;
const isoOf = (at: Date | string) => new Date(at).toISOString();

function attrTypeOf(value: OcelValue): OcelAttrType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float';
  return 'string';
}

/** An event's data as OCEL attributes: scalars as they are, objects and arrays as JSON text, nulls left out. */
function attributesOf(row: repo.LogRow): { name: string; value: OcelValue }[] {
  const attrs: { name: string; value: OcelValue }[] = [{ name: 'actor', value: resourceOf(row.actor) }];
  for (const [name, value] of Object.entries(row.data ?? {})) {
    if (value === null || value === undefined || name === 'actor') continue;
    attrs.push({ name, value: typeof value === 'object' ? JSON.stringify(value) : (value as OcelValue) });
  }
  return attrs;
}

/**
 * OCEL 2.0 JSON: `events` first (streamed), then the `objects` they touched, `objectTypes`,
 * `eventTypes`, and a `flowmart` note with the period and whether the limit cut it short. Each
 * event relates to its own object (qualifier: the object's type) and to its `related` objects
 * (their qualifiers); an object's `state` attribute changes at each event that moved it, and an
 * object relates (O2O) to what its own events named. With `objectTypes`, only events of those
 * types, and relationships among them, are exported.
 */
export async function ocelExport(db: Db, period: Period, options: { objectTypes?: readonly string[]; limit: number }): Promise<Export> {
  const types = options.objectTypes ? await typesOf(db, options.objectTypes) : await repo.eventTypes(db);
  const bounds = await repo.periodBounds(db, types, period);
  const keep = options.objectTypes ? new Set(options.objectTypes) : undefined;

  async function* chunks(): AsyncGenerator<string> {
    const objects = new Map<string, ObjectEntry>();
    const eventTypes = new Map<string, Map<string, OcelAttrType>>();
    const objectOf = (id: string, type: string) => {
      let entry = objects.get(id);
      if (!entry) objects.set(id, (entry = { type, attributes: [], relationships: new Map() }));
      return entry;
    };
    let written = 0;
    yield '{"events":[';
    for await (const page of repo.eventPages(db, types, period, bounds, { limit: options.limit })) {
      const parts: string[] = [];
      for (const row of page) {
        const time = isoOf(row.occurred_at);
        const own = objectOf(row.object_id, row.object_type);
        const relationships = new Map<string, { objectId: string; qualifier: string }>();
        relationships.set(`${row.object_id}\u0000${row.object_type}`, { objectId: row.object_id, qualifier: row.object_type });
        for (const r of row.related ?? []) {
          if (keep && !keep.has(r.type)) continue;
          objectOf(r.id, r.type);
          relationships.set(`${r.id}\u0000${r.qualifier}`, { objectId: r.id, qualifier: r.qualifier });
          if (r.id !== row.object_id) own.relationships.set(`${r.id}\u0000${r.qualifier}`, { objectId: r.id, qualifier: r.qualifier });
        }
        const to = row.data?.['to'];
        if (typeof to === 'string') own.attributes.push({ name: 'state', time, value: to });
        const attributes = attributesOf(row);
        let declared = eventTypes.get(row.type);
        if (!declared) eventTypes.set(row.type, (declared = new Map()));
        for (const a of attributes) {
          const type = attrTypeOf(a.value);
          const before = declared.get(a.name);
          declared.set(a.name, before === undefined || before === type ? type : before === 'integer' && type === 'float' ? 'float' : 'string');
        }
        parts.push(JSON.stringify({ id: row.id, type: row.type, time, attributes, relationships: [...relationships.values()] }));
      }
      yield (written > 0 ? ',' : '') + parts.join(',');
      written += page.length;
    }

    yield '],"objects":[';
    let first = true;
    const objectTypes = new Map<string, boolean>();
    for (const [id, o] of objects) {
      objectTypes.set(o.type, (objectTypes.get(o.type) ?? false) || o.attributes.length > 0);
      yield (first ? '' : ',') + JSON.stringify({ id, type: o.type, attributes: o.attributes, relationships: [...o.relationships.values()] });
      first = false;
    }
    const objectTypeList = [...objectTypes].map(([name, hasState]) => ({ name, attributes: hasState ? [{ name: 'state', type: 'string' }] : [] }));
    const eventTypeList = [...eventTypes].map(([name, attrs]) => ({ name, attributes: [...attrs].map(([attr, type]) => ({ name: attr, type })) }));
    yield `],"objectTypes":${JSON.stringify(objectTypeList)},"eventTypes":${JSON.stringify(eventTypeList)}`;
    yield `,"flowmart":${JSON.stringify({ period: { from: period.from.toISOString(), to: period.to.toISOString() }, events: written, eventsInPeriod: bounds.count, truncated: written < bounds.count })}}`;
  }

  return { total: bounds.count, truncated: bounds.count > options.limit, chunks: chunks() };
}

export const CSV_HEADER = ['case_id', 'activity', 'timestamp', 'resource', 'event_id'] as const;

/** One CSV field: quoted when it holds a separator, a quote or a line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A classic event log: one row per event of `objectType`'s objects (case = the object), oldest first. */
export async function csvExport(db: Db, period: Period, options: { objectType: string; limit: number }): Promise<Export> {
  const types = await typesOf(db, [options.objectType]);
  const bounds = await repo.periodBounds(db, types, period);

  async function* chunks(): AsyncGenerator<string> {
    yield `${CSV_HEADER.join(',')}\r\n`;
    for await (const page of repo.eventPages(db, types, period, bounds, { limit: options.limit })) {
      yield page
        .filter((row) => row.object_type === options.objectType)
        .map((row) => [row.object_id, row.type, isoOf(row.occurred_at), resourceOf(row.actor), row.id].map(csvField).join(',') + '\r\n')
        .join('');
    }
  }

  return { total: bounds.count, truncated: bounds.count > options.limit, chunks: chunks() };
}
