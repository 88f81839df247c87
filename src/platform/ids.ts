import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/** Every id prefix in the system; a prefix tells a reader what an id points at. */
export const idPrefixes = {
  user: 'usr',
  session: 'ses',
  event: 'evt',
  merchant: 'mer',
  apiKey: 'key',
  product: 'prd',
  sku: 'sku',
  cart: 'crt',
  order: 'ord',
  payment: 'pay',
  shipment: 'shp',
  aftersales: 'afs',
  category: 'cat',
  image: 'img',
  stockAdjustment: 'stk',
  address: 'adr',
  cartLine: 'crl',
  orderGroup: 'grp',
  orderItem: 'oit',
  refund: 'rfd',
  paymentNotification: 'pnt',
  reviewTask: 'rvt',
  reasonTemplate: 'rrt',
  qualification: 'qlf',
  productRevision: 'rev',
  trackingEvent: 'trk',
} as const;

export type IdKind = keyof typeof idPrefixes;

// ulid asks its PRNG for one byte at a time, one crypto call each: draw them from a pooled buffer.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
const pooledRandom = () => {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]! / 256;
};
const nextUlid = monotonicFactory(pooledRandom);

/** A prefixed, time-sortable id: `usr_01J…`. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${nextUlid()}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${idPrefixes[kind]}_`) && id.length === idPrefixes[kind].length + 27;
}
