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

/**
 * What exactly a finding says, as a code and parameters, so each language words it itself (the
 * finding's `message` is the English sentence, for API clients and older findings).
 */
export const findingCodes = [
  'term',
  'contact_phone',
  'contact_wechat',
  'contact_qq',
  'contact_link',
  'script_tag',
  'event_handler',
  'script_url',
  'min_images',
  'required_attribute',
  'min_description',
  'no_price',
  'list_price_below_price',
  'price_far_below',
  'price_far_above',
  'similar_title',
  'needs_qualification',
  'spot_check',
] as const;
export type FindingCode = (typeof findingCodes)[number];
export type FindingDetail = { code: FindingCode; params: Record<string, string | number> };
