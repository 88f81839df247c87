/**
 * The built-in rules and their settings: whether each runs, how severe its findings are, and its
 * parameters. Defaults live here; admins override them (review_rules rows, every change in the
 * flow log). Parameters are checked against each rule's schema, so a rule never runs on a bad one.
 */
import { z } from 'zod';
import { type RuleKey, ruleKeys, type Severity, severities } from './rule-keys.js';

export { type RuleKey, ruleKeys, type Severity, severities };

const term = z.string().trim().min(1).max(40);
const termList = z.array(term).max(2000);
const wordListParams = z.strictObject({ terms: termList, allow: termList });
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), `a ${prefix}_… id`);

const contentMinimum = z.strictObject({ minImages: z.int().min(0).max(9).optional(), minDescriptionChars: z.int().min(0).max(10_000).optional() });

export const ruleParamSchemas = {
  required_content: z.strictObject({
    minImages: z.int().min(0).max(9),
    minDescriptionChars: z.int().min(0).max(10_000),
    /** Overrides per category (any level; the nearest one to the product's leaf wins). */
    categories: z.record(id('cat'), contentMinimum),
  }),
  prohibited_goods: wordListParams,
  absolute_terms: wordListParams,
  contact_lure: z.strictObject({
    phone: z.boolean(),
    wechat: z.boolean(),
    qq: z.boolean(),
    url: z.boolean(),
    /** Domains that may appear (and their subdomains), e.g. the platform's own. */
    allowDomains: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'a domain name')).max(200),
  }),
  unsafe_html: z.strictObject({}),
  price_sanity: z.strictObject({}),
  price_anomaly: z.strictObject({
    /** On-sale products the category needs before its median means anything. */
    minSamples: z.int().min(1).max(100_000),
    /** A SKU below this share of the median is suspicious (0.1: a tenth). */
    lowShare: z.number().min(0).max(1),
    /** A SKU above this multiple of the median is suspicious. */
    highMultiple: z.number().min(1).max(10_000),
  }),
  duplicate_listing: z.strictObject({ threshold: z.number().min(0.5).max(1) }),
  category_qualification: z.strictObject({
    /** Regulated categories (any level): products in them or below need the store's approved qualification for that category. */
    categoryIds: z.array(id('cat')).max(500),
  }),
  spot_check: z.strictObject({ share: z.number().min(0).max(1) }),
} satisfies Record<RuleKey, z.ZodType>;

export type RuleParams = { [K in RuleKey]: z.infer<(typeof ruleParamSchemas)[K]> };
export type RuleSetting<K extends RuleKey = RuleKey> = { enabled: boolean; severity: Severity; params: RuleParams[K] };
export type RuleSettings = { [K in RuleKey]: RuleSetting<K> };

// 禁售品: goods the platform does not allow, with harmless compounds that contain them.
const PROHIBITED = [
  '枪支', '手枪', '气枪', '猎枪', '仿真枪', '弹药', '子弹', '炸药', '雷管', '管制刀具', '弩箭',
  '毒品', '冰毒', '海洛因', '可卡因', '摇头丸', 'k粉', '大麻', '迷药', '迷幻药', '催情药', '听话水',
  '窃听器', '针孔摄像头', '假币', '伪钞', '代开发票', '发票代开', '银行卡套现', '洗钱',
  '象牙', '犀牛角', '穿山甲', '虎骨', '熊胆', '处方药', '香烟', '电子烟', '赌博', '外挂', '私服',
  'gun', 'firearm', 'ammunition', 'cocaine', 'heroin', 'marijuana', 'counterfeit', 'ivory',
];
const PROHIBITED_ALLOW = ['手枪钻', '打气枪', '吹气枪', '大麻绳', 'glue gun', 'spray gun', 'water gun', 'heat gun', 'massage gun', 'nail gun', 'caulk gun'];

// 广告法极限词 (Advertising Law art. 9: 国家级、最高级、最佳 and the like), with everyday compounds.
const ABSOLUTE = [
  '最', '第一', '唯一', '首选', '首个', '首家', '顶级', '国家级', '世界级', '全球级', '极品', '极致',
  '万能', '全网最低', '史无前例', '独一无二', 'no1', 'top1', 'best', 'cheapest', 'number one', 'world class',
];
const ABSOLUTE_ALLOW = [
  '最近', '最后', '最初', '最终', '第一次', '第一步', '第一天', '第一代', '第一季', '第一集', '第一章', '第一批', '第一版', '第一层', '第一件',
  'best before',
];

export const defaultRuleSettings: RuleSettings = {
  required_content: { enabled: true, severity: 'block', params: { minImages: 1, minDescriptionChars: 0, categories: {} } },
  prohibited_goods: { enabled: true, severity: 'block', params: { terms: PROHIBITED, allow: PROHIBITED_ALLOW } },
  absolute_terms: { enabled: true, severity: 'block', params: { terms: ABSOLUTE, allow: ABSOLUTE_ALLOW } },
  contact_lure: { enabled: true, severity: 'block', params: { phone: true, wechat: true, qq: true, url: true, allowDomains: [] } },
  unsafe_html: { enabled: true, severity: 'block', params: {} },
  price_sanity: { enabled: true, severity: 'block', params: {} },
  price_anomaly: { enabled: true, severity: 'review', params: { minSamples: 20, lowShare: 0.1, highMultiple: 10 } },
  duplicate_listing: { enabled: true, severity: 'review', params: { threshold: 0.9 } },
  category_qualification: { enabled: true, severity: 'block', params: { categoryIds: [] } },
  spot_check: { enabled: false, severity: 'review', params: { share: 0.05 } },
};

/** What each rule checks, for the admin's rule list. */
export const ruleDescriptions: Record<RuleKey, string> = {
  required_content: 'Images, required attributes and description length per category',
  prohibited_goods: 'Prohibited goods (禁售品): an editable word and phrase list with an allow list',
  absolute_terms: 'Advertising-law absolute terms (广告法极限词) with an allow list for harmless compounds',
  contact_lure: 'Off-platform contact lures: phone numbers, WeChat and QQ ids, URLs',
  unsafe_html: 'Script or event-handler HTML in any text',
  price_sanity: 'A zero price, or a list price below the price',
  price_anomaly: "A SKU far below or above the category's median on-sale price (with enough samples)",
  duplicate_listing: 'Duplicate listing (重复铺货): nearly the same title as an on-sale product of the store in the category',
  category_qualification: 'Regulated categories need an approved, unexpired qualification of the store',
  spot_check: 'Sends a share of otherwise clean listings to a person (抽检); 1 sends every listing',
};

/** Stored overrides on top of the defaults; an override that no longer parses falls back to the default. */
export function mergeSettings(rows: { rule: string; enabled: boolean; severity: Severity; params: unknown }[]): RuleSettings {
  const settings = { ...defaultRuleSettings };
  for (const row of rows) {
    if (!(ruleKeys as readonly string[]).includes(row.rule)) continue;
    const key = row.rule as RuleKey;
    const parsed = ruleParamSchemas[key].safeParse(row.params);
    Object.assign(settings, { [key]: { enabled: row.enabled, severity: row.severity, params: parsed.success ? parsed.data : defaultRuleSettings[key].params } });
  }
  return settings;
}
