// Pure parts of search: terms, the tsvector literal, query texts, corrections, highlights, the cursor
// of the flow-log consumer, event routing and the read cache.
import { describe, expect, it } from 'vitest';
import { readCache } from './cache.js';
import { affectedBy, nextCursor } from './indexer.js';
import { correctedQuery, correction, highlightRanges, queryTexts, resolveWords } from './query.js';
import { editDistance, htmlText, singular, tsvectorLiteral, words } from './text.js';

describe('terms', () => {
  it('folds English plurals to the singular and leaves other words alone', () => {
    expect(['shoes', 'batteries', 'watches', 'dresses', 'glasses', 'cases', 'bus', 'iris', 'tee', 'headphones'].map(singular)).toEqual([
      'shoe', 'battery', 'watch', 'dress', 'glass', 'case', 'bus', 'iris', 'tee', 'headphone',
    ]);
  });

  it('segments Chinese with its search-mode parts and splits letters from digits', () => {
    const list = words('苹果iPhone15 Pro 连衣裙');
    expect(list.map((w) => w.text)).toEqual(['苹果', 'iphone', '15', 'pro', '连衣裙']);
    expect(list[4]!.parts).toEqual(expect.arrayContaining(['连衣', '衣裙', '连衣裙']));
  });

  it('normalizes full-width characters and case', () => {
    expect(words('ＩＰＨＯＮＥ　１５').map((w) => w.text)).toEqual(['iphone', '15']);
  });

  it('lays out weighted fields with positions and quotes lexemes', () => {
    expect(tsvectorLiteral([{ text: "it's 手机壳", weight: 'A' }, { text: 'cases', weight: 'C' }])).toBe("'it':1A 's':2A '手机':3A '壳':4A 'case':15C");
  });

  it('strips HTML to text', () => {
    expect(htmlText('<p>200g <strong>精梳棉</strong>&amp;更多</p>')).toBe('200g 精梳棉 &更多');
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('iphnoe', 'iphone')).toBe(1);
    expect(editDistance('macbok', 'macbook')).toBe(1);
    expect(editDistance('abc', 'xyz', 2)).toBe(3);
  });
});

describe('queries', () => {
  const facts = {
    known: new Set(['iphone', '15', '手机', '壳', 'case']),
    withPrefix: new Map([['headph', true], ['iphnoe', false]]),
    nearest: new Map([['iphnoe', [{ term: 'iphone', docs: 9 }, { term: 'phone', docs: 30 }]]]),
  };

  it('builds strict, title, phrase and loose texts', () => {
    const texts = queryTexts(resolveWords(words('iPhone 15 手机壳'), facts))!;
    expect(texts.strict).toBe("'iphone' & '15' & '手机' & '壳'");
    expect(texts.title).toBe("'iphone':A & '15':A & '手机':A & '壳':A");
    expect(texts.phrase).toBe("'iphone' <-> '15' <-> '手机' <-> '壳'");
    expect(texts.loose).toBe("'iphone' | '15' | '手机' | '壳'");
  });

  it('expands partial words as prefixes and corrects typos to the nearest known term', () => {
    const resolved = resolveWords(words('headph iphnoe'), facts);
    expect(queryTexts(resolved)!.strict).toBe("'headph':* & 'iphone'");
    expect(correctedQuery(resolved)).toBe('headph iphone');
    expect(correction('iphnoe', [{ term: 'laptop', docs: 30 }])).toBeUndefined();
  });

  it('highlights words, merged and case-insensitive', () => {
    expect(highlightRanges('适用iPhone 15手机壳', ['iphone', '15', '手机', '壳'])).toEqual([[2, 8], [9, 14]]);
  });
});

describe('flow-log consumer', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it('remembers holes below the newest event and forgets them once seen or after a minute', () => {
    const first = nextCursor(10, [], [11, 14], now);
    expect(first).toEqual({ lastSeq: 14, gaps: [{ seq: 12, since: now.toISOString() }, { seq: 13, since: now.toISOString() }] });
    const second = nextCursor(14, first.gaps, [12], new Date(now.getTime() + 1000));
    expect(second.gaps.map((g) => g.seq)).toEqual([13]);
    expect(nextCursor(14, second.gaps, [], new Date(now.getTime() + 61_000)).gaps).toEqual([]);
  });

  it('routes events to products, stores, categories, SKUs and orders', () => {
    const affected = affectedBy([
      { seq: 1, type: 'product.approve', objectType: 'product', objectId: 'prd_1', related: [{ type: 'merchant', id: 'mer_1' }] },
      { seq: 2, type: 'merchant.suspend', objectType: 'merchant', objectId: 'mer_2', related: [] },
      { seq: 3, type: 'merchant.set_order_rules', objectType: 'merchant', objectId: 'mer_3', related: [] },
      // An order's SKUs are reached through the order (numbers only), not as SKUs to rebuild.
      { seq: 4, type: 'order.place', objectType: 'order', objectId: 'ord_1', related: [{ type: 'sku', id: 'sku_1' }] },
      { seq: 5, type: 'category.updated', objectType: 'category', objectId: 'cat_1', related: [] },
      // A cart line names its SKU and product, but adding it changes neither.
      { seq: 6, type: 'cart.add_item', objectType: 'cart', objectId: 'cart_1', related: [{ type: 'sku', id: 'sku_2' }, { type: 'product', id: 'prd_2' }] },
      { seq: 7, type: 'aftersales.approve_return', objectType: 'aftersales', objectId: 'afs_1', related: [{ type: 'order', id: 'ord_2' }, { type: 'sku', id: 'sku_3' }] },
    ]);
    expect([...affected.productIds]).toEqual(['prd_1']);
    expect([...affected.merchantIds]).toEqual(['mer_2']);
    expect([...affected.skuIds]).toEqual(['sku_3']);
    expect([...affected.orderIds]).toEqual(['ord_1']);
    expect([...affected.categoryIds]).toEqual(['cat_1']);
  });
});

describe('read cache', () => {
  it('shares a load, answers once stale while reloading, and forgets everything on clear', async () => {
    let clock = 0;
    let loads = 0;
    const cache = readCache<number>({ max: 2, ttlMs: 100, now: () => clock });
    const load = async () => ++loads;
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    clock = 150;
    expect(await cache.get('a', load)).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('a', load)).toBe(2);
    cache.clear();
    expect(await cache.get('a', load)).toBe(3);
    await cache.get('b', load);
    await cache.get('c', load);
    expect(cache.size).toBe(2);
  });
});
