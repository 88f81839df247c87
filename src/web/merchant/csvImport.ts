// CSV import of products, pure: parse the file, group its rows (one per SKU) into bulk upsert
// products, and tie the server's answers back to row numbers. See docs/decisions/005-csv-import.md.
import type { CategoryNode, Issue } from '../shared/catalog';
import { flattenTree } from '../shared/catalog';
import { yuanToFen } from '../shared/money';

/** Columns of the template, in order. Product columns repeat (or stay blank) on a product's later rows. */
export const CSV_COLUMNS = [
  'product_code',
  'title',
  'subtitle',
  'brand',
  'category',
  'attributes',
  'image_ids',
  'description',
  'sku_code',
  'sku_specs',
  'price',
  'list_price',
  'stock',
  'weight_g',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const PRODUCT_COLUMNS: readonly Column[] = ['title', 'subtitle', 'brand', 'category', 'attributes', 'image_ids', 'description'];
const REQUIRED: readonly Column[] = ['product_code', 'sku_code', 'price', 'weight_g'];

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; a leading BOM is dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

export function toCsv(rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  // With a BOM, Excel opens UTF-8 Chinese text correctly.
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** `key=value;key=value` → an object; null when a part has no `=`. */
function pairs(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(/[;；]/)) {
    if (!part.trim()) continue;
    const at = part.search(/[=＝]/);
    if (at <= 0) return null;
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

export type RowError = { column: Column | null; code: string; detail?: string };

/** A product built from CSV rows, with where each of its SKUs came from. */
export interface ImportProduct {
  code: string;
  /** 1-based line numbers in the file (the header is line 1). */
  lines: number[];
  /** The line of each SKU, by index in `payload.skus`. */
  skuLines: number[];
  payload: Record<string, unknown> & { skus: Record<string, unknown>[] };
}

export interface ParsedImport {
  products: ImportProduct[];
  /** Problems found before sending, by line. Rows with problems are not sent; nor is their product. */
  errors: Map<number, RowError[]>;
  /** The file's header is wrong: the columns it lacks. */
  missingColumns: Column[];
  rowCount: number;
}

/** Resolves a category cell: a `cat_…` id, or a path of names such as `服装 / 上衣 / T恤`. */
export function categoryResolver(tree: CategoryNode[]): (cell: string) => string | undefined {
  const byPath = new Map<string, string>();
  const norm = (s: string) => s.trim().toLowerCase();
  for (const { node, path } of flattenTree(tree)) {
    byPath.set(path.map((n) => norm(n.nameZh)).join('/'), node.id);
    byPath.set(path.map((n) => norm(n.nameEn)).join('/'), node.id);
  }
  return (cell) => {
    const value = cell.trim();
    if (/^cat_[0-9A-Z]{26}$/.test(value)) return value;
    return byPath.get(value.split(/\s*[/>›]\s*/).map(norm).join('/'));
  };
}

/**
 * One product per `product_code`, in the order codes first appear; one SKU per row. Product
 * columns are read from the product's first row; a later row may leave them blank or repeat
 * them, but a different value is an error on that row (the file contradicts itself).
 */
export function buildImport(table: string[][], resolveCategory: (cell: string) => string | undefined): ParsedImport {
  const [header = [], ...body] = table;
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missingColumns = CSV_COLUMNS.filter((c) => (REQUIRED.includes(c) || c === 'title' || c === 'category') && !index.has(c));
  const errors = new Map<number, RowError[]>();
  if (missingColumns.length > 0) return { products: [], errors, missingColumns, rowCount: body.length };

  const fail = (line: number, error: RowError) => errors.set(line, [...(errors.get(line) ?? []), error]);
  const byCode = new Map<string, { product: ImportProduct; first: Record<Column, string>; dims: Map<string, string[]> }>();

  body.forEach((cells, i) => {
    const line = i + 2;
    const get = (c: Column) => (index.has(c) ? (cells[index.get(c)!] ?? '').trim() : '');
    const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, get(c)])) as Record<Column, string>;
    for (const c of REQUIRED) if (!row[c]) fail(line, { column: c, code: 'required' });

    const price = yuanToFen(row.price);
    if (row.price && (price === null || price < 1)) fail(line, { column: 'price', code: 'money' });
    const listPrice = row.list_price ? yuanToFen(row.list_price) : null;
    if (row.list_price && listPrice === null) fail(line, { column: 'list_price', code: 'money' });
    const stock = row.stock ? Number(row.stock) : undefined;
    if (stock !== undefined && !(Number.isInteger(stock) && stock >= 0)) fail(line, { column: 'stock', code: 'integer' });
    const weight = Number(row.weight_g);
    if (row.weight_g && !(Number.isInteger(weight) && weight >= 0)) fail(line, { column: 'weight_g', code: 'integer' });
    const specs = pairs(row.sku_specs);
    if (!specs) fail(line, { column: 'sku_specs', code: 'pairs' });

    const code = row.product_code;
    if (!code) return;
    let entry = byCode.get(code);
    if (!entry) {
      if (!row.title) fail(line, { column: 'title', code: 'required' });
      const categoryId = row.category ? resolveCategory(row.category) : undefined;
      if (!row.category) fail(line, { column: 'category', code: 'required' });
      else if (!categoryId) fail(line, { column: 'category', code: 'category', detail: row.category });
      const attributes = pairs(row.attributes);
      if (!attributes) fail(line, { column: 'attributes', code: 'pairs' });
      const payload = {
        code,
        title: row.title,
        ...(row.subtitle ? { subtitle: row.subtitle } : {}),
        ...(row.brand ? { brand: row.brand } : {}),
        ...(row.description ? { description: row.description } : {}),
        categoryId: categoryId ?? '',
        attributes: attributes ?? {},
        imageIds: row.image_ids.split(/[;；\s]+/).filter(Boolean),
        specs: [] as { key: string; values: string[] }[],
        skus: [] as Record<string, unknown>[],
      };
      entry = { product: { code, lines: [], skuLines: [], payload }, first: row, dims: new Map() };
      byCode.set(code, entry);
    } else {
      for (const c of PRODUCT_COLUMNS) {
        if (row[c] && row[c] !== entry.first[c]) fail(line, { column: c, code: 'conflict', detail: entry.first[c] });
      }
    }
    const { product, dims } = entry;
    product.lines.push(line);
    for (const [key, value] of Object.entries(specs ?? {})) {
      const values = dims.get(key) ?? [];
      if (!values.includes(value)) values.push(value);
      dims.set(key, values);
    }
    product.payload.specs = [...dims].map(([key, values]) => ({ key, values }));
    product.skuLines.push(line);
    product.payload.skus.push({
      code: row.sku_code,
      specs: specs ?? {},
      price: price ?? 0,
      listPrice,
      weightGrams: row.weight_g ? weight : 0,
      ...(stock !== undefined ? { onHand: stock } : {}),
    });
  });

  // A product with a bad row is held back whole: sending it without that SKU would remove the SKU.
  const products = [...byCode.values()].map((e) => e.product).filter((p) => !p.lines.some((l) => errors.has(l)));
  for (const { product } of byCode.values()) {
    const bad = product.lines.filter((l) => errors.has(l));
    if (bad.length === 0) continue;
    for (const l of product.lines) if (!errors.has(l)) fail(l, { column: null, code: 'held', detail: bad.join(', ') });
  }
  return { products, errors, missingColumns, rowCount: body.length };
}

/** The lines of a product that a server issue is about: one SKU's line, else all of them. */
export function linesOfIssue(product: ImportProduct, issue: Issue): number[] {
  const match = /^skus\.(\d+)/.exec(issue.path);
  const line = match ? product.skuLines[Number(match[1])] : undefined;
  return line !== undefined ? [line] : product.lines;
}

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export interface TemplateExample {
  /** A leaf category's path, as the file names it. */
  category: string;
  /** Up to 2 of its spec dimensions with 2 values each. */
  specs: { key: string; values: string[] }[];
  /** `key=value;…` for its attributes. */
  attributes: string;
}

/** The template: one product whose SKUs cover the example's spec values, one row each. */
export function templateCsv(example: TemplateExample): string {
  const combos = example.specs.reduce<string[][]>(
    (acc, dim) => acc.flatMap((combo) => dim.values.map((v) => [...combo, `${dim.key}=${v}`])),
    [[]],
  );
  const product = ['DEMO-001', '纯棉圆领短袖T恤', '新疆长绒棉，透气不变形', '棉舍', example.category, example.attributes, '', '<p>200g 精梳棉</p>'];
  const rows = combos.map((combo, i) => [
    ...(i === 0 ? product : ['DEMO-001', ...product.slice(1).map(() => '')]),
    `DEMO-001-${String(i + 1).padStart(2, '0')}`,
    combo.join(';'),
    '79.00',
    i % 2 === 0 ? '99.00' : '',
    String(100 - i * 20),
    '220',
  ]);
  return toCsv([[...CSV_COLUMNS], ...rows]);
}
