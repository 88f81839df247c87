// Shapes of the after-sales API (types only, from the server's zod schemas) and the hooks the
// buyer's pages, the store's console and the platform's console share.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient, keepPreviousData } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { aftersalesReasons, AftersalesView } from '../../modules/aftersales/contract';
import { type AftersalesKind, type AftersalesState, aftersalesStates } from '../../modules/aftersales/kinds';
import { api, ApiError } from './api';
import { useErrorMessage } from './errors';

export type Aftersales = AftersalesView;
export type AftersalesAction = Aftersales['actions'][number];
export type AftersalesReason = (typeof aftersalesReasons)[number];
export type { AftersalesKind, AftersalesState };

// The server's lists, in the order the UI offers them (the contract is imported for types only: its
// values would pull zod into the bundle).
export const AFTERSALES_KINDS = ['return_refund', 'refund_only', 'exchange'] as const satisfies readonly AftersalesKind[];
export const AFTERSALES_REASONS = ['damaged', 'quality', 'not_as_described', 'wrong_item', 'not_received', 'changed_mind', 'other'] as const satisfies readonly AftersalesReason[];
export const AFTERSALES_STATES = aftersalesStates;

export const AFTERSALES_STATE_COLORS: Record<AftersalesState, string> = {
  requested: 'orange',
  rejected: 'red',
  escalated: 'purple',
  awaiting_return: 'gold',
  returned: 'blue',
  refunding: 'processing',
  refunded: 'success',
  reshipped: 'cyan',
  completed: 'success',
  closed: 'default',
  cancelled: 'default',
};

/** Orders in these states may have after-sales (the server decides; the button follows it). */
export const AFTERSALES_ORDER_STATES: readonly string[] = ['shipped', 'delivered', 'completed'];

export type Viewer = 'buyer' | 'merchant' | 'admin';
const BASE: Record<Viewer, string> = { buyer: '/api/v1/aftersales', merchant: '/api/v1/merchant/aftersales', admin: '/api/v1/admin/aftersales' };
const ROOT: Record<Viewer, readonly string[]> = { buyer: ['aftersales'], merchant: ['merchant', 'aftersales'], admin: ['admin', 'aftersales'] };

export const aftersalesListKey = (viewer: Viewer, filter: Record<string, string | undefined>) => [...ROOT[viewer], 'list', filter];
export const aftersalesDetailKey = (viewer: Viewer, id: string) => [...ROOT[viewer], 'detail', id];

type ListPage = { items: Aftersales[]; nextCursor: string | null };

/** One viewer's requests, filtered by `state` or `open`, a cursor page at a time. */
export function useAftersalesList(viewer: Viewer, filter: { state?: AftersalesState | undefined; open?: 'true' | 'false' | undefined }, limit = 20) {
  return useInfiniteQuery({
    queryKey: aftersalesListKey(viewer, filter),
    queryFn: ({ pageParam }) => api.get<ListPage>(BASE[viewer], { ...filter, limit, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useAftersales(viewer: Viewer, id: string | undefined) {
  return useQuery({
    queryKey: aftersalesDetailKey(viewer, id ?? ''),
    queryFn: () => api.get<{ aftersales: Aftersales }>(`${BASE[viewer]}/${id}`).then((r) => r.aftersales),
    enabled: Boolean(id),
    // A refund settles a moment after the request that started it: keep looking while it runs.
    refetchInterval: (query) => (query.state.data?.state === 'refunding' ? 1500 : false),
  });
}

const PATHS: Record<AftersalesAction, string> = {
  cancel: 'cancel',
  escalate: 'escalate',
  ship_back: 'return-parcel',
  confirm: 'confirm',
  approve: 'approve',
  reject: 'reject',
  receive_return: 'receive-return',
  reship: 'reship',
  rule: 'rule',
};

/** Presses one of the request's `actions`; the answer replaces the request in the cache. */
export function useAftersalesAction(viewer: Viewer) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body }: { id: string; action: AftersalesAction; body?: Record<string, unknown> }) =>
      api.post<{ aftersales: Aftersales }>(`${BASE[viewer]}/${id}/${PATHS[action]}`, body ?? {}).then((r) => r.aftersales),
    onSuccess: (aftersales) => {
      queryClient.setQueryData(aftersalesDetailKey(viewer, aftersales.id), (old: Aftersales | undefined) => ({ ...aftersales, timeline: aftersales.timeline ?? old?.timeline ?? [] }));
      void queryClient.invalidateQueries({ queryKey: ROOT[viewer] });
      // The order's own page shows whether its receipt clock waits for after-sales.
      if (viewer === 'buyer') void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

/** Applies for after-sales on one item of an order. */
export function useApplyAftersales(orderId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { orderItemId: string; kind: AftersalesKind; quantity: number; reason: AftersalesReason; description: string }) =>
      api.post<{ aftersales: Aftersales }>(`/api/v1/orders/${orderId}/aftersales`, body).then((r) => r.aftersales),
    onSuccess: (aftersales) => {
      queryClient.setQueryData(aftersalesDetailKey('buyer', aftersales.id), aftersales);
      void queryClient.invalidateQueries({ queryKey: ROOT.buyer });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
  });
}

const CODES = ['quantity_exceeds_item', 'order_not_eligible', 'aftersales_open', 'unknown_order_item', 'unknown_carrier', 'invalid_tracking_number'] as const;
type Code = (typeof CODES)[number];
const isCode = (code: string): code is Code => (CODES as readonly string[]).includes(code);

/** Like `useErrorMessage`, with after-sales' own codes in words. */
export function useAftersalesErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const general = useErrorMessage();
  return useCallback((error: unknown) => (error instanceof ApiError && isCode(error.code) ? t(`aftersales.errors.${error.code}`) : general(error)), [t, general]);
}

/** The step a timeline entry records, in the words the UI has for it (`aftersales.reject` → `reject`). */
export function eventKey(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}
