import { FilterOutlined } from '@ant-design/icons';
import { Button, Checkbox, Drawer, Empty, InputNumber, Segmented, Spin, Tag } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { LoadFailed } from '../../shared/StatusPages';
import { attributeName, categoryName } from '../../shared/catalog';
import { useLanguage } from '../../shared/i18n';
import { fenToYuan, yuanToFen } from '../../shared/money';
import { type Facets, type ListingQuery, type ProductPage, type Sort, SORTS, useListing } from './api';
import { ProductGrid } from './ProductTile';

/** The filters and sort a listing keeps in the address bar, so a link reproduces it. */
export function useListingParams(): [ListingQuery, (change: Partial<ListingQuery>) => void] {
  const [params, setParams] = useSearchParams();
  const query = useMemo<ListingQuery>(() => {
    const num = (key: string) => {
      const v = params.get(key);
      return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
    };
    const sort = params.get('sort');
    return {
      q: params.get('q')?.trim() || undefined,
      category: params.get('category') ?? undefined,
      store: params.get('store') ?? undefined,
      minPrice: num('minPrice'),
      maxPrice: num('maxPrice'),
      inStock: params.get('inStock') === 'true' || undefined,
      spec: params.getAll('spec'),
      sort: SORTS.includes(sort as Sort) ? (sort as Sort) : undefined,
    };
  }, [params]);
  const update = (change: Partial<ListingQuery>) => {
    const next = { ...query, ...change };
    const p = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '' || value === false) continue;
      if (Array.isArray(value)) for (const v of value) p.append(key, String(v));
      else p.set(key, String(value));
    }
    setParams(p, { replace: true });
  };
  return [query, update];
}

/** Loads the next page when the sentinel scrolls into view. */
function InfiniteSentinel({ onVisible, active }: { onVisible: () => void; active: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const node = ref.current;
    if (!node || !active) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) callback.current();
    }, { rootMargin: '600px 0px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [active]);
  return <div ref={ref} className="fm-sentinel" />;
}

function SortBar({ sort, onChange, hasQuery }: { sort: Sort; onChange: (s: Sort) => void; hasQuery: boolean }) {
  const { t } = useTranslation();
  return (
    <Segmented<Sort>
      className="fm-sortbar"
      value={sort}
      onChange={onChange}
      options={SORTS.map((s) => ({ value: s, label: s === 'relevance' && !hasQuery ? t('shop.sort.popular') : t(`shop.sort.${s}`) }))}
    />
  );
}

function FilterPanel({ facets, query, update, fixed }: { facets: Facets | undefined; query: ListingQuery; update: (c: Partial<ListingQuery>) => void; fixed: { category?: string; store?: string } }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [min, setMin] = useState<number | null>(query.minPrice === undefined ? null : Number(fenToYuan(query.minPrice)));
  const [max, setMax] = useState<number | null>(query.maxPrice === undefined ? null : Number(fenToYuan(query.maxPrice)));
  useEffect(() => {
    setMin(query.minPrice === undefined ? null : Number(fenToYuan(query.minPrice)));
    setMax(query.maxPrice === undefined ? null : Number(fenToYuan(query.maxPrice)));
  }, [query.minPrice, query.maxPrice]);
  const specs = new Set(query.spec ?? []);
  const toggleSpec = (token: string) => update({ spec: specs.has(token) ? [...specs].filter((s) => s !== token) : [...specs, token] });

  return (
    <div className="fm-filters" data-testid="filters">
      {facets && facets.categories.length > 0 && (
        <section>
          <h3>{t('shop.filter.subCategory')}</h3>
          <div className="fm-filter-tags">
            {facets.categories.map((c) => (
              <Tag.CheckableTag key={c.id} checked={query.category === c.id} onChange={(on) => update({ category: on ? c.id : fixed.category, spec: [] })}>
                {categoryName(c, language)} <span className="fm-muted">{c.count}</span>
              </Tag.CheckableTag>
            ))}
          </div>
        </section>
      )}
      <section>
        <h3>{t('shop.filter.price')}</h3>
        <div className="fm-filter-price">
          <InputNumber size="small" min={0} precision={2} placeholder={t('shop.filter.min')} value={min} onChange={(v) => setMin(v)} aria-label={t('shop.filter.min')} />
          <span>–</span>
          <InputNumber size="small" min={0} precision={2} placeholder={t('shop.filter.max')} value={max} onChange={(v) => setMax(v)} aria-label={t('shop.filter.max')} />
          <Button size="small" onClick={() => update({ minPrice: yuanToFen(min) ?? undefined, maxPrice: yuanToFen(max) ?? undefined })}>
            {t('shop.filter.apply')}
          </Button>
        </div>
      </section>
      <section>
        <Checkbox checked={query.inStock ?? false} onChange={(e) => update({ inStock: e.target.checked || undefined })}>
          {t('shop.filter.inStock')}
        </Checkbox>
      </section>
      {facets?.specs.map((s) => (
        <section key={s.key}>
          <h3>{attributeName(s, language)}</h3>
          <div className="fm-filter-tags">
            {s.values.map((v) => {
              const token = `${s.key}:${v.value}`;
              return (
                <Tag.CheckableTag key={token} checked={specs.has(token)} onChange={() => toggleSpec(token)}>
                  {v.value} <span className="fm-muted">{v.count}</span>
                </Tag.CheckableTag>
              );
            })}
          </div>
        </section>
      ))}
      {!fixed.store && facets && facets.stores.length > 1 && (
        <section>
          <h3>{t('shop.filter.store')}</h3>
          <div className="fm-filter-tags">
            {facets.stores.slice(0, 12).map((s) => (
              <Tag.CheckableTag key={s.id} checked={query.store === s.id} onChange={(on) => update({ store: on ? s.id : undefined })}>
                {s.name} <span className="fm-muted">{s.count}</span>
              </Tag.CheckableTag>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

/**
 * A product listing with filters, sorts and infinite scroll. `fixed` holds what the page itself
 * decides (its category or store); the rest comes from the address bar.
 */
export function Listing({ fixed = {}, header, onPage }: { fixed?: { category?: string; store?: string }; header?: React.ReactNode; onPage?: (first: ProductPage | undefined) => void }) {
  const { t } = useTranslation();
  const [params, update] = useListingParams();
  const [drawer, setDrawer] = useState(false);
  const query: ListingQuery = { ...params, category: params.category ?? fixed.category, store: params.store ?? fixed.store, limit: 20 };
  const listing = useListing(query, { facets: true });
  const first = listing.data?.pages[0];
  // Facets of the first page stay while later pages load and while a new filter is fetched.
  const [facets, setFacets] = useState<Facets | undefined>(undefined);
  useEffect(() => {
    if (first?.facets) setFacets(first.facets);
  }, [first?.facets]);
  useEffect(() => onPage?.(first), [first, onPage]);
  const items = listing.data?.pages.flatMap((p) => p.items);
  const sort = query.sort ?? 'relevance';
  const panel = <FilterPanel facets={facets} query={query} update={update} fixed={fixed} />;

  return (
    <div className="fm-listing">
      <aside className="fm-listing-side fm-desktop-only">{panel}</aside>
      <div className="fm-listing-main">
        {header}
        <div className="fm-listing-bar">
          <SortBar sort={sort} onChange={(s) => update({ sort: s === 'relevance' ? undefined : s })} hasQuery={Boolean(query.q)} />
          <span className="fm-listing-count">{first?.total !== null && first?.total !== undefined ? t(first.totalCapped ? 'shop.countCapped' : 'shop.count', { count: first.total }) : ''}</span>
          <Button className="fm-mobile-only" icon={<FilterOutlined />} onClick={() => setDrawer(true)}>
            {t('shop.filter.title')}
          </Button>
        </div>
        {listing.isError ? (
          <LoadFailed error={listing.error} onRetry={() => void listing.refetch()} />
        ) : items && items.length === 0 && !listing.isFetching ? (
          <Empty className="fm-empty-lg" description={t('shop.noProducts')}>
            {(query.minPrice !== undefined || query.maxPrice !== undefined || query.inStock || (query.spec?.length ?? 0) > 0) && (
              <Button onClick={() => update({ minPrice: undefined, maxPrice: undefined, inStock: undefined, spec: [] })}>{t('shop.filter.clear')}</Button>
            )}
          </Empty>
        ) : (
          <Spin spinning={listing.isFetching && !listing.isFetchingNextPage && Boolean(items?.length)} delay={200}>
            <ProductGrid items={items} loading={listing.isPending} />
          </Spin>
        )}
        <InfiniteSentinel active={Boolean(listing.hasNextPage) && !listing.isFetchingNextPage} onVisible={() => void listing.fetchNextPage()} />
        {listing.isFetchingNextPage && (
          <div className="fm-listing-more">
            <Spin />
          </div>
        )}
        {!listing.hasNextPage && (items?.length ?? 0) > 20 && <div className="fm-listing-end">{t('shop.end')}</div>}
      </div>
      <Drawer open={drawer} onClose={() => setDrawer(false)} title={t('shop.filter.title')} placement="right" size={300}>
        {panel}
      </Drawer>
    </div>
  );
}

export function CategoryCrumbs({ path }: { path: { id: string; nameZh: string; nameEn: string }[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <nav className="fm-crumbs" aria-label={t('shop.breadcrumbs')}>
      <Link to="/">{t('shop.home')}</Link>
      {path.map((c) => (
        <span key={c.id}>
          <span className="fm-crumbs-sep">/</span>
          <Link to={`/c/${c.id}`}>{categoryName(c, language)}</Link>
        </span>
      ))}
    </nav>
  );
}
