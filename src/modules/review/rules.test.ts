import { describe, expect, it } from 'vitest';
import { findTerms, foldText, prepareTerms, toUnits } from './normalize.js';
import { defaultRuleSettings, mergeSettings, type RuleKey, type RuleSettings } from './rule-config.js';
import { evaluate, type ListingContent, rejectionReason, type RuleContext, runRule, verdictOf } from './rules.js';

const listing = (overrides: Partial<ListingContent> = {}): ListingContent => ({
  title: '纯棉圆领短袖T恤',
  subtitle: '新疆长绒棉',
  description: '<p>200g 精梳棉，<strong>机洗不变形</strong></p>',
  brand: '棉舍',
  categoryId: 'cat_LEAF',
  attributes: { material: '棉 100%' },
  specs: [{ key: 'color', values: ['白色', '黑色'] }],
  imageIds: ['img_1'],
  skus: [
    { code: 'A-1', price: 7900, listPrice: 9900 },
    { code: 'A-2', price: 8900, listPrice: null },
  ],
  ...overrides,
});

const context = (overrides: Partial<RuleContext> = {}): RuleContext => ({
  category: {
    id: 'cat_LEAF',
    path: [
      { id: 'cat_ROOT', nameZh: '服装', nameEn: 'Clothing' },
      { id: 'cat_LEAF', nameZh: 'T恤', nameEn: 'T-shirts' },
    ],
    attributes: [{ key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true }],
  },
  similar: [],
  qualifiedCategoryIds: new Set(),
  sampleKey: 'rvt_1',
  ...overrides,
});

const run = <K extends RuleKey>(key: K, l: ListingContent, c: RuleContext = context(), params = defaultRuleSettings[key].params) =>
  runRule(key, l, c, params);
const evidence = <K extends RuleKey>(key: K, l: ListingContent, c?: RuleContext) => run(key, l, c).map((f) => f.evidence);

describe('normalization', () => {
  it('folds full-width, case and traditional characters', () => {
    expect(foldText('ＢＥＳＴ Ｎｏ．１ 國家級')).toBe('best no.1 国家级');
  });

  it('drops separators between characters and spells out spaced letters', () => {
    expect(toUnits('最.好 第_一 最 好').units).toEqual(['最', '好', '第', '一', '最', '好']);
    expect(toUnits('b.e.s.t price').units).toEqual(['best', 'price']);
    expect(toUnits('NO1 iPhone15').units).toEqual(['no', '1', 'iphone', '15']);
  });

  it('matches terms on units with an allow list, and points at the original text', () => {
    const list = prepareTerms(['最', 'best', '第一'], ['最近', '第一次']);
    expect(findTerms('最近很火', list)).toEqual([]);
    expect(findTerms('第一次用', list)).toEqual([]);
    expect(findTerms('最近最.好用', list).map((m) => m.evidence)).toEqual(['最']);
    expect(findTerms('the Ｂ-E-S-T tee', list).map((m) => m.evidence)).toEqual(['Ｂ-E-S-T']);
    expect(findTerms('asbestos bestow', list)).toEqual([]);
  });
});

describe('rule: absolute terms (广告法极限词)', () => {
  const fires = (title: string) => evidence('absolute_terms', listing({ title }));
  it('fires on Chinese and English terms, full-width, traditional and separator tricks', () => {
    expect(fires('全网最低价T恤')).toEqual(['全网最低']);
    expect(fires('国家级工艺')).toEqual(['国家级']);
    expect(fires('國家級工藝')).toEqual(['國家級']);
    expect(fires('最.好的T恤')).toEqual(['最']);
    expect(fires('第_一品牌')).toEqual(['第_一']);
    expect(fires('销量第 一')).toEqual(['第 一']);
    expect(fires('The BEST tee')).toEqual(['BEST']);
    expect(fires('ｂｅｓｔ tee')).toEqual(['ｂｅｓｔ']);
    expect(fires('No.1 seller')).toEqual(['No.1']);
    expect(fires('world-class cotton')).toEqual(['world-class']);
  });
  it('does not fire on near misses', () => {
    expect(fires('最近很火的T恤')).toEqual([]);
    expect(fires('第一次穿就爱上')).toEqual([]);
    expect(fires('第10款 纯棉')).toEqual([]);
    expect(fires('asbestos-free bestow tee')).toEqual([]);
    expect(fires('Best before 2027-01')).toEqual([]);
    expect(fires('No. 10 cotton')).toEqual([]);
  });
  it('reads the description as text and every attribute and spec value', () => {
    const found = run('absolute_terms', listing({ description: '<p>史无<b>前例</b></p>', attributes: { material: '顶级棉' }, specs: [{ key: 'color', values: ['最', '好'] }] }));
    expect(found.map((f) => [f.field, f.evidence])).toEqual([
      ['description', '史无 前例'],
      ['attributes.material', '顶级'],
      ['specs.0.values.0', '最'],
    ]);
    // What each says, as a code with its parameters, for the UI to word.
    expect(found[2]!.detail).toEqual({ code: 'term', params: { term: '最' } });
  });
});

describe('rule: prohibited goods (禁售品)', () => {
  const fires = (title: string) => evidence('prohibited_goods', listing({ title }));
  it('fires', () => {
    expect(fires('仿真枪 金属')).toEqual(['仿真枪']);
    expect(fires('仿 真 槍')).toEqual(['仿 真 槍']);
    expect(fires('代开-发-票')).toEqual(['代开-发-票']);
    expect(fires('Replica G.U.N toy')).toEqual(['G.U.N']);
    expect(fires('ＣＯＣＡＩＮＥ')).toEqual(['ＣＯＣＡＩＮＥ']);
  });
  it('does not fire on near misses', () => {
    expect(fires('儿童玩具水枪')).toEqual([]);
    expect(fires('锂电手枪钻 家用')).toEqual([]);
    expect(fires('大麻绳 手工编织')).toEqual([]);
    expect(fires('Hot glue gun 20W')).toEqual([]);
    expect(fires('Gunmetal grey shirt')).toEqual([]);
  });
});

describe('rule: contact lures', () => {
  const fires = (description: string) => evidence('contact_lure', listing({ description }));
  it('finds phone numbers written every way', () => {
    expect(fires('咨询 13812345678')).toEqual(['13812345678']);
    expect(fires('电话 138-1234-5678')).toEqual(['138-1234-5678']);
    expect(fires('电话 +86 138 1234 5678')).toEqual(['+86 138 1234 5678']);
    expect(fires('电话 １３８１２３４５６７８')).toEqual(['１３８１２３４５６７８']);
    expect(fires('打 1 3 8 1 2 3 4 5 6 7 8')).toEqual(['1 3 8 1 2 3 4 5 6 7 8']);
    expect(fires('幺三八一二三四五六七八')).toEqual(['幺三八一二三四五六七八']);
    expect(fires('客服 400-820-8820')).toEqual(['400-820-8820']);
  });
  it('finds WeChat and QQ ids, links and e-mail addresses', () => {
    expect(fires('加微信: shop_8888 优惠')).toEqual(['微信: shop_8888']);
    expect(fires('VX：Abc12345')).toEqual(['VX：Abc12345']);
    expect(fires('QQ 12345678')).toEqual(['QQ 12345678']);
    expect(fires('访问 www.example.com 购买')).toEqual(['www.example.com']);
    expect(fires('shop.example.cn 下单')).toEqual(['shop.example.cn']);
    expect(fires('淘宝店 myshop点com')).toEqual(['myshop点com']);
    expect(fires('mail me: buy@example.org')).toEqual(['buy@example.org']);
    expect(fires('<p><a href="https://evil.example/x">详情</a></p>')).toEqual(['https://evil.example/x']);
  });
  it('does not fire on near misses', () => {
    expect(fires('尺码 130 140 150 160 170')).toEqual([]);
    expect(fires('容量 1500ml，重量 13.5kg，型号 2023-11-15')).toEqual([]);
    expect(fires('支持微信支付')).toEqual([]);
    expect(fires('QQ糖 水果味')).toEqual([]);
    expect(fires('Works with Node.js and e.g. Vitamin.C')).toEqual([]);
    expect(fires('订单号 12345678901234')).toEqual([]);
  });
  it('lets allowed domains through', () => {
    const params = { ...defaultRuleSettings.contact_lure.params, allowDomains: ['flowmart.example'] };
    expect(run('contact_lure', listing({ description: '<p>见 https://help.flowmart.example/size</p>' }), context(), params)).toEqual([]);
  });
});

describe('rule: unsafe HTML', () => {
  const fires = (l: Partial<ListingContent>) => run('unsafe_html', listing(l)).map((f) => f.message);
  it('fires on scripts, event handlers and script URLs in any field', () => {
    expect(fires({ description: '<p>hi</p><script>alert(1)</script>' })).toContain('Script tag');
    expect(fires({ title: 'T恤 <img src=x onerror=alert(1)>' })).toEqual(['Event-handler attribute']);
    expect(fires({ description: '<a href="java&#x09;script:alert(1)">x</a>' })).toEqual(['Script URL']);
    expect(fires({ description: '<A HREF=" JAVASCRIPT:alert(1)">x</A>' })).toEqual(['Script URL']);
  });
  it('does not fire on near misses', () => {
    expect(fires({ description: '<p>on sale now, bonus=1</p>' })).toEqual([]);
    expect(fires({ title: '学习 JavaScript: 入门' })).toEqual([]);
    expect(fires({ title: '重量 < 5kg，onion=good' })).toEqual([]);
    expect(fires({ description: '<a href="https://example.com/x" rel="noopener">x</a>' })).toEqual([]);
  });
});

describe('rule: required content', () => {
  it('fires on missing images, required attributes and short descriptions, per category', () => {
    const params = { minImages: 1, minDescriptionChars: 5, categories: { cat_LEAF: { minImages: 2 } } };
    const found = run('required_content', listing({ imageIds: ['img_1'], attributes: {}, description: '<p>短</p>' }), context(), params);
    expect(found.map((f) => f.field)).toEqual(['imageIds', 'attributes.material', 'description']);
  });
  it('does not fire when the content is complete', () => {
    expect(run('required_content', listing(), context(), { minImages: 1, minDescriptionChars: 10, categories: {} })).toEqual([]);
  });
});

describe('rule: prices', () => {
  const stats = (median: number, samples: number) => context({ priceStats: { median, samples } });
  it('a zero price and a list price below the price block', () => {
    const found = run('price_sanity', listing({ skus: [{ code: 'Z', price: 0, listPrice: null }, { code: 'L', price: 5000, listPrice: 4000 }] }));
    expect(found.map((f) => [f.field, f.evidence])).toEqual([
      ['skus.0.price', '¥0.00'],
      ['skus.1.listPrice', '¥40.00 < ¥50.00'],
    ]);
    expect(run('price_sanity', listing({ skus: [{ code: 'OK', price: 1, listPrice: 1 }] }))).toEqual([]);
  });
  it('flags prices far from the category median, only with enough samples', () => {
    const cheap = listing({ skus: [{ code: 'C', price: 700, listPrice: null }] });
    expect(run('price_anomaly', cheap, stats(8000, 50))).toHaveLength(1);
    expect(run('price_anomaly', cheap, stats(8000, 19))).toEqual([]);
    expect(run('price_anomaly', listing({ skus: [{ code: 'C', price: 800, listPrice: null }] }), stats(8000, 50))).toEqual([]);
    expect(run('price_anomaly', listing({ skus: [{ code: 'X', price: 80_001, listPrice: null }] }), stats(8000, 50))[0]!.message).toMatch(/far above/);
    expect(run('price_anomaly', listing({ skus: [{ code: 'X', price: 80_000, listPrice: null }] }), stats(8000, 50))).toEqual([]);
    expect(run('price_anomaly', cheap, context())).toEqual([]);
  });
});

describe('rule: duplicate listings (重复铺货)', () => {
  it('fires at the threshold, not below', () => {
    const similar = [
      { productId: 'prd_A', title: '纯棉圆领短袖T恤', similarity: 0.93 },
      { productId: 'prd_B', title: '纯棉圆领短袖T恤 黑', similarity: 0.89 },
    ];
    expect(run('duplicate_listing', listing(), context({ similar })).map((f) => f.evidence)).toEqual(['纯棉圆领短袖T恤']);
    expect(run('duplicate_listing', listing(), context({ similar }), { threshold: 0.95 })).toEqual([]);
  });
});

describe('rule: category qualifications', () => {
  const params = { categoryIds: ['cat_ROOT'] };
  it('a regulated category (at any level) needs a valid qualification for it', () => {
    expect(run('category_qualification', listing(), context(), params).map((f) => f.evidence)).toEqual(['cat_ROOT']);
    expect(run('category_qualification', listing(), context({ qualifiedCategoryIds: new Set(['cat_ROOT']) }), params)).toEqual([]);
    expect(run('category_qualification', listing(), context({ qualifiedCategoryIds: new Set(['cat_LEAF']) }), params)).toHaveLength(1);
    expect(run('category_qualification', listing(), context(), { categoryIds: ['cat_OTHER'] })).toEqual([]);
  });
});

describe('rule: spot checks', () => {
  it('picks by a stable draw on the submission', () => {
    expect(run('spot_check', listing(), context(), { share: 1 })).toHaveLength(1);
    expect(run('spot_check', listing(), context(), { share: 0 })).toEqual([]);
    const picked = Array.from({ length: 1000 }, (_, i) => run('spot_check', listing(), context({ sampleKey: `rvt_${i}` }), { share: 0.1 }).length).reduce((a, b) => a + b, 0);
    expect(picked).toBeGreaterThan(60);
    expect(picked).toBeLessThan(140);
  });
});

describe('the verdict', () => {
  it('approves a clean listing, queues what needs a person, rejects on a blocking finding with the offending text', () => {
    expect(evaluate(listing(), context(), defaultRuleSettings)).toEqual({ findings: [], verdict: 'approve' });
    expect(evaluate(listing(), context({ similar: [{ productId: 'prd_A', title: '纯棉圆领短袖T恤', similarity: 1 }] }), defaultRuleSettings).verdict).toBe('manual');
    const rejected = evaluate(listing({ title: '全网最低 纯棉T恤', description: '<p>加微信 shop_8888</p>' }), context(), defaultRuleSettings);
    expect(rejected.verdict).toBe('reject');
    expect(rejectionReason(rejected.findings)).toContain('「全网最低」');
    expect(rejectionReason(rejected.findings)).toContain('shop_8888');
    expect(verdictOf([{ rule: 'spot_check', severity: 'info', field: '', message: '', evidence: '' }])).toBe('approve');
  });

  it('skips disabled rules and applies configured severities', () => {
    const settings: RuleSettings = mergeSettings([{ rule: 'absolute_terms', enabled: true, severity: 'review', params: defaultRuleSettings.absolute_terms.params }]);
    expect(evaluate(listing({ title: '最好的T恤' }), context(), settings).verdict).toBe('manual');
    const off = mergeSettings([{ rule: 'absolute_terms', enabled: false, severity: 'block', params: {} }]);
    expect(evaluate(listing({ title: '最好的T恤' }), context(), off).verdict).toBe('approve');
    // Parameters that no longer parse fall back to the defaults.
    expect(off.absolute_terms.params).toBe(defaultRuleSettings.absolute_terms.params);
  });
});
