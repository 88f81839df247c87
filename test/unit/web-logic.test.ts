/** The web app's pure pieces that handle money and merchants' files. */
import { describe, expect, it } from 'vitest';
import { buildImport, parseCsv, toCsv } from '../../src/web/merchant/csvImport.js';
import { fenToYuan, formatFenRange, yuanToFen } from '../../src/web/shared/money.js';

describe('yuan ↔ fen', () => {
  it('converts typed yuan to integer fen exactly, without float rounding', () => {
    expect(yuanToFen('12.3')).toBe(1230);
    expect(yuanToFen('0.07')).toBe(7);
    expect(yuanToFen(' 19.99 ')).toBe(1999);
    expect(yuanToFen('1.005')).toBeNull();
    expect(yuanToFen('-1')).toBeNull();
    expect(yuanToFen('abc')).toBeNull();
    expect(yuanToFen('')).toBeNull();
    // 0.1 + 0.2 in floats is 0.30000000000000004; typed as text it is 30 fen.
    expect(yuanToFen('0.30')).toBe(30);
  });

  it('shows fen as yuan and ranges', () => {
    expect(fenToYuan(7990)).toBe('79.90');
    expect(fenToYuan(5)).toBe('0.05');
    expect(formatFenRange(7900, 7900)).toBe('¥79.00');
    expect(formatFenRange(7900, 9900)).toBe('¥79.00 - ¥99.00');
    for (const fen of [0, 1, 99, 100, 12_345, 99_999_999]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
  });
});

describe('CSV import', () => {
  it('parses quoted fields with commas, quotes and line breaks, and round-trips', () => {
    const rows = [
      ['product_code', 'title', 'description'],
      ['TEE-1', '纯棉T恤, 白色', '<p>说 "好"</p>\n第二行'],
    ];
    expect(parseCsv(toCsv(rows))).toEqual(rows);
  });

  it('groups rows into products by code and reports a bad row against its line, holding its product back', () => {
    const csv = [
      'product_code,title,category,attributes,sku_code,sku_specs,price,list_price,stock,weight_g',
      'TEE-1,纯棉T恤,服装/上衣/T恤,material=棉,TEE-1-M,color=白色;size=M,79.9,,10,220',
      'TEE-1,,,,TEE-1-L,color=白色;size=L,79.9,,5,230',
      'CUP-1,马克杯,cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F,,CUP-1-A,,twelve,,1,300',
      'CUP-1,马克杯,cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F,,CUP-1-B,,12,,1,300',
    ].join('\n');
    const resolve = (cell: string) => (cell === '服装/上衣/T恤' ? 'cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3G' : cell.startsWith('cat_') ? cell : undefined);
    const result = buildImport(parseCsv(csv), resolve);
    expect(result.products.map((p) => p.code)).toEqual(['TEE-1']);
    const tee = result.products[0]!.payload;
    expect(tee.categoryId).toBe('cat_01JZ8Q3W5X6Y7Z8A9B0C1D2E3G');
    expect(tee.specs).toEqual([
      { key: 'color', values: ['白色'] },
      { key: 'size', values: ['M', 'L'] },
    ]);
    expect(tee.skus.map((s) => [s.code, s.price, s.onHand])).toEqual([
      ['TEE-1-M', 7990, 10],
      ['TEE-1-L', 7990, 5],
    ]);
    expect(result.errors.get(4)).toEqual([{ column: 'price', code: 'money' }]);
    expect(result.errors.get(5)?.[0]).toMatchObject({ code: 'held' });
  });

  it('names missing columns instead of guessing', () => {
    const result = buildImport(parseCsv('title,price\nx,1'), () => undefined);
    expect(result.missingColumns).toEqual(expect.arrayContaining(['product_code', 'sku_code', 'category']));
    expect(result.products).toEqual([]);
  });
});
