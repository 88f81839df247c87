import type { AftersalesView } from './contract.js';
import type { AftersalesRow } from './repo.js';
import type { Viewer } from './routes.js';
import type { ParcelRef } from './schema.js';
import type { AftersalesService } from './service.js';

type Action = AftersalesView['actions'][number];
type CarrierNames = (code: string) => { nameZh: string; nameEn: string };

/** The buttons a viewer may press in a state (the service enforces the same through the machine). */
export function actionsFor(row: Pick<AftersalesRow, 'state' | 'kind' | 'returnParcel'>, viewer: Viewer): Action[] {
  const { state } = row;
  if (viewer === 'buyer') {
    const out: Action[] = [];
    if (state === 'requested' || state === 'rejected' || state === 'awaiting_return') out.push('cancel');
    if (state === 'rejected') out.push('escalate');
    if (state === 'awaiting_return') out.push('ship_back');
    if (state === 'reshipped') out.push('confirm');
    return out;
  }
  if (viewer === 'merchant') {
    if (state === 'requested') return ['approve', 'reject'];
    if (state === 'awaiting_return' && row.returnParcel) return ['receive_return'];
    if (state === 'returned' && row.kind === 'exchange') return ['reship'];
    return [];
  }
  return state === 'escalated' ? ['rule'] : [];
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
