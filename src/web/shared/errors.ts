import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

// Server error codes the UI has words for; anything else reads as the generic message.
const TRANSLATED_CODES = [
  'validation_failed',
  'invalid_credentials',
  'email_taken',
  'mobile_taken',
  'unauthenticated',
  'forbidden',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'cross_origin_refused',
  'internal_error',
  'network_error',
  'invalid_transition',
  'state_changed',
  // merchants
  'store_name_taken',
  'already_merchant',
  'application_pending',
  'applicant_already_merchant',
  'user_not_found',
  'owner_only',
  'store_not_active',
  'store_suspended',
  'session_required',
  'not_merchant',
  'missing_scope',
  // catalog
  'category_in_use',
  'category_too_deep',
  'category_has_attributes',
  'not_a_leaf',
  'parent_not_found',
  'invalid_product',
  'not_submittable',
  'product_in_review',
  'product_code_taken',
  'sku_code_taken',
  'sku_reserved',
  'unchanged_since_rejection',
  'unsafe_html',
  'not_an_image',
  'insufficient_stock',
  'stock_too_high',
  'stock_changed',
  'revision_in_review',
  'no_pending_revision',
] as const;
type TranslatedCode = (typeof TRANSLATED_CODES)[number];

function isTranslated(code: string): code is TranslatedCode {
  return (TRANSLATED_CODES as readonly string[]).includes(code);
}

/** Turns any thrown value into a sentence in the UI language. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError)) return t('errors.generic');
      if (error.code === 'too_many_attempts') {
        return error.retryAfter
          ? t('errors.too_many_attempts', { seconds: error.retryAfter })
          : t('errors.too_many_attempts_later');
      }
      return isTranslated(error.code) ? t(`errors.${error.code}`) : t('errors.generic');
    },
    [t],
  );
}
