/**
 * The automatic review (自动审核), pure: every enabled rule looks at a listing and the facts it
 * needs, and answers findings. The verdict follows from the findings alone: a blocking finding
 * rejects, a finding that needs a person queues, otherwise the listing is approved.
 */
import { createHash } from 'node:crypto';
import { findTerms, foldChar, htmlToText, prepareTerms, type TermList } from './normalize.js';
import { type RuleKey, ruleKeys, type RuleParams, type RuleSettings, type Severity } from './rule-config.js';
import type { FindingDetail } from './rule-keys.js';

/** What a reviewer judges: a product's content (structurally the catalog's ProductContent). */
export type ListingContent = {
  title: string;
  subtitle: string;
  description: string;
  brand: string;
  categoryId: string;
  attributes: Record<string, string>;
  specs: { key: string; values: string[] }[];
  imageIds: string[];
  skus: { code: string; price: number; listPrice: number | null }[];
};

/** The facts rules need beyond the content; loaded by the gate in a few queries. */
export type RuleContext = {
  /** The product's category with its ancestors (root first, the leaf last). */
  category?: {
    id: string;
    path: { id: string; nameZh: string; nameEn: string }[];
    attributes: { key: string; nameZh: string; nameEn: string; kind: 'spec' | 'attr'; required: boolean }[];
  };
  /** Median on-sale price (fen) of the category and how many products it was taken over. */
  priceStats?: { median: number; samples: number };
  /** On-sale products of the same store and category with a similar title. */
  similar: { productId: string; title: string; similarity: number }[];
  /** Categories the store holds an approved, unexpired qualification for. */
  qualifiedCategoryIds: ReadonlySet<string>;
  /** Stable per submission: decides spot checks. */
  sampleKey: string;
};

/** `detail` is absent on findings stored before it existed. */
export type Finding = { rule: RuleKey; severity: Severity; field: string; message: string; evidence: string; detail?: FindingDetail };
type Hit = Omit<Finding, 'rule' | 'severity'>;
type Rule<K extends RuleKey> = (listing: ListingContent, context: RuleContext, params: RuleParams[K]) => Hit[];

export type Verdict = 'approve' | 'reject' | 'manual';

// ── Text fields ───────────────────────────────────────────────────────────────────────────────

type TextField = { field: string; text: string };

/** Every text a shopper reads, as plain text (the description without its tags). */
function textFields(listing: ListingContent): TextField[] {
  return [
    { field: 'title', text: listing.title },
    { field: 'subtitle', text: listing.subtitle },
    { field: 'brand', text: listing.brand },
    { field: 'description', text: htmlToText(listing.description) },
    ...Object.entries(listing.attributes).map(([key, text]) => ({ field: `attributes.${key}`, text })),
    ...listing.specs.flatMap((dim, i) => dim.values.map((text, j) => ({ field: `specs.${i}.values.${j}`, text }))),
  ].filter((f) => f.text.length > 0);
}

/** The same fields as written (HTML kept), for markup checks. */
function rawFields(listing: ListingContent): TextField[] {
  return textFields({ ...listing, description: '' }).concat(listing.description ? [{ field: 'description', text: listing.description }] : []);
}

const prepared = new WeakMap<object, TermList>();
function termsOf(params: { terms: string[]; allow: string[] }): TermList {
  let list = prepared.get(params);
  if (!list) {
    list = prepareTerms(params.terms, params.allow);
    prepared.set(params, list);
  }
  return list;
}

const wordListRule =
  (label: string): Rule<'prohibited_goods' | 'absolute_terms'> =>
  (listing, _context, params) =>
    textFields(listing).flatMap(({ field, text }) =>
      findTerms(text, termsOf(params)).map((m) => ({ field, message: `${label}: ${m.term}`, evidence: m.evidence, detail: { code: 'term', params: { term: m.term } } })),
    );

// ── Contact lures ─────────────────────────────────────────────────────────────────────────────

/** Folded text (full-width → half-width, lower case) with each position's offset in the original. */
function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  let folded = '';
  const offsets: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) offsets.push(at);
    at += ch.length;
  }
  offsets.push(at);
  return { folded, offsets };
}

// Digits spelled in Chinese, as people write phone numbers to dodge filters (幺三八…).
const CHINESE_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 幺: '1', 一: '1', 壹: '1', 二: '2', 贰: '2', 三: '3', 叁: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9' };

const SEP = '[\\s\\-_.·]';
const PHONE_PATTERNS = [
  // 13812345678, +86 138 1234 5678, 138-1234-5678, 138 12345678, 1 3 8 1 2 3 4 5 6 7 8
  new RegExp(`(?<!\\d)(?:\\+?86${SEP}?)?1[3-9]\\d(?:\\d{8}|${SEP}\\d{4}${SEP}?\\d{4}|${SEP}\\d{8})(?!\\d)`, 'g'),
  new RegExp(`(?<!\\d)1${SEP}[3-9](?:${SEP}\\d){9}(?!\\d)`, 'g'),
  // Landlines with an area code, and 400/800 service numbers.
  /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/g,
  /(?<!\d)[48]00-?\d{3}-?\d{4}(?!\d)/g,
];
const WECHAT_PATTERNS = [
  /(?<![a-z])(?:微信号?|威信|薇信|徽信|v信|vx|wx|weixin|wechat|加v|加微)[\s:_\-号是为]*([a-z][a-z0-9_-]{5,19})(?![a-z0-9_-])/g,
  /(?<![a-z0-9])wxid_[a-z0-9]{4,}/g,
];
const QQ_PATTERN = /(?<![a-z])(?:qq|扣扣|企鹅号?)[\s:_\-号群是]*(\d{5,11})(?!\d)/g;
const TLDS = 'com|cn|net|org|top|xyz|shop|vip|cc|me|io|info|biz|site|online|store|link|club|tv|co';
const URL_PATTERNS = [
  /(?:https?:\/\/|www\.)[^\s<>"'，。）)]+/g,
  /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/g,
  new RegExp(`(?<![a-z0-9@._-])(?:[a-z0-9][a-z0-9-]{0,62}\\.)+(?:${TLDS})(?![a-z0-9-])`, 'g'),
  // taobao点com, shop dot cn
  new RegExp(`(?<![a-z0-9])[a-z0-9-]{2,63}\\s*(?:点|dot|\\(dot\\)|\\[dot\\]|。)\\s*(?:com|cn|net)(?![a-z0-9])`, 'g'),
];

function hostOf(url: string): string {
  const bare = url.replace(/^[a-z]+:\/\//, '').replace(/^[^@/]*@/, '');
  return bare.split(/[/?#:]/)[0] ?? bare;
}

type ContactKind = 'phone' | 'wechat' | 'qq' | 'link';
const CONTACT_WORDS: Record<ContactKind, string> = { phone: 'Phone number', wechat: 'WeChat id', qq: 'QQ number', link: 'Link' };

const contactLure: Rule<'contact_lure'> = (listing, _context, params) => {
  const hits: Hit[] = [];
  const allowed = (url: string) => {
    const host = hostOf(url);
    return params.allowDomains.some((d) => host === d || host.endsWith(`.${d}`));
  };
  const scan = (field: string, text: string, kind: ContactKind, patterns: RegExp[], keep: (match: string) => boolean = () => true) => {
    const { folded, offsets } = foldWithOffsets(text);
    const searched = kind === 'phone' ? [...folded].map((c) => CHINESE_DIGITS[c] ?? c).join('') : folded;
    const seen: [number, number][] = [];
    for (const pattern of patterns) {
      for (const m of searched.matchAll(pattern)) {
        const start = m.index;
        const end = start + m[0].length;
        if (seen.some(([s, e]) => start < e && end > s) || !keep(m[0])) continue;
        seen.push([start, end]);
        hits.push({ field, message: `${CONTACT_WORDS[kind]} (off-platform contact)`, evidence: text.slice(offsets[start], offsets[end]), detail: { code: `contact_${kind}`, params: {} } });
      }
    }
  };
  for (const { field, text } of textFields(listing)) {
    if (params.phone) scan(field, text, 'phone', PHONE_PATTERNS);
    if (params.wechat) scan(field, text, 'wechat', WECHAT_PATTERNS);
    if (params.qq) scan(field, text, 'qq', [QQ_PATTERN]);
    if (params.url) scan(field, text, 'link', URL_PATTERNS, (m) => !allowed(m));
  }
  if (params.url) {
    for (const m of listing.description.matchAll(/\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      const url = (m[1] ?? m[2] ?? '').trim().toLowerCase();
      if (url && !allowed(url)) hits.push({ field: 'description', message: 'Link (off-platform contact)', evidence: m[1] ?? m[2] ?? '', detail: { code: 'contact_link', params: {} } });
    }
  }
  return hits;
};

// ── Markup ────────────────────────────────────────────────────────────────────────────────────

const SCRIPT_TAG = /<\s*\/?\s*(?:script|iframe|object|embed|svg|math|frame|frameset|applet|base|meta|link|style)\b[^>]*>?/gi;
const EVENT_HANDLER = /<[a-z][^>]*?[\s/"']on[a-z]+\s*=[^>]*>?/gi;
const URL_ATTRIBUTE = /[\s/"'](?:href|src|action|formaction|xlink:href|style|background|poster|data)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const SCRIPT_SCHEME = /(?:javascript|vbscript|livescript):|data:text\/html/;

const unsafeHtml: Rule<'unsafe_html'> = (listing) =>
  rawFields(listing).flatMap(({ field, text }) => {
    if (!text.includes('<')) return [];
    const hits: Hit[] = [];
    for (const m of text.matchAll(SCRIPT_TAG)) hits.push({ field, message: 'Script tag', evidence: m[0], detail: { code: 'script_tag', params: {} } });
    for (const m of text.matchAll(EVENT_HANDLER)) hits.push({ field, message: 'Event-handler attribute', evidence: m[0], detail: { code: 'event_handler', params: {} } });
    for (const tag of text.match(/<[a-z][^>]*>/gi) ?? []) {
      for (const m of tag.matchAll(URL_ATTRIBUTE)) {
        // Browsers decode entities and ignore whitespace and control characters inside a scheme.
        // eslint-disable-next-line no-control-regex
        const value = htmlToText(m[1]!.replace(/^["']|["']$/g, '')).replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
        if (SCRIPT_SCHEME.test(value)) hits.push({ field, message: 'Script URL', evidence: tag, detail: { code: 'script_url', params: {} } });
      }
    }
    return hits;
  });

// ── Content, prices, duplicates, qualifications ───────────────────────────────────────────────

const requiredContent: Rule<'required_content'> = (listing, context, params) => {
  let { minImages, minDescriptionChars } = params;
  for (const node of context.category?.path ?? []) {
    const override = params.categories[node.id];
    minImages = override?.minImages ?? minImages;
    minDescriptionChars = override?.minDescriptionChars ?? minDescriptionChars;
  }
  const hits: Hit[] = [];
  if (listing.imageIds.length < minImages) {
    hits.push({
      field: 'imageIds',
      message: `At least ${minImages} image${minImages === 1 ? '' : 's'} required`,
      evidence: `${listing.imageIds.length} given`,
      detail: { code: 'min_images', params: { min: minImages, given: listing.imageIds.length } },
    });
  }
  for (const def of context.category?.attributes ?? []) {
    if (def.kind === 'attr' && def.required && !listing.attributes[def.key]?.trim()) {
      hits.push({ field: `attributes.${def.key}`, message: `${def.nameZh} (${def.nameEn}) is required`, evidence: '', detail: { code: 'required_attribute', params: { nameZh: def.nameZh, nameEn: def.nameEn } } });
    }
  }
  const chars = [...htmlToText(listing.description)].length;
  if (chars < minDescriptionChars) {
    hits.push({
      field: 'description',
      message: `The description needs at least ${minDescriptionChars} characters`,
      evidence: `${chars} characters`,
      detail: { code: 'min_description', params: { min: minDescriptionChars, chars } },
    });
  }
  return hits;
};

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

const priceSanity: Rule<'price_sanity'> = (listing) =>
  listing.skus.flatMap((sku, i): Hit[] => {
    const hits: Hit[] = [];
    if (sku.price <= 0) hits.push({ field: `skus.${i}.price`, message: `SKU ${sku.code} has no price`, evidence: yuan(sku.price), detail: { code: 'no_price', params: { sku: sku.code } } });
    if (sku.listPrice !== null && sku.listPrice < sku.price) {
      hits.push({
        field: `skus.${i}.listPrice`,
        message: `SKU ${sku.code}: the list price is below the price`,
        evidence: `${yuan(sku.listPrice)} < ${yuan(sku.price)}`,
        detail: { code: 'list_price_below_price', params: { sku: sku.code } },
      });
    }
    return hits;
  });

const priceAnomaly: Rule<'price_anomaly'> = (listing, context, params) => {
  const stats = context.priceStats;
  if (!stats || stats.samples < params.minSamples || stats.median <= 0) return [];
  return listing.skus.flatMap((sku, i): Hit[] => {
    if (sku.price <= 0) return []; // price_sanity's case
    const ratio = sku.price / stats.median;
    const against = `${yuan(sku.price)} vs median ${yuan(stats.median)} of ${stats.samples}`;
    const facts = { sku: sku.code, price: yuan(sku.price), median: yuan(stats.median), samples: stats.samples };
    if (ratio < params.lowShare) return [{ field: `skus.${i}.price`, message: `SKU ${sku.code} is priced far below the category`, evidence: against, detail: { code: 'price_far_below', params: facts } }];
    if (ratio > params.highMultiple) return [{ field: `skus.${i}.price`, message: `SKU ${sku.code} is priced far above the category`, evidence: against, detail: { code: 'price_far_above', params: facts } }];
    return [];
  });
};

const duplicateListing: Rule<'duplicate_listing'> = (_listing, context, params) =>
  context.similar
    .filter((s) => s.similarity >= params.threshold)
    .map((s) => ({
      field: 'title',
      message: `Nearly the same title as on-sale product ${s.productId} (similarity ${s.similarity.toFixed(2)})`,
      evidence: s.title,
      detail: { code: 'similar_title' as const, params: { productId: s.productId, similarity: Number(s.similarity.toFixed(2)) } },
    }));

const categoryQualification: Rule<'category_qualification'> = (_listing, context, params) => {
  const regulated = new Set(params.categoryIds);
  return (context.category?.path ?? [])
    .filter((node) => regulated.has(node.id) && !context.qualifiedCategoryIds.has(node.id))
    .map((node) => ({
      field: 'categoryId',
      message: `${node.nameZh} (${node.nameEn}) needs an approved, unexpired qualification of the store`,
      evidence: node.id,
      detail: { code: 'needs_qualification' as const, params: { nameZh: node.nameZh, nameEn: node.nameEn } },
    }));
};

const spotCheck: Rule<'spot_check'> = (_listing, context, params) => {
  if (params.share <= 0) return [];
  const draw = createHash('sha256').update(context.sampleKey).digest().readUInt32BE(0) / 0x1_0000_0000;
  return draw < params.share ? [{ field: '', message: 'Picked for a spot check', evidence: '', detail: { code: 'spot_check', params: {} } }] : [];
};

const rules: { [K in RuleKey]: Rule<K> } = {
  required_content: requiredContent,
  prohibited_goods: wordListRule('Prohibited goods'),
  absolute_terms: wordListRule('Absolute term (广告法极限词)'),
  contact_lure: contactLure,
  unsafe_html: unsafeHtml,
  price_sanity: priceSanity,
  price_anomaly: priceAnomaly,
  duplicate_listing: duplicateListing,
  category_qualification: categoryQualification,
  spot_check: spotCheck,
};

/** One rule on its own, with its findings' severity; for tests and for the admin's dry run. */
export function runRule<K extends RuleKey>(key: K, listing: ListingContent, context: RuleContext, params: RuleParams[K], severity: Severity = 'block'): Finding[] {
  return (rules[key] as Rule<K>)(listing, context, params).map((hit) => ({ rule: key, severity, ...hit }));
}

/** Every enabled rule, then the verdict. */
export function evaluate(listing: ListingContent, context: RuleContext, settings: RuleSettings): { findings: Finding[]; verdict: Verdict } {
  const findings: Finding[] = [];
  for (const key of ruleKeys) {
    const setting = settings[key];
    if (setting.enabled) findings.push(...runRule(key, listing, context, setting.params as never, setting.severity));
  }
  return { findings, verdict: verdictOf(findings) };
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'block')) return 'reject';
  if (findings.some((f) => f.severity === 'review')) return 'manual';
  return 'approve';
}

/** The reason a merchant reads when the rules reject: each blocking finding with its offending text. */
export function rejectionReason(findings: readonly Finding[]): string {
  const lines = findings.filter((f) => f.severity === 'block').map((f) => `${f.field ? `${f.field}: ` : ''}${f.message}${f.evidence ? ` 「${f.evidence}」` : ''}`);
  const reason = `自动审核未通过 (rejected by the automatic review): ${lines.join('; ')}`;
  return reason.length > 500 ? `${reason.slice(0, 497)}...` : reason;
}
