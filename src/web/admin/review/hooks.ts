// The review console's reads and its words for the review API's error codes.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/api';
import { categoryName, categoryPath, type CategoryNode } from '../../shared/catalog';
import { useErrorMessage } from '../../shared/errors';
import { useLanguage } from '../../shared/i18n';
import type { Merchant } from '../../shared/merchants';
import type { ReasonTemplate } from '../../shared/review';
import type { User } from '../../shared/types';

export const reviewKeys = {
  all: ['admin', 'review'] as const,
  tasks: ['admin', 'review', 'tasks'] as const,
  task: (id: string) => ['admin', 'review', 'task', id] as const,
  history: (productId: string) => ['admin', 'review', 'history', productId] as const,
  templates: ['admin', 'review', 'templates'] as const,
  rules: ['admin', 'review', 'rules'] as const,
  ruleChanges: (rule: string) => ['admin', 'review', 'rules', rule, 'changes'] as const,
  qualifications: ['admin', 'review', 'qualifications'] as const,
  stats: ['admin', 'review', 'stats'] as const,
};

/** The whole category tree, disabled categories included (the admin's). */
export function useAdminCategoryTree() {
  return useQuery({
    queryKey: ['admin', 'categories'],
    queryFn: () => api.get<{ items: CategoryNode[] }>('/api/v1/admin/categories').then((r) => r.items),
    staleTime: 60_000,
  });
}

/** `服装 / 上衣 / T恤` for a category id, in the UI language (the id while the tree loads). */
export function useCategoryLabel(): (categoryId: string) => string {
  const tree = useAdminCategoryTree();
  const language = useLanguage();
  return useCallback(
    (categoryId: string) =>
      categoryPath(tree.data ?? [], categoryId)
        .map((n) => categoryName(n, language))
        .join(' / ') || categoryId,
    [tree.data, language],
  );
}

export function useTemplates() {
  return useQuery({
    queryKey: reviewKeys.templates,
    queryFn: () => api.get<{ items: ReasonTemplate[] }>('/api/v1/admin/review/reason-templates').then((r) => r.items),
    staleTime: 60_000,
  });
}

/** Store names by id, one cached request per store (a page of tasks names few stores). */
export function useStoreNames(ids: readonly string[]): Map<string, string> {
  const unique = [...new Set(ids)];
  const results = useQueries({
    queries: unique.map((id) => ({
      queryKey: ['admin', 'merchant', id],
      queryFn: () => api.get<{ merchant: Merchant }>(`/api/v1/admin/merchants/${id}`).then((r) => r.merchant),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map<string, string>();
  results.forEach((r, i) => {
    if (r.data) names.set(unique[i]!, r.data.name);
  });
  return names;
}

/** Stores matching a search, for the store filter. */
export function useStoreSearch(q: string) {
  return useQuery({
    queryKey: ['admin', 'merchants', 'search', q],
    queryFn: () => api.get<{ items: Merchant[] }>('/api/v1/admin/merchants', { q, limit: 20 }).then((r) => r.items),
    staleTime: 30_000,
  });
}

/** A reviewer's name (admins can list users; the id is the search). */
export function useUserName(id: string | undefined): string | undefined {
  const me = useQuery<User | null>({ queryKey: ['me'], enabled: false });
  const other = useQuery({
    queryKey: ['admin', 'user', id],
    queryFn: () => api.get<{ items: User[] }>('/api/v1/admin/users', { q: id, limit: 5 }).then((r) => r.items.find((u) => u.id === id) ?? null),
    enabled: id !== undefined && id !== me.data?.id,
    staleTime: 5 * 60_000,
  });
  if (!id) return undefined;
  if (id === me.data?.id) return me.data.name;
  return other.data?.name ?? id;
}

const REVIEW_CODES = [
  'task_claimed',
  'not_claimed',
  'task_closed',
  'awaiting_store_review',
  'reason_required',
  'task_changed',
  'invalid_rule_params',
  'invalid_qualification',
  'invalid_period',
] as const;

/** Like the shared error message, with the review API's own codes in words. */
export function useReviewErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const shared = useErrorMessage();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && (REVIEW_CODES as readonly string[]).includes(error.code)) {
        return t(`reviewAdmin.errors.${error.code as (typeof REVIEW_CODES)[number]}`);
      }
      if (error instanceof ApiError && error.status === 422 && error.message) return error.message;
      return shared(error);
    },
    [t, shared],
  );
}
