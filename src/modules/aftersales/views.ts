import type { AftersalesView } from './contract.js';
import type { AftersalesRow } from './repo.js';
import type { Viewer } from './routes.js';
import type { ParcelRef } from './schema.js';
import type { AftersalesService } from './service.js';
import { type AftersalesEvent, aftersalesMachine } from './states.js';

type Action = AftersalesView['actions'][number];
type CarrierNames = (code: string) => { nameZh: string; nameEn: string };

/**
 * What each viewer's buttons do in the machine's terms: a button shows when the request's state
 * allows its event (and, for two store buttons, when the request needs it).
 */
const BUTTONS: Record<Viewer, readonly { action: Action; event: AftersalesEvent | ((row: ActionFacts) => AftersalesEvent); when?: (row: ActionFacts) => boolean }[]> = {
  buyer: [
    { action: 'cancel', event: 'cancel' },
    { action: 'escalate', event: 'escalate' },
    { action: 'ship_back', event: 'ship_back' },
    { action: 'confirm', event: 'confirm' },
  ],
  merchant: [
    { action: 'approve', event: (row) => (row.kind === 'refund_only' ? 'approve_refund' : 'approve_return') },
    { action: 'reject', event: 'reject' },
    { action: 'receive_return', event: 'receive_return', when: (row) => row.returnParcel !== null },
    { action: 'reship', event: 'reship', when: (row) => row.kind === 'exchange' },
  ],
  admin: [{ action: 'rule', event: 'rule_for_merchant' }],
};
type ActionFacts = Pick<AftersalesRow, 'state' | 'kind' | 'returnParcel'>;

/** The buttons a viewer may press now, read off the machine (the service enforces the same through it). */
export function actionsFor(row: ActionFacts, viewer: Viewer): Action[] {
  const allowed = new Set(aftersalesMachine.eventsFrom(row.state));
  return BUTTONS[viewer].filter((b) => allowed.has(typeof b.event === 'function' ? b.event(row) : b.event) && (b.when?.(row) ?? true)).map((b) => b.action);
}

export function createViews(deps: { service: Pick<AftersalesService, 'timeline'>; storeNames: (ids: readonly string[]) => Promise<Map<string, string>>; carrier: CarrierNames }) {
  const parcel = (p: ParcelRef | null) => {
    if (!p) return null;
    const names = deps.carrier(p.carrier);
    return { carrier: p.carrier, carrierNameZh: names.nameZh, carrierNameEn: names.nameEn, trackingNumber: p.trackingNumber, at: p.at };
  };

  function shape(row: AftersalesRow, viewer: Viewer, storeName: string, timeline: AftersalesView['timeline']): AftersalesView {
    return {
      id: row.id,
      orderId: row.orderId,
      orderItemId: row.orderItemId,
      merchantId: row.merchantId,
      storeName,
      buyerId: row.buyerId,
      kind: row.kind,
      state: row.state,
      item: row.item,
      quantity: row.quantity,
      amount: row.amount,
      currency: 'CNY',
      reason: row.reason as AftersalesView['reason'],
      description: row.description,
      rejectReason: row.rejectReason,
      escalationReason: row.escalationReason,
      ruling: row.ruling ? { for: row.ruling.for, note: row.ruling.note, at: row.ruling.at } : null,
      returnParcel: parcel(row.returnParcel),
      replacementParcel: parcel(row.replacementParcel),
      respondBy: (row.state === 'requested' || row.state === 'rejected') && row.respondBy ? row.respondBy.toISOString() : null,
      actions: actionsFor(row, viewer),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      timeline,
    };
  }

  return {
    async one(row: AftersalesRow, viewer: Viewer, withTimeline = false): Promise<AftersalesView> {
      const [names, events] = await Promise.all([deps.storeNames([row.merchantId]), withTimeline ? deps.service.timeline(row.id) : Promise.resolve([])]);
      const timeline = events.map((e) => ({ type: e.type, at: e.occurredAt.toISOString(), actor: { kind: e.actor.kind, id: e.actor.id }, data: e.data }));
      return shape(row, viewer, names.get(row.merchantId) ?? '', timeline);
    },
    async many(rows: AftersalesRow[], viewer: Viewer): Promise<AftersalesView[]> {
      const names = await deps.storeNames([...new Set(rows.map((r) => r.merchantId))]);
      return rows.map((row) => shape(row, viewer, names.get(row.merchantId) ?? '', []));
    },
  };
}
