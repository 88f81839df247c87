// Shapes of the fulfillment API (types only, from the server's zod schemas) and the hooks the
// order pages share: parcels, tracking summaries for lists (batched), carriers, and the order's
// live event stream.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type {
  bulkResultSchema,
  carrierSchema,
  orderFulfillmentSchema,
  shipmentSchema,
  storeFulfillmentStatsSchema,
  trackingSummarySchema,
} from '../../modules/fulfillment/contract';
import type { StreamEvent } from '../../modules/fulfillment/stream';
import { api, ApiError } from './api';
import { useErrorMessage } from './errors';

export type OrderFulfillment = z.infer<typeof orderFulfillmentSchema>;
export type Shipment = z.infer<typeof shipmentSchema>;
export type ShipmentState = Shipment['state'];
export type TrackingSummary = z.infer<typeof trackingSummarySchema>;
export type Carrier = z.infer<typeof carrierSchema>;
export type BulkShipResult = z.infer<typeof bulkResultSchema>;
export type StoreFulfillmentStats = z.infer<typeof storeFulfillmentStatsSchema>;
export type { StreamEvent };

export type Viewer = 'buyer' | 'merchant';

export const SHIPMENT_STATE_COLORS: Record<ShipmentState, string> = {
  awaiting_pickup: 'default',
  in_transit: 'processing',
  out_for_delivery: 'blue',
  delivered: 'success',
  exception: 'error',
};

const base = (viewer: Viewer) => (viewer === 'buyer' ? '/api/v1/orders' : '/api/v1/merchant/orders');
/** Under the order query keys of each side, so refreshing orders refreshes parcels too. */
export const fulfillmentKey = (viewer: Viewer, orderId: string) => (viewer === 'buyer' ? ['orders', 'fulfillment', orderId] : ['merchant', 'orders', 'fulfillment', orderId]);

export function useFulfillment(viewer: Viewer, orderId: string | undefined) {
  return useQuery({
    queryKey: fulfillmentKey(viewer, orderId ?? ''),
    queryFn: () => api.get<{ fulfillment: OrderFulfillment }>(`${base(viewer)}/${orderId}/fulfillment`).then((r) => r.fulfillment),
    enabled: Boolean(orderId),
  });
}

export function useCarriers() {
  return useQuery({
    queryKey: ['carriers'],
    queryFn: () => api.get<{ carriers: Carrier[] }>('/api/v1/carriers').then((r) => r.carriers),
    staleTime: Infinity,
  });
}

/**
 * Tracking summaries for order lists: the cards of one page each ask for their order, and the asks
 * of one tick go out as one request (`?ids=a,b,c`).
 */
function summaryLoader(viewer: Viewer) {
  let pending = new Map<string, { resolve: (s: TrackingSummary | null) => void; reject: (e: unknown) => void }[]>();
  let scheduled = false;
  const flush = async () => {
    const batch = pending;
    pending = new Map();
    scheduled = false;
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += 50) {
      const slice = ids.slice(i, i + 50);
      try {
        const { items } = await api.get<{ items: TrackingSummary[] }>(`${base(viewer)}/tracking`, { ids: slice.join(',') });
        for (const id of slice) for (const w of batch.get(id)!) w.resolve(items.find((s) => s.orderId === id) ?? null);
      } catch (error) {
        for (const id of slice) for (const w of batch.get(id)!) w.reject(error);
      }
    }
  };
  return (id: string) =>
    new Promise<TrackingSummary | null>((resolve, reject) => {
      pending.set(id, [...(pending.get(id) ?? []), { resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        setTimeout(() => void flush(), 0);
      }
    });
}
const loaders = { buyer: summaryLoader('buyer'), merchant: summaryLoader('merchant') };

export function useTrackingSummary(viewer: Viewer, orderId: string, enabled = true) {
  return useQuery({
    queryKey: viewer === 'buyer' ? ['orders', 'tracking', orderId] : ['merchant', 'orders', 'tracking', orderId],
    queryFn: () => loaders[viewer](orderId),
    enabled,
  });
}

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * The order's live events (Server-Sent Events). The browser reconnects by itself, resuming after the
 * last event it got (Last-Event-ID), so nothing is lost across a dropped connection.
 */
export function useOrderEvents(orderId: string | undefined, onEvent: (event: StreamEvent) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (!orderId || typeof EventSource === 'undefined') return;
    const source = new EventSource(`/api/v1/orders/${encodeURIComponent(orderId)}/events`);
    source.onopen = () => setState('live');
    source.onerror = () => setState('reconnecting');
    source.onmessage = (message: MessageEvent<string>) => {
      try {
        handler.current(JSON.parse(message.data) as StreamEvent);
      } catch {
        // not ours
      }
    };
    return () => source.close();
  }, [orderId]);
  return state;
}

/** Keeps an order page fresh: every event of the order refetches its queries (coalesced). */
export function useLiveOrder(orderId: string | undefined, keys: readonly (readonly unknown[])[]): StreamState {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const keysRef = useRef(keys);
  useEffect(() => {
    keysRef.current = keys;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const onEvent = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      for (const key of keysRef.current) void queryClient.invalidateQueries({ queryKey: key });
    }, 150);
  }, [queryClient]);
  return useOrderEvents(orderId, onEvent);
}

const TRACKING_CODES = [
  'order_not_shippable',
  'cancellation_pending',
  'tracking_number_in_use',
  'invalid_tracking_number',
  'quantity_exceeds_unshipped',
  'unknown_order_item',
  'nothing_to_ship',
  'unknown_carrier',
] as const;
type TrackingCode = (typeof TRACKING_CODES)[number];
const isTrackingCode = (code: string): code is TrackingCode => (TRACKING_CODES as readonly string[]).includes(code);

/** Like `useErrorMessage`, with shipping's own codes in words. */
export function useTrackingErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const general = useErrorMessage();
  return useCallback((error: unknown) => (error instanceof ApiError && isTrackingCode(error.code) ? t(`tracking.errors.${error.code}`) : general(error)), [t, general]);
}

/** A carrier's name in the UI language. */
export function carrierName(c: { nameZh?: string; nameEn?: string; carrierNameZh?: string; carrierNameEn?: string }, language: string): string {
  return (language === 'en' ? (c.nameEn ?? c.carrierNameEn) : (c.nameZh ?? c.carrierNameZh)) ?? '';
}

/** A tracking number as the server compares it: no spaces, upper case. */
export const normalizeTrackingNumber = (raw: string) => raw.replace(/[\s\u3000]+/g, '').toUpperCase();

/**
 * The form rule for a tracking number: required, and in the format of the carrier `carrierOf`
 * names at validation time, where the carrier's format is known (the server checks it again).
 */
export function trackingNumberRule(t: TFunction, language: string, carrierOf: () => Carrier | undefined) {
  return {
    validator: (_: unknown, value: string | undefined) => {
      if (!value?.trim()) return Promise.reject(new Error(t('tracking.ship.numberRequired')));
      const carrier = carrierOf();
      if (carrier?.pattern && !new RegExp(carrier.pattern).test(normalizeTrackingNumber(value))) {
        return Promise.reject(new Error(t('tracking.ship.numberInvalid', { carrier: carrierName(carrier, language), example: carrier.example })));
      }
      return Promise.resolve();
    },
  };
}
