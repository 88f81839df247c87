// Shapes of the catalog API, taken from the server's zod contract (types only: nothing of the
// server is bundled), and the hooks the consoles share.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  attributeDefinitionSchema,
  bulkResultSchema,
  CategoryNode,
  imageRefSchema,
  Issue,
  ProductInput,
  ProductPatch,
  productSchema,
  productSummarySchema,
  publicProductSchema,
  skuSchema,
  stockAdjustmentSchema,
} from '../../modules/catalog/contract';
import type { productStatuses } from '../../modules/catalog/states';
import { api } from './api';
import type { Language } from './i18n';

export type { CategoryNode, Issue, ProductInput, ProductPatch };
export type AttributeDefinition = z.infer<typeof attributeDefinitionSchema>;
export type Product = z.infer<typeof productSchema>;
export type ProductSummary = z.infer<typeof productSummarySchema>;
export type PublicProduct = z.infer<typeof publicProductSchema>;
export type Sku = z.infer<typeof skuSchema>;
export type ImageRef = z.infer<typeof imageRefSchema>;
export type StockAdjustment = z.infer<typeof stockAdjustmentSchema>;
export type BulkResult = z.infer<typeof bulkResultSchema>;
export type ProductStatus = (typeof productStatuses)[number];

// Mirrors the contract's limits (values cannot be imported without bundling server code).
export const PRODUCT_STATUSES = ['draft', 'pending_review', 'on_sale', 'rejected', 'off_shelf'] as const satisfies readonly ProductStatus[];
export const MAX_SPEC_DIMENSIONS = 3;
export const MAX_IMAGES = 9;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_BULK_ITEMS = 500;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export const STATUS_COLORS: Record<ProductStatus, string> = {
  draft: 'default',
  pending_review: 'processing',
  on_sale: 'success',
  rejected: 'error',
  off_shelf: 'warning',
};

/** The category's name in the UI language. */
export function categoryName(node: { nameZh: string; nameEn: string }, language: Language): string {
  return language === 'en' ? node.nameEn : node.nameZh;
}

export function attributeName(def: { nameZh: string; nameEn: string }, language: Language): string {
  return language === 'en' ? def.nameEn : def.nameZh;
}

/** The public tree (enabled categories only). */
export function useCategoryTree() {
  return useQuery({
    queryKey: ['categories'],
    queryFn: () => api.get<{ items: CategoryNode[] }>('/api/v1/categories').then((r) => r.items),
    staleTime: 60_000,
  });
}

/** Every category of a tree, depth first, each with the path of nodes from the root to it. */
export function flattenTree(nodes: CategoryNode[], parents: CategoryNode[] = []): { node: CategoryNode; path: CategoryNode[] }[] {
  return nodes.flatMap((node) => {
    const path = [...parents, node];
    return [{ node, path }, ...flattenTree(node.children, path)];
  });
}

/** The path of ids from the root to a category, for a Cascader value; empty when unknown. */
export function categoryPath(tree: CategoryNode[], id: string): CategoryNode[] {
  return flattenTree(tree).find((entry) => entry.node.id === id)?.path ?? [];
}
