import { ShoppingCartOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Image, InputNumber, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../shared/api';
import { useMe } from '../../shared/auth';
import { attributeName, type PublicProduct } from '../../shared/catalog';
import { useErrorMessage } from '../../shared/errors';
import { useLanguage } from '../../shared/i18n';
import { formatFen, formatFenRange } from '../../shared/money';
import { LoadFailed, NotFound, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { addToCart, useProduct, useStore } from './api';
import { CategoryCrumbs } from './Listing';
import { StoreBanner } from './StorePage';

type Sku = PublicProduct['skus'][number];
type Choice = Record<string, string | undefined>;

/** SKUs that agree with every chosen value. */
const matching = (skus: Sku[], choice: Choice) => skus.filter((s) => Object.entries(choice).every(([k, v]) => v === undefined || s.specs[k] === v));

/**
 * A value is selectable when some SKU in stock has it together with the other dimensions' choices:
 * sold-out combinations are disabled, never hidden.
 */
export function valueAvailable(skus: Sku[], choice: Choice, key: string, value: string): boolean {
  return matching(skus, { ...choice, [key]: value }).some((s) => s.available > 0);
}

function Gallery({ product }: { product: PublicProduct }) {
  const [active, setActive] = useState(0);
  const images = product.images;
  const main = images[active] ?? images[0];
  return (
    <div className="fm-gallery">
      <Image.PreviewGroup items={images.map((i) => i.url)} preview={{ current: active, onChange: setActive }}>
        <div className="fm-gallery-main" data-testid="gallery-main">
          {main ? <Image src={main.thumbUrl} alt={product.title} width="100%" preview={{ mask: null }} /> : <div className="fm-tile-noimage" />}
        </div>
      </Image.PreviewGroup>
      {images.length > 1 && (
        <div className="fm-gallery-thumbs">
          {images.map((img, i) => (
            <button key={img.id} type="button" className={i === active ? 'fm-gallery-thumb fm-gallery-thumb-active' : 'fm-gallery-thumb'} onMouseEnter={() => setActive(i)} onClick={() => setActive(i)}>
              <img src={img.smallUrl} alt="" width={64} height={64} />
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function BuyBox({ product }: { product: PublicProduct }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const { data: user } = useMe();
  const single = product.specs.length === 0 || product.skus.length === 1;
  const [choice, setChoice] = useState<Choice>(() => (single && product.skus[0] ? { ...product.skus[0].specs } : {}));
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState(false);
  const chosen = product.specs.every((d) => choice[d.key] !== undefined) ? matching(product.skus, choice)[0] : undefined;
  const candidates = matching(product.skus, choice);
  const available = chosen ? chosen.available : candidates.reduce((sum, s) => sum + s.available, 0);
  const prices = candidates.map((s) => s.price);
  const price = chosen ? formatFen(chosen.price) : prices.length ? formatFenRange(Math.min(...prices), Math.max(...prices)) : formatFenRange(product.priceMin, product.priceMax);
  const soldOut = product.skus.every((s) => s.available <= 0);

  const add = async (buyNow: boolean) => {
    if (!chosen) {
      void message.warning(t('shop.product.chooseSpecs'));
      return;
    }
    if (buyNow) {
      const target = `/checkout?sku=${chosen.id}&quantity=${quantity}`;
      void navigate(user ? target : `/login?next=${encodeURIComponent(target)}`);
      return;
    }
    setAdding(true);
    try {
      const result = await addToCart(chosen.id, quantity);
      void queryClient.invalidateQueries({ queryKey: ['cart'] });
      void message.success(result.warnings.some((w) => w.code === 'quantity_capped') ? t('shop.product.addedCapped') : t('shop.product.added'));
    } catch (err) {
      void message.error(errorMessage(err));
    } finally {
      setAdding(false);
    }
  };

  return (
    <div className="fm-buybox">
      <h1 className="fm-product-page-title">{product.title}</h1>
      {product.subtitle && <p className="fm-product-subtitle">{product.subtitle}</p>}
      <div className="fm-product-pricebox">
        <span className="fm-muted">{t('shop.product.price')}</span>
        <span className="fm-price fm-price-lg" data-testid="product-price">
          {price}
        </span>
        {chosen?.listPrice && chosen.listPrice > chosen.price && <del className="fm-tile-listprice">{formatFen(chosen.listPrice)}</del>}
      </div>
      {product.specs.map((d) => (
        <div key={d.key} className="fm-spec-row" role="group" aria-label={attributeName(d, language)}>
          <span className="fm-spec-label">{attributeName(d, language)}</span>
          <div className="fm-spec-values">
            {d.values.map((v) => {
              const selected = choice[d.key] === v;
              const enabled = valueAvailable(product.skus, { ...choice, [d.key]: undefined }, d.key, v);
              return (
                <Button
                  key={v}
                  size="small"
                  className={selected ? 'fm-spec-value fm-spec-value-selected' : 'fm-spec-value'}
                  aria-pressed={selected}
                  disabled={!enabled}
                  title={enabled ? undefined : t('shop.soldOut')}
                  onClick={() => setChoice({ ...choice, [d.key]: selected ? undefined : v })}
                >
                  {v}
                </Button>
              );
            })}
          </div>
        </div>
      ))}
      <div className="fm-spec-row">
        <span className="fm-spec-label">{t('shop.product.quantity')}</span>
        <InputNumber min={1} max={Math.max(1, Math.min(999, available))} value={quantity} onChange={(v) => setQuantity(v ?? 1)} aria-label={t('shop.product.quantity')} />
        <span className="fm-stock" data-testid="stock-status">
          {soldOut ? <Tag color="default">{t('shop.soldOut')}</Tag> : available <= 0 ? <Tag>{t('shop.product.comboSoldOut')}</Tag> : available <= 10 ? <Tag color="orange">{t('shop.product.fewLeft', { count: available })}</Tag> : <Tag color="green">{t('shop.product.inStock')}</Tag>}
        </span>
      </div>
      <div className="fm-buy-actions">
        <Button size="large" className="fm-btn-cart" icon={<ShoppingCartOutlined />} disabled={soldOut || (chosen !== undefined && chosen.available <= 0)} loading={adding} onClick={() => void add(false)}>
          {t('shop.product.addToCart')}
        </Button>
        <Button size="large" type="primary" icon={<ThunderboltOutlined />} disabled={soldOut || (chosen !== undefined && chosen.available <= 0)} onClick={() => void add(true)}>
          {t('shop.product.buyNow')}
        </Button>
      </div>
    </div>
  );
}

/** /p/:id — gallery, price of the chosen SKU, spec selector, stock, quantity, store, description. */
export function ProductPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const language = useLanguage();
  const product = useProduct(id);
  const store = useStore(product.data?.merchantId);
  useTitle(product.data?.title);
  const attributes = useMemo(() => product.data?.attributes ?? [], [product.data]);
  if (product.isPending) return <PageSpin />;
  if (product.isError) return product.error instanceof ApiError && product.error.status === 404 ? <NotFound /> : <LoadFailed error={product.error} onRetry={() => void product.refetch()} />;
  const p = product.data;
  return (
    <div className="fm-product" data-testid="product-page">
      <CategoryCrumbs path={p.category.path} />
      <Card className="fm-product-top">
        <div className="fm-product-grid">
          <Gallery product={p} />
          <BuyBox key={p.id} product={p} />
        </div>
      </Card>
      <div className="fm-product-lower">
        <Card className="fm-product-store" title={t('shop.product.store')}>
          {store.data && (
            <>
              <StoreBanner store={store.data} compact />
              <Link to={`/s/${store.data.id}`} className="fm-storecard-link">
                {t('shop.product.visitStore')}
              </Link>
            </>
          )}
        </Card>
        <Card className="fm-product-detail" title={t('shop.product.details')}>
          {(attributes.length > 0 || p.brand) && (
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="fm-product-attrs">
              {p.brand && <Descriptions.Item label={t('shop.product.brand')}>{p.brand}</Descriptions.Item>}
              {attributes.map((a) => (
                <Descriptions.Item key={a.key} label={attributeName(a, language)}>
                  {a.value}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
          {/* Descriptions are sanitized to an allow-list when stored, and the page's CSP forbids inline scripts. */}
          {p.description.trim() ? <div className="fm-description" dangerouslySetInnerHTML={{ __html: p.description }} /> : <div className="fm-muted">{t('shop.product.noDescription')}</div>}
        </Card>
      </div>
    </div>
  );
}
