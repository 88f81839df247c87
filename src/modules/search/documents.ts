/** A product as the catalog has it → the search document a shopper's queries run on. Pure. */
import type { FeedProduct } from '../catalog/index.js';
import type { DocumentCard } from './schema.js';
import { htmlText, normalizeText, tsvectorLiteral } from './text.js';

export type CategoryInfo = {
  id: string;
  nameZh: string;
  nameEn: string;
  /** Root first, this category last. */
  path: { id: string; nameZh: string; nameEn: string }[];
  attributes: { key: string; nameZh: string; nameEn: string; kind: 'spec' | 'attr' }[];
};

export type StoreInfo = { name: string; active: boolean };

export type DocumentRow = {
  productId: string;
  merchantId: string;
  categoryId: string;
  categoryIds: string[];
  title: string;
  titleNorm: string;
  terms: string;
  priceMin: number;
  priceMax: number;
  inStock: boolean;
  unitsSold: number;
  popularity: number;
  facets: string[];
  card: DocumentCard;
  listedAt: Date;
};

/** Descriptions are long; the first part carries what matters for matching. */
const DESCRIPTION_CHARS = 4000;
const POPULARITY_STOCK_BIT = 2 ** 40;

/** The numbers orders change, and the popularity sort key made of them: in stock first, then by units sold. */
export function salesNumbers(inStock: boolean, unitsSold: number): Pick<DocumentRow, 'inStock' | 'unitsSold' | 'popularity'> {
  const sold = Math.max(0, Math.min(unitsSold, POPULARITY_STOCK_BIT - 1));
  return { inStock, unitsSold: sold, popularity: (inStock ? POPULARITY_STOCK_BIT : 0) + sold };
}

/** Who may see a product: on sale, in an active store. */
export function isVisible(product: FeedProduct, store: StoreInfo | undefined): boolean {
  return product.status === 'on_sale' && store?.active === true;
}

/** `key=value` facet tokens; values are NFKC-normalized so filters match regardless of width. */
export const facetToken = (key: string, value: string) => `${key}=${value.normalize('NFKC').trim()}`;

export function buildDocument(product: FeedProduct, context: { category: CategoryInfo | undefined; store: StoreInfo; unitsSold: number }): DocumentRow {
  const { category, store } = context;
  const specValues = product.specs.flatMap((d) => d.values);
  const attributeValues = Object.values(product.attributes);
  const categoryNames = (category?.path ?? []).flatMap((c) => [c.nameZh, c.nameEn]);
  const facets = new Set<string>();
  for (const d of product.specs) for (const v of d.values) facets.add(facetToken(d.key, v));
  for (const [key, value] of Object.entries(product.attributes)) facets.add(facetToken(key, value));
  const listPrices = product.skus.map((s) => s.listPrice).filter((p): p is number => p !== null);
  return {
    productId: product.id,
    merchantId: product.merchantId,
    categoryId: product.categoryId,
    categoryIds: category ? category.path.map((c) => c.id) : [product.categoryId],
    title: product.title,
    titleNorm: normalizeText(product.title),
    terms: tsvectorLiteral([
      { text: product.title, weight: 'A' },
      { text: [product.brand, ...categoryNames].join(' '), weight: 'B' },
      { text: [product.subtitle, ...specValues, ...attributeValues].join(' '), weight: 'C' },
      { text: htmlText(product.description).slice(0, DESCRIPTION_CHARS), weight: 'D' },
    ]),
    priceMin: product.priceMin,
    priceMax: product.priceMax,
    ...salesNumbers(product.skus.some((s) => s.available > 0), context.unitsSold),
    facets: [...facets],
    card: {
      subtitle: product.subtitle,
      brand: product.brand,
      storeName: store.name,
      image: product.mainImage,
      listPrice: listPrices.length > 0 ? Math.max(...listPrices) : null,
    },
    listedAt: product.reviewedAt ?? product.createdAt,
  };
}
