import { Button, Tag } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FINDING_CODES, type FindingCode, markEvidence, RULE_KEYS, SEVERITY_COLORS, sortFindings, type ReviewContent, type ReviewFinding, type RuleKey } from './review';
import './reviewFindings.css';

/** Text shown around the offending part, each side. */
const CONTEXT_CHARS = 24;

const stripTags = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();

/** The finding's field in words: 商品标题, 第 2 个 SKU 的售价, 属性「material」. */
export function fieldLabel(t: TFunction, field: string): string {
  if (field === '') return t('reviewMerchant.fields.whole');
  const sku = /^skus\.(\d+)(?:\.(price|listPrice))?/.exec(field);
  if (sku) {
    const n = Number(sku[1]) + 1;
    if (sku[2] === 'price') return t('reviewMerchant.fields.skuPrice', { n });
    if (sku[2] === 'listPrice') return t('reviewMerchant.fields.skuListPrice', { n });
    return t('reviewMerchant.fields.sku', { n });
  }
  if (field.startsWith('attributes.')) return t('reviewMerchant.fields.attribute', { key: field.slice('attributes.'.length) });
  switch (field) {
    case 'title':
    case 'subtitle':
    case 'description':
    case 'brand':
    case 'categoryId':
    case 'imageIds':
    case 'attributes':
    case 'specs':
    case 'skus':
      return t(`reviewMerchant.fields.${field}`);
    default:
      return field;
  }
}

/** What the finding says, in the UI's language when the server sent its code (older findings: the server's English). */
export function detailText(t: TFunction, finding: ReviewFinding): string {
  if (!finding.detail || !FINDING_CODES.includes(finding.detail.code)) return finding.message;
  return t(`reviewMerchant.details.${finding.detail.code as FindingCode}`, finding.detail.params);
}

export const ruleLabel = (t: TFunction, rule: string) => (RULE_KEYS.includes(rule as RuleKey) ? t(`reviewMerchant.rules.${rule as RuleKey}`) : rule);

/** The text the merchant wrote in a field of the submitted content, when the field is text. */
function fieldText(content: ReviewContent | undefined, field: string): string | null {
  if (!content) return null;
  if (field === 'title' || field === 'subtitle' || field === 'brand') return content[field];
  if (field === 'description') return content.description;
  if (field.startsWith('attributes.')) return content.attributes[field.slice('attributes.'.length)] ?? null;
  return null;
}

/** The offending text marked inside its field's text (a window around it), or on its own. */
export function Evidence({ finding, content }: { finding: ReviewFinding; content?: ReviewContent | undefined }) {
  const { evidence, field } = finding;
  if (!evidence) return null;
  const text = fieldText(content, field);
  const parts = text !== null ? (markEvidence(text, evidence) ?? markEvidence(stripTags(text), evidence)) : null;
  if (!parts) {
    return (
      <span className="fm-evidence">
        <mark>{evidence}</mark>
      </span>
    );
  }
  const [before, hit, after] = parts;
  const head = before.length > CONTEXT_CHARS ? `…${before.slice(-CONTEXT_CHARS)}` : before;
  const tail = after.length > CONTEXT_CHARS ? `${after.slice(0, CONTEXT_CHARS)}…` : after;
  return (
    <span className="fm-evidence">
      {head}
      <mark>{hit}</mark>
      {tail}
    </span>
  );
}

/**
 * What the automatic review found, most severe first: the rule, where, the offending text marked in
 * what was written, and what to do. `onLocate` adds a 去修改 link per finding (the merchant's editor);
 * `extra` renders more per finding (a link to the qualifications page, …). Words come from the
 * `reviewMerchant` messages (rules, severity, fields, ruleHints), which the admin console may read too.
 */
export function ReviewFindings({
  findings,
  content,
  onLocate,
  hints = true,
  extra,
}: {
  findings: readonly ReviewFinding[];
  /** The content as submitted, to show the offending text in its context. */
  content?: ReviewContent | undefined;
  onLocate?: ((field: string) => void) | undefined;
  /** Say what to do about each rule (the merchant's view). */
  hints?: boolean;
  extra?: ((finding: ReviewFinding) => ReactNode) | undefined;
}) {
  const { t } = useTranslation();
  if (findings.length === 0) return <p className="fm-muted fm-findings-empty">{t('reviewMerchant.findings.empty')}</p>;
  return (
    <ol className="fm-findings" data-testid="review-findings">
      {sortFindings(findings).map((finding, i) => (
        <li key={`${finding.rule}-${finding.field}-${i}`} className={`fm-finding fm-finding-${finding.severity}`} data-testid="review-finding">
          <div className="fm-finding-head">
            <Tag color={SEVERITY_COLORS[finding.severity]} className="fm-finding-severity">
              {t(`reviewMerchant.severity.${finding.severity}`)}
            </Tag>
            <strong className="fm-finding-rule">{ruleLabel(t, finding.rule)}</strong>
            <span className="fm-finding-field">
              {t('reviewMerchant.findings.at')}：{fieldLabel(t, finding.field)}
            </span>
            {onLocate && finding.field && (
              <Button type="link" size="small" className="fm-finding-locate" onClick={() => onLocate(finding.field)}>
                {t('reviewMerchant.findings.locate')}
              </Button>
            )}
            {extra?.(finding)}
          </div>
          {finding.evidence && (
            <div className="fm-finding-evidence">
              <span className="fm-muted">{t('reviewMerchant.findings.offending')}：</span>
              <Evidence finding={finding} content={content} />
            </div>
          )}
          {hints && RULE_KEYS.includes(finding.rule) && <div className="fm-finding-hint">{t(`reviewMerchant.ruleHints.${finding.rule}`)}</div>}
          <div className="fm-finding-message fm-muted">{t('reviewMerchant.findings.detail', { message: detailText(t, finding) })}</div>
        </li>
      ))}
    </ol>
  );
}
