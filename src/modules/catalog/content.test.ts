import { describe, expect, it } from 'vitest';
import { type CategoryFacts, contentIssues, materialHash, normalizeContent, type ProductContent, revisionContentOf, submitIssues } from './content.js';
import { findUnsafeHtml, sanitizeDescription } from './html.js';
import type { ProductRow, RevisionRow, SkuRow } from './repo.js';
import { planWrite } from './writes.js';

const category: CategoryFacts = {
  id: 'cat_1',
  enabled: true,
  isLeaf: true,
  attributes: [
    { key: 'color', nameZh: '颜色', nameEn: 'Colour', kind: 'spec', required: false },
    { key: 'size', nameZh: '尺码', nameEn: 'Size', kind: 'spec', required: false, options: ['M', 'L'] },
    { key: 'material', nameZh: '材质', nameEn: 'Material', kind: 'attr', required: true },
  ],
};

const content = (): ProductContent =>
  normalizeContent({
    title: 'T恤',
    categoryId: 'cat_1',
    attributes: { material: '棉' },
    specs: [
      { key: 'color', values: ['红', '蓝'] },
      { key: 'size', values: ['M', 'L'] },
    ],
    imageIds: ['img_1'],
    skus: [
      { code: 'R-M', specs: { color: '红', size: 'M' }, price: 100, weightGrams: 1, onHand: 5 },
      { code: 'B-L', specs: { color: '蓝', size: 'L' }, price: 120, listPrice: 150, weightGrams: 1 },
    ],
  });

describe('contentIssues', () => {
  it('passes a consistent product, even one that covers only part of the spec matrix', () => {
    expect(contentIssues(content(), category, new Set(['img_1']))).toEqual([]);
    expect(submitIssues(content(), category)).toEqual([]);
  });

  it('names each problem by path', () => {
    const c = content();
    c.skus[1]!.specs = { color: '红', size: 'M' };
    c.skus.push({ code: 'R-M', specs: { color: '绿', size: 'M' }, price: 100, listPrice: 50, weightGrams: 1 });
    c.specs.push({ key: 'color', values: ['x'] });
    c.attributes = { origin: '新疆' };
    const codes = contentIssues(c, { ...category, enabled: false }, new Set()).map((i) => `${i.path} ${i.code}`);
    expect(codes).toEqual([
      'categoryId category_disabled',
      'attributes.origin unknown_attribute',
      'specs.2.key duplicate_spec',
      'imageIds.0 unknown_image',
      'skus.0.specs sku_specs_mismatch',
      'skus.1.specs sku_specs_mismatch',
      'skus.2.code duplicate_sku_code',
      'skus.2.specs sku_specs_mismatch',
      'skus.2.listPrice list_price_below_price',
    ]);
    expect(submitIssues({ ...c, imageIds: [] }, category).map((i) => i.code)).toEqual(['missing_attribute', 'missing_image']);
  });
});

describe('planWrite', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  const stored = (status: ProductRow['status'] = 'on_sale') => {
    const plan = planWrite({ merchantId: 'mer_1', code: 'P1', content: content(), now }).plan!;
    const product = { ...plan.productInsert!, status, submittedHash: null } as ProductRow;
    const skus = plan.skuInserts.map((s) => ({ ...s, reserved: 0, removedAt: null }) as SkuRow);
    return { product, skus };
  };

  it('finds nothing to do for the same content, stock given or not', () => {
    const existing = stored();
    const same = planWrite({ merchantId: 'mer_1', code: 'P1', content: content(), existing, now }).plan!;
    expect(same).toMatchObject({ changed: false, material: false, skuInserts: [], skuUpdates: [], skuRemovals: [], stockSyncs: [] });
  });

  it('tells a price change (not material) from a title or SKU change (material)', () => {
    const existing = stored('off_shelf');
    const cheaper = content();
    cheaper.skus[0]!.price = 90;
    const price = planWrite({ merchantId: 'mer_1', code: 'P1', content: cheaper, existing, now }).plan!;
    expect(price).toMatchObject({ changed: true, material: false });
    expect(price.skuUpdates).toEqual([expect.objectContaining({ id: existing.skus[0]!.id, price: 90 })]);

    const renamed = planWrite({ merchantId: 'mer_1', code: 'P1', content: { ...content(), title: '新T恤' }, existing, now }).plan!;
    expect(renamed).toMatchObject({ changed: true, material: true, productSet: { title: '新T恤' } });
    expect(materialHash(renamed.content)).not.toBe(materialHash(content()));

    const fewer = { ...content(), skus: content().skus.slice(0, 1) };
    const removal = planWrite({ merchantId: 'mer_1', code: 'P1', content: fewer, existing, now }).plan!;
    expect(removal).toMatchObject({ material: true, skuRemovals: [existing.skus[1]!.id] });
  });

  describe('on sale: revisions', () => {
    const revision = (state: RevisionRow['state'], c: ProductContent) =>
      ({ id: 'rev_1', productId: 'prd_1', merchantId: 'mer_1', state, content: revisionContentOf(c), changes: { fields: [], priceMoves: [] } }) as unknown as RevisionRow;

    it('applies small price moves, weights and stock at once, without a revision', () => {
      const c = content();
      c.skus[0]!.price = 129; // +29%
      c.skus[0]!.onHand = 50;
      c.skus[1]!.weightGrams = 9;
      const { plan } = planWrite({ merchantId: 'mer_1', code: 'P1', content: c, existing: stored(), now });
      expect(plan).toMatchObject({ material: false, changed: true });
      expect(plan!.revision).toBeUndefined();
      expect(plan!.skuUpdates.map((u) => u.price)).toEqual([129, 120]);
      expect(plan!.stockSyncs).toEqual([expect.objectContaining({ target: 50 })]);
    });

    it('turns a content change or a price move over 30% into a revision; the rest applies at once', () => {
      const existing = stored();
      const c = content();
      c.title = '新T恤';
      c.skus[0]!.price = 131; // +31%: waits for review
      c.skus[0]!.onHand = 9; // applies now
      c.skus[1]!.price = 110; // -8%: applies now
      const { plan } = planWrite({ merchantId: 'mer_1', code: 'P1', content: c, existing, now });
      expect(plan!.productSet).toEqual({});
      expect(plan!.material).toBe(false);
      expect(plan!.skuUpdates.map((u) => [u.price, u.listPrice])).toEqual([[120 - 10, 150]]);
      expect(plan!.stockSyncs).toEqual([expect.objectContaining({ target: 9 })]);
      expect(plan!.revision).toMatchObject({ changes: { fields: ['title'], priceMoves: ['R-M'] }, content: { title: '新T恤' } });
      expect(plan!.revision!.content.skus[0]).toEqual({ code: 'R-M', specs: { color: '红', size: 'M' }, price: 131, listPrice: null, weightGrams: 1 });

      const onlyPrice = content();
      onlyPrice.skus[1]!.price = 60; // -50%
      expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: onlyPrice, existing, now }).plan!.revision!.changes).toEqual({ fields: [], priceMoves: ['B-L'] });
    });

    it('edits the pending revision: content changes are refused, the rest applies to both', () => {
      const proposed = { ...content(), title: '新T恤' };
      const existing = { ...stored(), revision: revision('pending', proposed) };
      expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: { ...proposed, title: '又改了' }, existing, now }).issues![0]!.code).toBe('revision_in_review');
      const big = { ...proposed, skus: proposed.skus.map((s, i) => (i === 0 ? { ...s, price: 300 } : s)) };
      expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: big, existing, now }).issues![0]!.code).toBe('revision_in_review');

      const restocked = { ...proposed, skus: proposed.skus.map((s, i) => (i === 1 ? { ...s, price: 115, onHand: 7 } : s)) };
      const { plan } = planWrite({ merchantId: 'mer_1', code: 'P1', content: restocked, existing, now });
      expect(plan!.skuUpdates.map((u) => u.price)).toEqual([115]);
      expect(plan!.stockSyncs).toEqual([expect.objectContaining({ target: 7 })]);
      expect(plan!.revision).toMatchObject({ pendingId: 'rev_1', content: { title: '新T恤' } });
      expect(plan!.revision!.content.skus[1]!.price).toBe(115);
    });

    it('refuses to propose a rejected revision again unchanged, and applies an approved one directly', () => {
      const proposed = { ...content(), title: '新T恤' };
      const existing = { ...stored(), revision: revision('rejected', proposed) };
      expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: proposed, existing, now }).issues![0]!.code).toBe('unchanged_since_rejection');
      expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: { ...proposed, title: '新T恤2' }, existing, now }).plan!.revision).toBeDefined();
      const applied = planWrite({ merchantId: 'mer_1', code: 'P1', content: proposed, existing, now, applyRevision: 'rev_1' }).plan!;
      expect(applied).toMatchObject({ material: true, productSet: { title: '新T恤' }, applyingRevision: 'rev_1' });
      expect(applied.revision).toBeUndefined();
    });
  });

  it('refuses stock below reservations, removing reserved SKUs and content changes under review', () => {
    const existing = stored('pending_review');
    existing.skus[0]!.reserved = 3;
    const low = content();
    low.skus[0]!.onHand = 2;
    low.skus.pop();
    low.title = '改';
    const codes = planWrite({ merchantId: 'mer_1', code: 'P1', content: low, existing, now }).issues!.map((i) => i.code);
    expect(codes).toEqual(['below_reserved', 'product_in_review']);
    existing.skus[1]!.reserved = 1;
    expect(planWrite({ merchantId: 'mer_1', code: 'P1', content: { ...content(), skus: content().skus.slice(0, 1) }, existing, now }).issues![0]!.code).toBe(
      'sku_reserved',
    );
  });
});

describe('descriptions', () => {
  it.each([
    '<script>alert(1)</script>',
    '<SCRIPT src="//evil.example/x.js"></SCRIPT>',
    '<img src=x onerror=alert(1)>',
    '<p onclick="steal()">点我</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<svg><animate onbegin=alert(1) /></svg>',
    '<img src="data:text/html;base64,PHNjcmlwdD4=">',
  ])('refuses %s', (html) => {
    expect(findUnsafeHtml(html).length).toBeGreaterThan(0);
    expect(() => sanitizeDescription(html)).toThrow(expect.objectContaining({ code: 'unsafe_html', status: 422 }));
  });

  it('keeps formatting, tables and https images, and drops styles and unknown tags', () => {
    expect(sanitizeDescription('<table><tr><td colspan="2" style="x">尺码</td></tr></table><img src="https://cdn.example/a.png" alt="图"><marquee>!</marquee>')).toBe(
      '<table><tr><td colspan="2">尺码</td></tr></table><img src="https://cdn.example/a.png" alt="图" />!',
    );
    expect(sanitizeDescription('&lt;script&gt; 是文字')).toBe('&lt;script&gt; 是文字');
  });
});
