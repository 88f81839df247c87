import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../shared/api';
import type { Product } from '../shared/catalog';

export type ProductAction = 'submit' | 'off-shelf' | 'on-shelf';

/** Submit for review, take off or put back on the shelf; refreshes every product list and the product. */
export function useProductAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: ProductAction }) =>
      api.post<{ product: Product }>(`/api/v1/merchant/products/${encodeURIComponent(id)}/${action}`),
    onSuccess: ({ product }) => {
      queryClient.setQueryData(['merchant', 'product', product.id], product);
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'products'] });
    },
  });
}
