/**
 * Product content, pure: normalizing input, checking it against its category, comparing versions.
 * No database, no HTTP; create, update and bulk upsert all go through here.
 */
import { createHash } from 'node:crypto';
import { AppError, unprocessable } from '../../platform/errors.js';
import type { Issue } from './contract.js';
import { sanitizeDescription } from './html.js';
import type { AttributeDefinition, RevisionContent } from './schema.js';

export type SkuContent = {
  code: string;
  specs: Record<string, string>;
  price: number;
  listPrice: number | null;
  weightGrams: number;
  /** Absent: leave the stock as it is (or 0 for a new SKU). */
  onHand?: number;
};

export type ProductContent = {
  title: string;
  subtitle: string;
  description: string;
  brand: string;
  categoryId: string;
  attributes: Record<string, string>;
  specs: { key: string; values: string[] }[];
  imageIds: string[];
  skus: SkuContent[];
};

export type CategoryFacts = { id: string; enabled: boolean; isLeaf: boolean; attributes: AttributeDefinition[] };

type ContentInput = {
  title: string;
  subtitle?: string;
  description?: string;
  brand?: string;
  categoryId: string;
  attributes?: Record<string, string>;
  specs?: { key: string; values: string[] }[];
  imageIds?: string[];
  skus: { code: string; specs?: Record<string, string>; price: number; listPrice?: number | null; weightGrams: number; onHand?: number }[];
};

/** Fills defaults and sanitizes the description (throws 422 `unsafe_html`). */
export function normalizeContent(input: ContentInput): ProductContent {
  return {
    title: input.title,
    subtitle: input.subtitle ?? '',
    description: input.description ? sanitizeDescription(input.description) : '',
    brand: input.brand ?? '',
    categoryId: input.categoryId,
    attributes: input.attributes ?? {},
    specs: input.specs ?? [],
    imageIds: input.imageIds ?? [],
    skus: normalizeSkus(input.skus),
  };
}

export function normalizeSkus(skus: ContentInput['skus']): SkuContent[] {
  return skus.map((s) => ({
    code: s.code,
    specs: s.specs ?? {},
    price: s.price,
    listPrice: s.listPrice ?? null,
    weightGrams: s.weightGrams,
    ...(s.onHand === undefined ? {} : { onHand: s.onHand }),
  }));
}

/**
 * Everything that makes content unfit to store, whatever the product's state: the category must
 * be an enabled leaf, attributes and spec dimensions must be the category's, SKUs must cover
 * distinct combinations of the dimensions' values with distinct codes, images must be the store's.
 */
export function contentIssues(content: ProductContent, category: CategoryFacts | undefined, ownImageIds: ReadonlySet<string>): Issue[] {
  const issues: Issue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path, code, message });

  if (!category) add('categoryId', 'category_not_found', 'No such category');
  else {
    if (!category.isLeaf) add('categoryId', 'category_not_leaf', 'Products attach to leaf categories only');
    if (!category.enabled) add('categoryId', 'category_disabled', 'This category is disabled');
  }
  const defs = new Map((category?.attributes ?? []).map((d) => [d.key, d]));

  for (const [key, value] of Object.entries(content.attributes)) {
    const def = defs.get(key);
    if (!def || def.kind !== 'attr') add(`attributes.${key}`, 'unknown_attribute', `The category has no attribute ${key}`);
    else if (def.options && !def.options.includes(value)) add(`attributes.${key}`, 'invalid_option', `${key} must be one of ${def.options.join(', ')}`);
  }

  const dimensionKeys = new Set<string>();
  content.specs.forEach((dim, i) => {
    const def = defs.get(dim.key);
    if (dimensionKeys.has(dim.key)) add(`specs.${i}.key`, 'duplicate_spec', `Spec ${dim.key} appears twice`);
    dimensionKeys.add(dim.key);
    if (!def || def.kind !== 'spec') add(`specs.${i}.key`, 'unknown_spec', `The category has no spec dimension ${dim.key}`);
    else if (def.options) {
      for (const v of dim.values) if (!def.options.includes(v)) add(`specs.${i}.values`, 'invalid_option', `${v} is not an option of ${dim.key}`);
    }
  });

  const seenImages = new Set<string>();
  content.imageIds.forEach((imageId, i) => {
    if (seenImages.has(imageId)) add(`imageIds.${i}`, 'duplicate_image', 'The same image appears twice');
    seenImages.add(imageId);
    if (!ownImageIds.has(imageId)) add(`imageIds.${i}`, 'unknown_image', 'No such image in this store');
  });

  const codes = new Set<string>();
  const combinations = new Set<string>();
  content.skus.forEach((sku, i) => {
    if (codes.has(sku.code)) add(`skus.${i}.code`, 'duplicate_sku_code', `SKU code ${sku.code} appears twice`);
    codes.add(sku.code);
    const keys = Object.keys(sku.specs);
    if (keys.length !== content.specs.length || keys.some((k) => !dimensionKeys.has(k))) {
      add(`skus.${i}.specs`, 'sku_specs_mismatch', `Give one value for each spec dimension (${[...dimensionKeys].join(', ') || 'none'})`);
    } else {
      for (const dim of content.specs) {
        if (!dim.values.includes(sku.specs[dim.key]!)) add(`skus.${i}.specs.${dim.key}`, 'unknown_spec_value', `${sku.specs[dim.key]} is not a value of ${dim.key}`);
      }
      const combination = combinationKey(content.specs, sku.specs);
      if (combinations.has(combination)) add(`skus.${i}.specs`, 'duplicate_spec_combination', 'Two SKUs have the same spec values');
      combinations.add(combination);
    }
    if (sku.listPrice !== null && sku.listPrice < sku.price) add(`skus.${i}.listPrice`, 'list_price_below_price', 'The list price cannot be below the price');
  });
  return issues;
}

/** What a product needs before review: its required attributes and a main image. */
export function submitIssues(content: ProductContent, category: CategoryFacts | undefined): Issue[] {
  const issues: Issue[] = [];
  for (const def of category?.attributes ?? []) {
    if (def.kind === 'attr' && def.required && !content.attributes[def.key]) {
      issues.push({ path: `attributes.${def.key}`, code: 'missing_attribute', message: `${def.nameZh} (${def.nameEn}) is required` });
    }
  }
  if (content.imageIds.length === 0) issues.push({ path: 'imageIds', code: 'missing_image', message: 'A product needs at least a main image' });
  return issues;
}

export const invalidProduct = (issues: Issue[]) =>
  unprocessable('invalid_product', `The product has ${issues.length} problem${issues.length === 1 ? '' : 's'}`, { issues });

export const notSubmittable = (issues: Issue[]) =>
  unprocessable('not_submittable', 'The product is not ready for review', { issues });

/** Turns a thrown 422 (e.g. `unsafe_html`) into issues, for answers item by item. */
export function issuesOf(err: unknown): Issue[] | undefined {
  if (!(err instanceof AppError) || err.status !== 422) return undefined;
  const details = err.details as { issues?: Issue[] } | undefined;
  return details?.issues ?? [{ path: err.code === 'unsafe_html' ? 'description' : '', code: err.code, message: err.message }];
}

function combinationKey(dims: { key: string }[], specs: Record<string, string>): string {
  return JSON.stringify(dims.map((d) => specs[d.key]));
}

/**
 * The part of a product a reviewer judges. Prices, weights, stock, SKU order and the product code
 * are not material: changing them never sends a product back to review.
 */
export function materialOf(content: ProductContent) {
  return {
    title: content.title,
    subtitle: content.subtitle,
    description: content.description,
    brand: content.brand,
    categoryId: content.categoryId,
    attributes: content.attributes,
    specs: content.specs,
    imageIds: content.imageIds,
    skus: content.skus.map((s) => ({ code: s.code, specs: s.specs })).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}

export function materialHash(content: ProductContent): string {
  return createHash('sha256').update(stableJson(materialOf(content))).digest('base64url');
}

/** Content without stock, for comparing what is stored with what is asked. */
export function withoutStock(content: ProductContent): ProductContent {
  return { ...content, skus: content.skus.map(({ onHand: _onHand, ...rest }) => rest) };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/** JSON with object keys sorted (jsonb does not keep key order), arrays in order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Content as a revision keeps it: without stock. */
export function revisionContentOf(content: ProductContent): RevisionContent {
  return { ...content, skus: content.skus.map(({ onHand: _onHand, ...rest }) => rest) };
}

/** The material fields that differ between two versions (`skus` when SKUs or their spec values differ). */
export function changedFields(before: ProductContent, after: ProductContent): string[] {
  const a = materialOf(before);
  const b = materialOf(after);
  return (Object.keys(a) as (keyof typeof a)[]).filter((k) => !sameJson(a[k], b[k]));
}

/** Codes of SKUs in both versions whose price moves by more than `share` of the earlier price. */
export function largePriceMoves(before: ProductContent, after: ProductContent, share: number): string[] {
  const old = new Map(before.skus.map((s) => [s.code, s.price]));
  return after.skus.filter((s) => old.has(s.code) && Math.abs(s.price - old.get(s.code)!) > share * old.get(s.code)!).map((s) => s.code);
}

/**
 * What of `target` applies to the live product at once while the rest waits for review: for SKUs
 * the live product has, stock, weights and the prices not in `deferred` (with their list prices).
 * Everything else stays as it is live.
 */
export function immediatePart(live: ProductContent, target: ProductContent, deferred: readonly string[]): ProductContent {
  const wanted = new Map(target.skus.map((s) => [s.code, s]));
  const later = new Set(deferred);
  return {
    ...live,
    skus: live.skus.map((sku) => {
      const next = wanted.get(sku.code);
      if (!next) return sku;
      const priced = later.has(sku.code) ? { price: sku.price, listPrice: sku.listPrice } : { price: next.price, listPrice: next.listPrice };
      return { ...sku, ...priced, weightGrams: next.weightGrams, ...(next.onHand === undefined ? {} : { onHand: next.onHand }) };
    }),
  };
}
