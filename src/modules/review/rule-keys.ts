/**
 * The names of the built-in rules and of the severities, with no imports: the web app bundles
 * this file, so its lists cannot drift from the server's.
 */
export const ruleKeys = [
  'required_content',
  'prohibited_goods',
  'absolute_terms',
  'contact_lure',
  'unsafe_html',
  'price_sanity',
  'price_anomaly',
  'duplicate_listing',
  'category_qualification',
  'spot_check',
] as const;
export type RuleKey = (typeof ruleKeys)[number];

/** block: rejected automatically; review: a person decides; info: recorded only. */
export const severities = ['block', 'review', 'info'] as const;
export type Severity = (typeof severities)[number];
