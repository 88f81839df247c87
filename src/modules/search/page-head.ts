/**
 * The `<head>` the server puts into the app's HTML for product, category and store pages, so a
 * crawler or a link preview reads the title, description, Open Graph tags and (for products)
 * Product JSON-LD without running the app. Pure builders plus a resolver by URL.
 */
import type { PageHead } from '../../platform/http.js';
import { htmlText } from './text.js';

export type ProductFacts = {
  id: string;
  title: string;
  subtitle: string;
  description: string;
  brand: string;
  images: { url: string }[];
  priceMin: number;
  priceMax: number;
  skus: { available: number }[];
  category: { path: { nameZh: string }[] };
};

const BRAND = 'Flowmart';
const attr = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (fen: number) => (fen / 100).toFixed(2);
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const absolute = (origin: string, url: string) => (/^https?:\/\//.test(url) ? url : `${origin}${url.startsWith('/') ? '' : '/'}${url}`);

/** JSON for a `<script>` element: `<` escaped so no text can close the element. */
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function tags(meta: { description: string; url: string; type: string; title: string; image?: string }, extra = ''): string {
  return [
    `<meta name="description" content="${attr(meta.description)}" />`,
    `<link rel="canonical" href="${attr(meta.url)}" />`,
    `<meta property="og:site_name" content="${BRAND}" />`,
    `<meta property="og:type" content="${meta.type}" />`,
    `<meta property="og:title" content="${attr(meta.title)}" />`,
    `<meta property="og:description" content="${attr(meta.description)}" />`,
    `<meta property="og:url" content="${attr(meta.url)}" />`,
    ...(meta.image ? [`<meta property="og:image" content="${attr(meta.image)}" />`, `<meta name="twitter:card" content="summary_large_image" />`] : []),
    extra,
  ]
    .filter(Boolean)
    .map((t) => `  ${t}`)
    .join('\n');
}

export function productHead(p: ProductFacts, origin: string): PageHead {
  const url = `${origin}/p/${p.id}`;
  const text = htmlText(p.description);
  const description = clip([p.subtitle, text].filter(Boolean).join(' · ') || p.title, 160);
  const images = p.images.map((i) => absolute(origin, i.url));
  const inStock = p.skus.some((s) => s.available > 0);
  const availability = inStock ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock';
  const offers =
    p.priceMin === p.priceMax
      ? { '@type': 'Offer', url, priceCurrency: 'CNY', price: yuan(p.priceMin), availability }
      : { '@type': 'AggregateOffer', url, priceCurrency: 'CNY', lowPrice: yuan(p.priceMin), highPrice: yuan(p.priceMax), offerCount: p.skus.length, availability };
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.title,
    ...(images.length ? { image: images } : {}),
    description: clip(text || p.subtitle || p.title, 500),
    ...(p.brand ? { brand: { '@type': 'Brand', name: p.brand } } : {}),
    sku: p.id,
    ...(p.category.path.length ? { category: p.category.path.map((c) => c.nameZh).join(' > ') } : {}),
    offers,
  };
  return {
    title: `${p.title} - ${BRAND}`,
    tags: tags(
      { description, url, type: 'product', title: p.title, image: images[0] },
      [
        `<meta property="product:price:amount" content="${yuan(p.priceMin)}" />`,
        `<meta property="product:price:currency" content="CNY" />`,
        `<script type="application/ld+json">${scriptJson(jsonLd)}</script>`,
      ].join('\n  '),
    ),
  };
}

export function categoryHead(c: { id: string; nameZh: string; nameEn: string; path: string[]; count: number; image?: string }, origin: string): PageHead {
  const url = `${origin}/c/${c.id}`;
  const description = `${c.path.join(' › ')}：${c.count} 件在售商品 · ${c.nameEn} on ${BRAND}`;
  return { title: `${c.nameZh} - ${BRAND}`, tags: tags({ description, url, type: 'website', title: c.nameZh, image: c.image && absolute(origin, c.image) }) };
}

export function storeHead(s: { id: string; name: string; description: string; logoUrl: string | null; productCount: number }, origin: string): PageHead {
  const url = `${origin}/s/${s.id}`;
  const description = clip(s.description ? `${s.description} · ${s.productCount} 件在售商品` : `${s.name}：${s.productCount} 件在售商品`, 160);
  return { title: `${s.name} - ${BRAND}`, tags: tags({ description, url, type: 'website', title: s.name, image: s.logoUrl ? absolute(origin, s.logoUrl) : undefined }) };
}
