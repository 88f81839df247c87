// Shapes of the cart, checkout, order, payment and address APIs, taken from the server's zod
// schemas (types only: nothing of the server is bundled), and the helpers the shopping pages share.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { previewSchema, resultSchema } from '../../flows/routes';
import type { addressSchema, regionsSchema } from '../../modules/addresses/routes';
import type { cartSchema } from '../../modules/cart/routes';
import type {
  addressSnapshotSchema,
  orderDetailSchema,
  orderSummarySchema,
  storeRulesSchema,
  unmetConditionSchema,
} from '../../modules/orders/contract';
import type { buyerTabs, OrderState } from '../../modules/orders/states';
import type { paymentSchema, sandboxTradeSchema } from '../../modules/payments/routes';
import { api, ApiError } from './api';
import { useErrorMessage } from './errors';
import { formatFen } from './money';

export type Cart = z.infer<typeof cartSchema>;
export type CartStore = Cart['stores'][number];
export type CartLine = CartStore['lines'][number];
export type CartWarning = CartLine['warnings'][number];
export type UnmetCondition = z.infer<typeof unmetConditionSchema>;
export type CheckoutPreview = z.infer<typeof previewSchema>;
export type CheckoutResult = z.infer<typeof resultSchema>;
export type Address = z.infer<typeof addressSchema>;
export type AddressSnapshot = z.infer<typeof addressSnapshotSchema>;
export type RegionTree = z.infer<typeof regionsSchema>;
export type OrderSummary = z.infer<typeof orderSummarySchema>;
export type OrderDetail = z.infer<typeof orderDetailSchema>;
export type Payment = z.infer<typeof paymentSchema>;
export type SandboxTrade = z.infer<typeof sandboxTradeSchema>;
export type BuyerTab = keyof typeof buyerTabs;
export type StoreRules = z.infer<typeof storeRulesSchema>;
export type { OrderState };

// Mirrors the server's lists (values cannot be imported without bundling server code).
export const BUYER_TABS = ['pending_payment', 'to_accept', 'to_ship', 'to_receive', 'completed', 'cancelled'] as const satisfies readonly BuyerTab[];
export const ORDER_STATES = ['pending_payment', 'paid', 'to_ship', 'shipped', 'delivered', 'completed', 'cancelled'] as const satisfies readonly OrderState[];
export const MAX_LINE_QUANTITY = 999;

export const ORDER_STATE_COLORS: Record<OrderState, string> = {
  pending_payment: 'orange',
  paid: 'gold',
  to_ship: 'blue',
  shipped: 'cyan',
  delivered: 'geekblue',
  completed: 'green',
  cancelled: 'default',
};

/** One line of an address: "浙江省 杭州市 西湖区 文三路 90 号". */
export function addressLine(a: Pick<AddressSnapshot, 'provinceName' | 'cityName' | 'districtName' | 'detail'>): string {
  // Municipalities repeat the name as province and city (北京市 北京市): say it once.
  const city = a.cityName === a.provinceName || a.cityName === '市辖区' ? '' : a.cityName;
  return [a.provinceName, city, a.districtName, a.detail].filter(Boolean).join(' ');
}

/** "13812345678" → "138****5678", as Chinese shops print a mobile number. */
export function maskMobile(mobile: string): string {
  return /^\d{11}$/.test(mobile) ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : mobile;
}

/** A SKU's specs as "白色 / M". */
export function specText(specs: Record<string, string>): string {
  return Object.values(specs).join(' / ');
}

/**
 * A key for one checkout attempt. Random from `crypto.getRandomValues`, which (unlike
 * `randomUUID`) also works on a plain-http address that is not localhost.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `chk_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export const regionsQueryKey = ['regions'] as const;

/** China's divisions (GB/T 2260) for the address cascader; the same for everyone, fetched once. */
export function useRegions() {
  return useQuery({
    queryKey: regionsQueryKey,
    queryFn: () => api.get<RegionTree>('/api/v1/regions'),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export const addressesQueryKey = ['addresses'] as const;

export function useAddresses() {
  return useQuery({
    queryKey: addressesQueryKey,
    queryFn: () => api.get<{ items: Address[] }>('/api/v1/addresses').then((r) => r.items),
  });
}

// Error codes of the shopping flow the UI has words for (under `commerceErrors.*`).
const COMMERCE_CODES = [
  'sold_out',
  'sku_unavailable',
  'cart_full',
  'insufficient_stock',
  'items_unavailable',
  'order_conditions_unmet',
  'address_required',
  'address_book_full',
  'invalid_region',
  'nothing_to_check_out',
  'idempotency_key_reused',
  'payment_not_pending',
  'payment_expired',
  'payment_not_open',
  'nothing_to_pay',
  'cancellation_already_requested',
  'no_cancellation_request',
  'invalid_transition',
  'state_changed',
] as const;
type CommerceCode = (typeof COMMERCE_CODES)[number];

function isCommerceCode(code: string): code is CommerceCode {
  return (COMMERCE_CODES as readonly string[]).includes(code);
}

/** Like `useErrorMessage`, with the shopping flow's own codes in words. */
export function useCommerceErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const general = useErrorMessage();
  return useCallback(
    (error: unknown) =>
      error instanceof ApiError && isCommerceCode(error.code) ? t(`commerceErrors.${error.code}`) : general(error),
    [t, general],
  );
}

/** A store's unmet order condition in words. `skuTitle` names the SKU of a quantity limit. */
export function useUnmetText(): (u: UnmetCondition, skuTitle?: (skuId: string) => string | undefined) => string {
  const { t } = useTranslation();
  return useCallback(
    (u, skuTitle) => {
      switch (u.code) {
        case 'below_minimum_amount':
          return t('unmet.below_minimum_amount', { minimum: formatFen(u.minimum), shortBy: formatFen(u.shortBy) });
        case 'quantity_above_limit':
          return t('unmet.quantity_above_limit', { title: skuTitle?.(u.skuId) ?? '', limit: u.limit });
        case 'province_not_served':
          return t('unmet.province_not_served');
      }
    },
    [t],
  );
}
