/**
 * Receiving a parcel's tracking: Kuaidi100 pushes (verified by their signature), stored once per
 * event whatever the number of pushes, ordered by event time; the parcel follows its latest event
 * and, when every parcel of a shipped order is signed for, the order is delivered.
 */
import { appendFlowEvents, type Actor, type NewFlowEvent } from '../../platform/events.js';
import type { Executor } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { transition } from '../../platform/states.js';
import { normalizeTrackingNumber } from './carriers.js';
import { codeOfEvent, isValidPushSign, mainCode, parseChinaTime, type PushParam, pushParamSchema, saltFor } from './kuaidi100.js';
import { type Core, type OrderRow, related } from './ports.js';
import * as repo from './repo.js';
import { type ExceptionKind, shipmentEventFor, shipmentMachine, type TrackingCode } from './states.js';

const KUAIDI100: Actor = { kind: 'provider', id: 'kuaidi100' };

const malformed = (message: string) => new AppError(400, 'malformed_push', message);

export type IngestOutcome = { outcome: 'stored' | 'unknown_parcel'; newEvents: number };

export function createTracking(core: Core) {
  const { db, clock, orders, settings } = core;

  /** Checks a push and reads it; nothing is stored unless it is signed with the parcel's salt. */
  function verify(param: string | undefined, sign: string | undefined): PushParam {
    if (!param || !sign) throw malformed('A push has the form fields param and sign');
    let json: unknown;
    try {
      json = JSON.parse(param);
    } catch {
      throw malformed('param is not JSON');
    }
    const last = (json as { lastResult?: { com?: unknown; nu?: unknown } } | null)?.lastResult;
    if (typeof last?.com !== 'string' || typeof last?.nu !== 'string') throw malformed('param.lastResult names no com and nu');
    const [com, nu] = [last.com, normalizeTrackingNumber(last.nu)];
    // After a rotation, parcels subscribed before it still push with salts of the previous secret.
    const secrets = settings.previousSaltSecret ? [settings.saltSecret, settings.previousSaltSecret] : [settings.saltSecret];
    if (!secrets.some((secret) => isValidPushSign(param, saltFor(secret, com, nu), sign))) {
      throw new AppError(400, 'invalid_signature', 'The sign does not match param and the parcel’s salt');
    }
    const parsed = pushParamSchema.safeParse(json);
    if (!parsed.success) throw malformed(`param is not a Kuaidi100 push: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  /** (carrier, number) → parcel and order, which never change: remembered, to spare a query per push. */
  const known = new Map<string, { id: string; orderId: string }>();
  async function parcelOf(com: string, nu: string) {
    const key = `${com}:${nu}`;
    const hit = known.get(key);
    if (hit) return hit;
    const row = await repo.findByTracking(db, com, nu);
    if (!row) return undefined;
    if (known.size >= 10_000) known.delete(known.keys().next().value!);
    known.set(key, { id: row.id, orderId: row.orderId });
    return known.get(key);
  }

  /** Once every parcel is signed for and nothing is left to ship, the order is delivered. */
  async function deliverOrderIfDone(tx: Executor, order: OrderRow, at: Date) {
    if (order.state !== 'shipped') return;
    const parcels = await repo.shipmentsOfOrders(tx, [order.id]);
    if (parcels.length === 0 || parcels.some((p) => p.state !== 'delivered')) return;
    await orders.markDelivered(tx, order, KUAIDI100, at, { shipmentIds: parcels.map((p) => p.id) });
    order.state = 'delivered'; // a batch may hold another parcel of this order: deliver it once
    const f = await repo.lockFulfillment(tx, order.id);
    if (!f) return;
    await repo.updateFulfillment(tx, order.id, {
      deliveredAt: at,
      ...(f.confirmPauses > 0 ? { confirmRemainingMs: settings.autoConfirmMs, confirmDeadlineAt: null } : { confirmDeadlineAt: new Date(at.getTime() + settings.autoConfirmMs) }),
      updatedAt: at,
    });
  }

  type Item = { push: PushParam; parcel: { id: string; orderId: string } };

  /**
   * Stores a batch of verified pushes in the caller's transaction: orders, then parcels, locked in
   * id order; every event row in one insert; the feed fields in one update. Only a push that moves
   * a parcel's state (揽收, 签收, an exception …) costs statements of its own.
   */
  async function ingestBatch(tx: Executor, items: readonly Item[]): Promise<IngestOutcome[]> {
    const now = clock.now();
    const orderById = new Map((await orders.lockOrders(tx, [...new Set(items.map((i) => i.parcel.orderId))])).map((o) => [o.id, o]));
    const parcelById = new Map((await repo.lockShipments(tx, [...new Set(items.map((i) => i.parcel.id))])).map((p) => [p.id, p]));
    // The carrier lists events newest first; the position from the oldest end is stable as the list grows.
    const rowsOf = items.map(({ push, parcel }) => {
      const n = push.lastResult.data.length;
      return push.lastResult.data.flatMap((e, i) => {
        const occurredAt = parseChinaTime(e.time) ?? (e.ftime ? parseChinaTime(e.ftime) : undefined);
        if (!occurredAt) return [];
        return [{ id: newId('trackingEvent'), shipmentId: parcel.id, occurredAt, ordinal: n - 1 - i, context: e.context.trim(), status: e.status?.trim() || null, code: codeOfEvent(e) ?? null, areaName: e.areaName?.trim() || null, receivedAt: now }];
      });
    });
    // One insert for the batch: an event already stored (or earlier in this batch) is skipped.
    const fresh = new Set(await repo.insertTrackingEvents(tx, rowsOf.flat()));
    const flow: NewFlowEvent[] = [];
    const feeds = new Map<string, repo.FeedChanges>();
    const outcomes: IngestOutcome[] = [];

    for (const [index, { push, parcel: ref }] of items.entries()) {
      const { lastResult } = push;
      const parcel = parcelById.get(ref.id)!;
      const order = orderById.get(parcel.orderId)!;
      const rows = rowsOf[index]!;
      const inserted = rows.filter((r) => fresh.has(r.id)).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.ordinal - b.ordinal);
      outcomes.push({ outcome: 'stored', newEvents: inserted.length });
      flow.push(
        ...inserted.map((e) => ({
          type: 'shipment.tracking_event',
          objectType: 'shipment',
          objectId: parcel.id,
          actor: KUAIDI100,
          occurredAt: e.occurredAt,
          related: related(order),
          data: { context: e.context, status: e.status, code: e.code, areaName: e.areaName, trackingEventId: e.id },
        })),
      );

      // A replay: nothing new, nothing to move.
      if (inserted.length === 0 && push.status === parcel.feedStatus && push.status !== 'abort') continue;
      // The latest event: a new one strictly newer than the stored latest, else ask the table.
      const newest = inserted.at(-1);
      const latest = newest && (parcel.lastEventAt === null || newest.occurredAt > parcel.lastEventAt) ? newest : await repo.latestEvent(tx, parcel.id);
      const latestInPush = latest !== undefined && rows.some((r) => r.occurredAt.getTime() === latest.occurredAt.getTime() && r.context === latest.context);
      // The event's own state, else the push's overall state when this push is the newest word.
      let code: TrackingCode | undefined = (latest?.code ?? undefined) as TrackingCode | undefined;
      if (code === undefined && latestInPush) code = mainCode(lastResult.state) ?? (Number(lastResult.ischeck) === 1 ? 3 : undefined);
      let wanted = code === undefined ? undefined : shipmentEventFor(code);
      if (push.status === 'abort' && !(wanted && wanted.event === 'sign')) wanted = { event: 'flag', exception: 'tracking_stopped' };

      const changes: repo.FeedChanges = {
        trackingCode: code ?? parcel.trackingCode,
        lastEventAt: latest?.occurredAt ?? null,
        lastEventText: latest?.context ?? null,
        lastEventArea: latest?.areaName ?? null,
        feedStatus: push.status,
        updatedAt: now,
      };
      const to = wanted ? shipmentMachine.next(parcel.state, wanted.event) : undefined;
      if (wanted && to && to !== parcel.state) {
        // The events that led here come first in the log, then the move.
        await appendFlowEvents(tx, flow.splice(0));
        feeds.delete(parcel.id);
        const exception: { exceptionKind: ExceptionKind | null; exceptionAt?: Date } = to === 'exception' ? { exceptionKind: wanted.exception!, exceptionAt: latest?.occurredAt ?? now } : { exceptionKind: null };
        const moved = { ...changes, ...exception, ...(to === 'delivered' ? { deliveredAt: latest?.occurredAt ?? now } : {}) };
        await transition(tx, shipmentMachine, {
          objectId: parcel.id,
          from: parcel.state,
          event: wanted.event,
          actor: KUAIDI100,
          at: now,
          related: related(order),
          data: { code: code ?? null, ...(to === 'exception' ? { exception: wanted.exception } : {}), context: latest?.context ?? null },
          apply: (next) => repo.moveShipment(tx, parcel.id, parcel.state, next, moved),
        });
        Object.assign(parcel, moved, { state: to });
        if (to === 'delivered') await deliverOrderIfDone(tx, order, now);
      } else {
        // Same state, or a move the table lacks (a late word after 签收): the timeline still grows.
        const kind = parcel.state === 'exception' && wanted?.exception ? { exceptionKind: wanted.exception } : {};
        Object.assign(parcel, changes, kind);
        feeds.set(parcel.id, { ...changes, ...kind });
      }
    }
    await appendFlowEvents(tx, flow);
    await repo.updateFeeds(tx, feeds);
    return outcomes;
  }

  // Pushes that arrive while a batch is being written wait for the next one (group commit): under
  // load one transaction carries many pushes, and each push is answered once its batch committed.
  // Two batches may be written at once, so that one's round trips overlap the other's; they take
  // their locks in the same order and cannot deadlock.
  const MAX_BATCH = 200;
  const WRITERS = 2;
  const queue: (Item & { resolve(outcome: IngestOutcome): void; reject(err: unknown): void })[] = [];
  let writers = 0;
  async function drain() {
    if (writers >= WRITERS) return;
    writers += 1;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          const outcomes = await db.transaction((tx) => ingestBatch(tx, batch));
          batch.forEach((item, i) => item.resolve(outcomes[i]!));
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          // One push spoiled the batch: each alone, so that only that one fails (and is retried by the carrier).
          else for (const item of batch) await db.transaction((tx) => ingestBatch(tx, [item])).then(([o]) => item.resolve(o!), item.reject);
        }
      }
    } finally {
      writers -= 1;
    }
  }

  async function ingest(push: PushParam): Promise<IngestOutcome> {
    const { lastResult } = push;
    const parcel = await parcelOf(lastResult.com, normalizeTrackingNumber(lastResult.nu));
    if (!parcel) {
      core.log.warn({ com: lastResult.com, nu: lastResult.nu }, 'kuaidi100 push for an unknown parcel');
      return { outcome: 'unknown_parcel', newEvents: 0 };
    }
    return new Promise<IngestOutcome>((resolve, reject) => {
      queue.push({ push, parcel, resolve, reject });
      void drain();
    });
  }

  return {
    verify,
    /** A verified push, stored; repeats and older pushes change nothing but what is new in them. */
    receive: (param: string | undefined, sign: string | undefined) => ingest(verify(param, sign)),
    deliverOrderIfDone,
  };
}

export type Tracking = ReturnType<typeof createTracking>;
