import { Alert } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import type { Issue } from './catalog';

// Product issue codes (details.issues of invalid_product / not_submittable, bulk item errors) the UI words.
const ISSUE_CODES = [
  'category_not_found',
  'category_not_leaf',
  'category_disabled',
  'unknown_attribute',
  'invalid_option',
  'duplicate_spec',
  'unknown_spec',
  'duplicate_image',
  'unknown_image',
  'duplicate_sku_code',
  'sku_specs_mismatch',
  'unknown_spec_value',
  'duplicate_spec_combination',
  'list_price_below_price',
  'missing_attribute',
  'missing_image',
  'sku_code_taken',
  'duplicate_in_payload',
  'unknown_field',
  'below_reserved',
  'sku_reserved',
  'product_in_review',
  'unsafe_html',
] as const;
type IssueCode = (typeof ISSUE_CODES)[number];
const isIssueCode = (code: string): code is IssueCode => (ISSUE_CODES as readonly string[]).includes(code);

const FIELDS = [
  'code',
  'title',
  'subtitle',
  'description',
  'brand',
  'categoryId',
  'attributes',
  'specs',
  'imageIds',
  'skus',
  'price',
  'listPrice',
  'onHand',
  'weightGrams',
] as const;
type Field = (typeof FIELDS)[number];
const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

/** The product issues of a failed save or submit, else none. */
export function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { issues?: unknown } | undefined;
  if (Array.isArray(details?.issues)) return details.issues as Issue[];
  // A zod validation failure: fields with messages.
  return error.fieldErrors.map((f) => ({ path: f.path.replace(/^body[./]/, ''), code: 'invalid_field', message: f.message }));
}

/**
 * One issue as a sentence: where ("SKU 2 · 价格") and what, in the UI language; the server's
 * English message when the code is not one the UI knows.
 */
export function useIssueText(): (issue: Issue) => string {
  const { t } = useTranslation();
  return useCallback(
    (issue: Issue) => {
      const parts = issue.path.split('.').filter(Boolean);
      const where: string[] = [];
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i]!;
        const next = parts[i + 1];
        if (part === 'skus' && next !== undefined && /^\d+$/.test(next)) {
          where.push(t('issues.sku', { n: Number(next) + 1 }));
          i++;
        } else if (part === 'imageIds' && next !== undefined && /^\d+$/.test(next)) {
          where.push(t('issues.image', { n: Number(next) + 1 }));
          i++;
        } else if ((part === 'attributes' || part === 'specs') && next !== undefined && !/^\d+$/.test(next)) {
          where.push(`${t(`issues.fields.${part}`)} ${next}`);
          i++;
        } else if (isField(part)) {
          where.push(t(`issues.fields.${part}`));
        } else if (!/^\d+$/.test(part)) {
          where.push(part);
        }
      }
      const what = isIssueCode(issue.code) ? t(`issues.codes.${issue.code}`) : issue.message;
      return where.length > 0 ? t('issues.at', { where: where.join(' · '), what }) : what;
    },
    [t],
  );
}

/** The issues of a failed product save or submit, as a list under the error. */
export function IssuesAlert({ title, issues }: { title: string; issues: Issue[] }) {
  const text = useIssueText();
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="fm-form-alert"
      title={title}
      description={
        issues.length > 0 && (
          <ul className="fm-issue-list">
            {issues.map((issue, i) => (
              <li key={i}>{text(issue)}</li>
            ))}
          </ul>
        )
      }
    />
  );
}
