/**
 * `GET /api/v1/orders/:id/events`: an order's flow events as Server-Sent Events — its own state
 * changes and its parcels' (shipped, every tracking event, delivered). On connect the stream first
 * replays what the client missed after `Last-Event-ID` (a flow_events seq), then goes live through
 * the realtime hub (LISTEN/NOTIFY, so an event written by any app process arrives). The hub is
 * subscribed before the replay is read, and every event id sent is remembered, so nothing falls
 * between replay and live and nothing is sent twice.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db.js';
import type { FlowEventNotice } from '../../platform/events.js';
import type { Realtime } from '../../platform/realtime.js';
import * as repo from './repo.js';

const PAGE = 500;
/** How many sent ids a stream remembers to drop repeats (far more than an order ever has). */
const REMEMBER = 5_000;

export type StreamEvent = { seq: number; type: string; objectType: string; objectId: string; at: string; actor: string; data: Record<string, unknown> };

export function toStreamEvent(e: repo.LoggedEvent): StreamEvent {
  return { seq: e.seq, type: e.type, objectType: e.objectType, objectId: e.objectId, at: e.occurredAt.toISOString(), actor: e.actor.kind, data: e.data };
}

/** Whether a flow event belongs to the order's stream: the order itself or one of its parcels. */
export function belongsToOrder(orderId: string, n: Pick<FlowEventNotice, 'objectType' | 'objectId' | 'related'>): boolean {
  if (n.objectType === 'order') return n.objectId === orderId;
  return n.objectType === 'shipment' && n.related.some((r) => r.type === 'order' && r.id === orderId);
}

export function createOrderStreams(deps: { db: Db; realtime: () => Realtime; heartbeatMs: number; log: { warn(obj: object, msg: string): void } }) {
  const open = new Set<() => void>();
  /** Rows read for live notices, shared by the streams of one process (many watch one order). */
  const recent = new Map<number, Promise<repo.LoggedEvent | undefined>>();
  const rowOf = (seq: number) => {
    let row = recent.get(seq);
    if (!row) {
      row = repo.flowEventBySeq(deps.db, seq);
      recent.set(seq, row);
      if (recent.size > 1_000) recent.delete(recent.keys().next().value!);
    }
    return row;
  };

  async function stream(request: FastifyRequest, reply: FastifyReply, orderId: string, lastEventId: number): Promise<void> {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id),
    });
    res.write('retry: 2000\n\n');

    let closed = false;
    const sent = new Set<number>();
    const write = (e: repo.LoggedEvent) => {
      if (closed || sent.has(e.seq)) return;
      sent.add(e.seq);
      if (sent.size > REMEMBER) sent.delete(sent.values().next().value!);
      res.write(`id: ${e.seq}\ndata: ${JSON.stringify(toStreamEvent(e))}\n\n`);
    };

    let replaying = true;
    const waiting: FlowEventNotice[] = [];
    let queue = Promise.resolve();
    const deliver = (n: FlowEventNotice) => {
      queue = queue.then(async () => {
        if (closed || sent.has(n.seq) || n.seq <= lastEventId) return;
        const row = await rowOf(n.seq);
        if (row) write(row);
      }).catch((err: unknown) => deps.log.warn({ err, orderId }, 'order stream: event not sent'));
    };
    const unsubscribe = deps.realtime().subscribe('order', orderId, (n) => {
      if (!belongsToOrder(orderId, n)) return;
      if (replaying) waiting.push(n);
      else deliver(n);
    });
    const heartbeat = setInterval(() => {
      if (!closed) res.write(': keep-alive\n\n');
    }, deps.heartbeatMs);
    heartbeat.unref();

    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(close);
      res.end();
    };
    open.add(close);
    res.on('close', close);

    try {
      for (let after = lastEventId; ; ) {
        const page = await repo.orderStreamEvents(deps.db, orderId, after, PAGE);
        for (const e of page) write(e);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.seq;
      }
    } catch (err) {
      deps.log.warn({ err, orderId }, 'order stream: replay failed');
      close();
      return;
    }
    replaying = false;
    for (const n of waiting.sort((a, b) => a.seq - b.seq)) deliver(n);
  }

  return {
    stream,
    /** Ends every open stream (before the server closes, which waits for open connections). */
    closeAll() {
      for (const close of [...open]) close();
    },
    openCount: () => open.size,
  };
}

export type OrderStreams = ReturnType<typeof createOrderStreams>;
