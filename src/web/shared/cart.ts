// The shopper's cart: the page's data, its writes, and the header badge. Guests have a cart too
// (by cookie); it merges into the user's cart at the first cart request after login, so every
// cart query is keyed by who is looking.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './api';
import { useMe } from './auth';
import type { Cart, CartWarning } from './commerce';

/** Every cart query starts with this: invalidate it after anything that changes the cart. */
export const cartRootKey = ['cart'] as const;

function useOwnerKey(): string | undefined {
  const { data: user, isPending } = useMe();
  return isPending ? undefined : (user?.id ?? 'guest');
}

/** The badge agrees with the cart the page shows (reading the cart may cap lines). */
function countOf(cart: Cart) {
  return { lines: cart.summary.lines, quantity: cart.summary.quantity };
}

export function useCart() {
  const owner = useOwnerKey();
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...cartRootKey, owner, 'lines'],
    queryFn: async () => {
      const { cart } = await api.get<{ cart: Cart }>('/api/v1/cart');
      queryClient.setQueryData([...cartRootKey, owner, 'count'], countOf(cart));
      return cart;
    },
    enabled: owner !== undefined,
  });
}

/** Units in the cart, shown on the header badge. */
export function useCartCount(): number {
  const owner = useOwnerKey();
  const count = useQuery({
    queryKey: [...cartRootKey, owner, 'count'],
    queryFn: () => api.get<{ lines: number; quantity: number }>('/api/v1/cart/count'),
    enabled: owner !== undefined,
    staleTime: 30_000,
  });
  return count.data?.quantity ?? 0;
}

type CartWrite =
  | { kind: 'quantity'; lineId: string; quantity: number }
  | { kind: 'select'; lineId: string; selected: boolean }
  | { kind: 'selectAll'; selected: boolean; merchantId?: string }
  | { kind: 'remove'; lineIds: string[] };

function send(write: CartWrite): Promise<{ cart: Cart }> {
  switch (write.kind) {
    case 'quantity':
      return api.patch(`/api/v1/cart/items/${write.lineId}`, { quantity: write.quantity });
    case 'select':
      return api.patch(`/api/v1/cart/items/${write.lineId}`, { selected: write.selected });
    case 'selectAll':
      return api.post('/api/v1/cart/selection', { selected: write.selected, merchantId: write.merchantId });
    case 'remove':
      return write.lineIds.length === 1
        ? api.delete(`/api/v1/cart/items/${write.lineIds[0]}`)
        : api.post('/api/v1/cart/items/remove', { lineIds: write.lineIds });
  }
}

/** Changes to the cart; each answers the whole cart, which replaces the page's copy. */
export function useCartWrite() {
  const queryClient = useQueryClient();
  const owner = useOwnerKey();
  return useMutation({
    mutationFn: send,
    // A tick shows at once; the totals follow with the server's answer.
    onMutate: (write) => {
      if (write.kind !== 'select' && write.kind !== 'selectAll') return;
      queryClient.setQueryData<Cart>([...cartRootKey, owner, 'lines'], (cart) =>
        cart && {
          ...cart,
          stores: cart.stores.map((store) => ({
            ...store,
            lines: store.lines.map((line) => {
              const hit = write.kind === 'select' ? line.id === write.lineId : !write.merchantId || write.merchantId === store.merchantId;
              return hit && line.purchasable ? { ...line, selected: write.selected } : line;
            }),
          })),
        },
      );
    },
    onSuccess: ({ cart }) => {
      queryClient.setQueryData([...cartRootKey, owner, 'lines'], cart);
      queryClient.setQueryData([...cartRootKey, owner, 'count'], countOf(cart));
    },
    // A refused write (sold out meanwhile, line gone) leaves the page stale: read it again.
    onError: () => void queryClient.invalidateQueries({ queryKey: cartRootKey }),
  });
}

/** 加入购物车: `warnings` says when the quantity was capped to what is available. */
export function useAddToCart() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { skuId: string; quantity: number }) =>
      api.post<{ line: { id: string; skuId: string; quantity: number }; warnings: CartWarning[]; count: { lines: number; quantity: number } }>(
        '/api/v1/cart/items',
        input,
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: cartRootKey }),
  });
}
