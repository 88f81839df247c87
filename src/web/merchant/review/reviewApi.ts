// The merchant console's calls to the review API (GET /api/v1/merchant/products/:id/reviews,
// /api/v1/merchant/review/*, /api/v1/merchant/qualifications).
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/api';
import type { Product } from '../../shared/catalog';
import { useErrorMessage } from '../../shared/errors';
import type { StoreQualification, StoreReviewSettings, ReviewTask } from '../../shared/review';
import type { Page } from '../../shared/types';

export const reviewKeys = {
  history: (productId: string) => ['merchant', 'reviews', productId] as const,
  settings: ['merchant', 'review-settings'] as const,
  ownerQueue: ['merchant', 'review-tasks'] as const,
  qualifications: ['merchant', 'qualifications'] as const,
};

/**
 * A product's review history, newest first. The key carries what a decision changes on the
 * product, so the history reloads whenever the product comes back changed (submitted, decided).
 */
export function useReviewHistory(product: Product) {
  return useInfiniteQuery({
    queryKey: [...reviewKeys.history(product.id), product.status, product.submittedAt, product.reviewedAt, product.revision?.id, product.revision?.state],
    queryFn: ({ pageParam }) =>
      api.get<Page<ReviewTask>>(`/api/v1/merchant/products/${encodeURIComponent(product.id)}/reviews`, { limit: 10, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // The panel keeps showing the last history while the new one loads (no flicker, the list stays open).
    placeholderData: keepPreviousData,
  });
}

export function useReviewSettings() {
  return useQuery({
    queryKey: reviewKeys.settings,
    queryFn: () => api.get<StoreReviewSettings>('/api/v1/merchant/review/settings'),
  });
}

export function useOwnerQueue(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: reviewKeys.ownerQueue,
    queryFn: ({ pageParam }) => api.get<Page<ReviewTask>>('/api/v1/merchant/review/tasks', { limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useQualifications() {
  return useInfiniteQuery({
    queryKey: reviewKeys.qualifications,
    queryFn: ({ pageParam }) => api.get<Page<StoreQualification>>('/api/v1/merchant/qualifications', { limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

const REVIEW_CODES = ['task_closed', 'awaiting_store_review', 'invalid_qualification', 'no_pending_revision'] as const;
type ReviewCode = (typeof REVIEW_CODES)[number];

/** The console's error words, with the review API's own codes. */
export function useReviewErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const general = useErrorMessage();
  return useCallback(
    (error: unknown) =>
      error instanceof ApiError && REVIEW_CODES.includes(error.code as ReviewCode) ? t(`reviewMerchant.errors.${error.code as ReviewCode}`) : general(error),
    [t, general],
  );
}
