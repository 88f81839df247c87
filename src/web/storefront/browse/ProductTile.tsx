import { ShopOutlined } from '@ant-design/icons';
import { Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatFen, formatFenRange } from '../../shared/money';
import type { ProductCard } from './api';
import './storefront.css';

/** The title with the matched ranges marked. */
export function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] }) {
  if (ranges.length === 0) return <>{text}</>;
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}

/** A product in a grid: main image, title, price or price range, units sold, store. */
export function ProductTile({ product }: { product: ProductCard }) {
  const { t } = useTranslation();
  return (
    <Link to={`/p/${product.id}`} className="fm-tile" data-testid="product-tile">
      <div className="fm-tile-image">
        {product.image ? <img src={product.image.smallUrl} alt={product.title} loading="lazy" width={240} height={240} /> : <div className="fm-tile-noimage" />}
        {!product.inStock && <span className="fm-tile-soldout">{t('shop.soldOut')}</span>}
      </div>
      <div className="fm-tile-body">
        <div className="fm-tile-title" title={product.title}>
          <Highlighted text={product.title} ranges={product.highlights} />
        </div>
        <div className="fm-tile-price">
          <span className="fm-price">{product.priceMin === product.priceMax ? formatFen(product.priceMin) : formatFenRange(product.priceMin, product.priceMax)}</span>
          {product.listPrice !== null && product.listPrice > product.priceMax && <del className="fm-tile-listprice">{formatFen(product.listPrice)}</del>}
        </div>
        <div className="fm-tile-meta">
          <span>{t('shop.sold', { count: product.unitsSold })}</span>
          <span className="fm-tile-store">
            <ShopOutlined /> {product.storeName}
          </span>
        </div>
      </div>
    </Link>
  );
}

export function ProductGrid({ items, loading, skeletons = 10 }: { items: ProductCard[] | undefined; loading?: boolean; skeletons?: number }) {
  if (loading && !items?.length) {
    return (
      <div className="fm-grid">
        {Array.from({ length: skeletons }, (_, i) => (
          <div key={i} className="fm-tile">
            <Skeleton.Node active className="fm-tile-skeleton" />
            <Skeleton active paragraph={{ rows: 2 }} title={false} />
          </div>
        ))}
      </div>
    );
  }
  return (
    <div className="fm-grid" data-testid="product-grid">
      {items?.map((p) => <ProductTile key={p.id} product={p} />)}
    </div>
  );
}
