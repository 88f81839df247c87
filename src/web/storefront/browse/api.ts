// The storefront's reads: listings and search, one product, a store, suggestions. Types come from
// the server's zod contracts (types only: nothing of the server is bundled).
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { productCardSchema, productPageSchema, storeSchema, suggestionSchema } from '../../../modules/search/contract';
import { api } from '../../shared/api';
import type { PublicProduct } from '../../shared/catalog';

export type ProductCard = z.infer<typeof productCardSchema>;
export type ProductPage = z.infer<typeof productPageSchema>;
export type Facets = NonNullable<ProductPage['facets']>;
export type PublicStore = z.infer<typeof storeSchema>;
export type Suggestion = z.infer<typeof suggestionSchema>;

export const SORTS = ['relevance', 'sales', 'price_asc', 'price_desc', 'newest'] as const;
export type Sort = (typeof SORTS)[number];

/** What a listing shows: everything but the page cursor. */
export type ListingQuery = {
  q?: string;
  category?: string;
  store?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  spec?: string[];
  sort?: Sort;
  limit?: number;
};

function params(query: ListingQuery, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...extra })) {
    if (value === undefined || value === '' || value === false) continue;
    if (Array.isArray(value)) for (const v of value) p.append(key, String(v));
    else p.set(key, String(value));
  }
  return p.toString();
}

/** One listing with its pages loaded as the shopper scrolls (facets come with the first page). */
export function useListing(query: ListingQuery, options: { facets?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: ['listing', query, options.facets ?? false],
    queryFn: ({ pageParam }) =>
      api.get<ProductPage>(`/api/v1/products?${params(query, { cursor: pageParam, facets: pageParam ? undefined : options.facets ? 'true' : undefined })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

/** A shelf: the first few products of a listing. */
export function useShelf(query: ListingQuery) {
  return useQuery({
    queryKey: ['shelf', query],
    queryFn: () => api.get<ProductPage>(`/api/v1/products?${params(query)}`).then((p) => p.items),
    staleTime: 60_000,
  });
}

export function useProduct(id: string | undefined) {
  return useQuery({
    queryKey: ['product', id],
    queryFn: () => api.get<{ product: PublicProduct }>(`/api/v1/products/${id}`).then((r) => r.product),
    enabled: Boolean(id),
  });
}

export function useStore(id: string | undefined) {
  return useQuery({
    queryKey: ['store', id],
    queryFn: () => api.get<{ store: PublicStore }>(`/api/v1/stores/${id}`).then((r) => r.store),
    enabled: Boolean(id),
    staleTime: 60_000,
  });
}

export function useSuggestions(q: string) {
  const text = q.trim();
  return useQuery({
    queryKey: ['suggest', text],
    queryFn: () => api.get<{ items: Suggestion[] }>('/api/v1/search/suggest', { q: text }).then((r) => r.items),
    enabled: text.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** Adds units of a SKU to the cart (guests too, by cookie). */
export function addToCart(skuId: string, quantity: number) {
  return api.post<{ line: { id: string; quantity: number }; warnings: { code: string }[]; count: { lines: number; quantity: number } }>('/api/v1/cart/items', { skuId, quantity });
}
