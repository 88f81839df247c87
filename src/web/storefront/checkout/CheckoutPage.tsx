import { EnvironmentOutlined, PlusOutlined, ShopOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Radio, Result, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import { cartRootKey, useCart } from '../../shared/cart';
import { ItemLine } from '../../shared/CommerceBits';
import {
  newIdempotencyKey,
  useAddresses,
  useCommerceErrorMessage,
  useUnmetText,
  type Address,
  type CheckoutPreview,
  type CheckoutResult,
} from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatFen } from '../../shared/money';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { AddressText } from '../addresses/AddressesPage';
import { AddressFormModal } from '../addresses/AddressFormModal';

/** What is being bought: the cart's selected lines, or one SKU (立即购买: `?sku=…&quantity=…`). */
type Source = { cartLineIds: string[] } | { buyNow: { skuId: string; quantity: number } };

/** 确认订单: address, per-store notes, server-priced preview with shipping and unmet conditions. */
export function CheckoutPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const skuId = params.get('sku');
  const quantity = Math.max(1, Math.min(999, Number(params.get('quantity')) || 1));
  const cart = useCart();
  useTitle(t('checkout.title'));

  if (skuId) return <Checkout source={{ buyNow: { skuId, quantity } }} />;
  if (cart.isPending) return <PageSpin />;
  if (cart.isError) return <LoadFailed error={cart.error} onRetry={() => void cart.refetch()} />;
  const lineIds = cart.data.stores.flatMap((s) => s.lines.filter((l) => l.selected && l.purchasable).map((l) => l.id));
  if (lineIds.length === 0) {
    return (
      <Card>
        <Result
          status="info"
          title={t('checkout.nothingTitle')}
          subTitle={t('checkout.nothingText')}
          extra={
            <ButtonLink to="/cart" type="primary">
              {t('checkout.backToCart')}
            </ButtonLink>
          }
        />
      </Card>
    );
  }
  return <Checkout source={{ cartLineIds: lineIds }} />;
}

function Checkout({ source }: { source: Source }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const unmetText = useUnmetText();
  const addresses = useAddresses();
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [notes, setNotes] = useState<Record<string, string>>({});
  // One key per visit of this page: a double click or a retry after a lost answer places one order.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const list = addresses.data ?? [];
  const addressId = (chosen && list.some((a) => a.id === chosen) ? chosen : (list.find((a) => a.isDefault) ?? list[0])?.id) ?? undefined;

  const preview = useQuery({
    queryKey: ['checkout', 'preview', source, addressId ?? null],
    queryFn: () => api.post<{ preview: CheckoutPreview }>('/api/v1/checkout/preview', { ...source, addressId }).then((r) => r.preview),
    enabled: !addresses.isPending,
    placeholderData: keepPreviousData,
  });

  const place = useMutation({
    mutationFn: () => {
      const trimmed = Object.fromEntries(Object.entries(notes).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
      return api.post<CheckoutResult>('/api/v1/checkout', { ...source, addressId, notes: trimmed }, { 'Idempotency-Key': idempotencyKey });
    },
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: cartRootKey });
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
      const payUrl = result.payment?.payUrl;
      if (!payUrl) return void navigate('/orders', { replace: true });
      if (payUrl.startsWith('/')) void navigate(payUrl, { replace: true });
      else window.location.assign(payUrl); // a real provider's cashier
    },
    onError: (error) => {
      // Something changed under us (stock, conditions): show the new picture.
      void preview.refetch();
      if (error instanceof ApiError && error.code === 'idempotency_key_reused') setIdempotencyKey(newIdempotencyKey());
    },
  });

  if (addresses.isPending || preview.isPending) return <PageSpin />;
  if (preview.isError && !preview.data) return <LoadFailed error={preview.error} onRetry={() => void preview.refetch()} />;
  const p = preview.data!;
  const titleOf = (skuId: string) => p.stores.flatMap((s) => s.lines).find((l) => l.skuId === skuId)?.title;

  return (
    <div className="fm-checkout">
      <h1 className="fm-shop-title">{t('checkout.title')}</h1>

      <Card
        className="fm-checkout-section"
        title={
          <span>
            <EnvironmentOutlined /> {t('checkout.address')}
          </span>
        }
        extra={
          list.length > 0 && (
            <Link to="/addresses" className="fm-small-link">
              {t('checkout.manageAddresses')}
            </Link>
          )
        }
      >
        {list.length === 0 ? (
          <div className="fm-checkout-noaddress">
            <span className="fm-muted">{t('checkout.noAddress')}</span>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('addressBook.add')}
            </Button>
          </div>
        ) : (
          <AddressChoice addresses={list} value={addressId} onChange={setChosen} onAdd={() => setAdding(true)} />
        )}
      </Card>

      {p.problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          className="fm-form-alert"
          title={t('checkout.problemsTitle')}
          description={
            <ul className="fm-plain-list">
              {p.problems.map((problem) => (
                <li key={problem.skuId}>
                  {t(`checkout.problem.${problem.code}`, { title: titleOf(problem.skuId) ?? t('checkout.anItem'), available: problem.available })}
                </li>
              ))}
            </ul>
          }
          action={<ButtonLink to="/cart" size="small">{t('checkout.backToCart')}</ButtonLink>}
        />
      )}

      {p.stores.map((store) => (
        <Card
          key={store.merchantId}
          className="fm-checkout-section"
          data-testid="checkout-store"
          title={
            <span>
              <ShopOutlined /> {store.storeName}
            </span>
          }
        >
          <ul className="fm-plain-list fm-item-lines">
            {store.lines.map((line) => (
              <li key={line.skuId}>
                <ItemLine item={line} />
              </li>
            ))}
          </ul>
          {store.unmet.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="fm-cart-unmet"
              title={t('checkout.unmetTitle')}
              description={
                <ul className="fm-plain-list">
                  {store.unmet.map((u, i) => (
                    <li key={i}>{unmetText(u, titleOf)}</li>
                  ))}
                </ul>
              }
            />
          )}
          <div className="fm-checkout-rows">
            <label className="fm-checkout-note">
              <span>{t('checkout.note')}</span>
              <Input
                value={notes[store.merchantId] ?? ''}
                maxLength={200}
                placeholder={t('checkout.notePlaceholder')}
                aria-label={t('checkout.noteFor', { store: store.storeName })}
                onChange={(e) => setNotes({ ...notes, [store.merchantId]: e.target.value })}
              />
            </label>
            <div className="fm-checkout-row">
              <span>{t('checkout.shipping')}</span>
              <span>{store.shippingFee > 0 ? formatFen(store.shippingFee) : t('checkout.free')}</span>
            </div>
            <div className="fm-checkout-row">
              <span>{t('checkout.storeTotal')}</span>
              <strong className="fm-price">{formatFen(store.total)}</strong>
            </div>
          </div>
        </Card>
      ))}

      <Card className="fm-checkout-section">
        <div className="fm-checkout-rows">
          <div className="fm-checkout-row">
            <span>{t('checkout.itemsTotal')}</span>
            <span>{formatFen(p.itemsTotal)}</span>
          </div>
          <div className="fm-checkout-row">
            <span>{t('checkout.shippingTotal')}</span>
            <span>{p.shippingTotal > 0 ? formatFen(p.shippingTotal) : t('checkout.free')}</span>
          </div>
          {p.stores.length > 1 && <p className="fm-muted fm-checkout-split">{t('checkout.splitNote', { count: p.stores.length })}</p>}
        </div>
      </Card>

      {place.error && <Alert type="error" showIcon role="alert" className="fm-form-alert" title={errorMessage(place.error)} />}

      <div className="fm-checkout-bar">
        <div className="fm-checkout-bar-sum">
          <div>
            <span className="fm-muted">{t('checkout.payable')}</span>
            <strong className="fm-price fm-price-lg" data-testid="checkout-total">
              {formatFen(p.total)}
            </strong>
          </div>
          {!p.canPlace && <span className="fm-warn-text fm-checkout-bar-note">{t(blockReason(p, addressId))}</span>}
        </div>
        <Button
          type="primary"
          size="large"
          loading={place.isPending}
          disabled={!p.canPlace || preview.isFetching}
          onClick={() => place.mutate()}
        >
          {t('checkout.submit')}
        </Button>
      </div>

      <AddressFormModal open={adding} onClose={() => setAdding(false)} onSaved={(a) => setChosen(a.id)} />
    </div>
  );
}

/** Why the order cannot be placed yet, as a message key. */
function blockReason(p: CheckoutPreview, addressId: string | undefined) {
  if (!addressId) return 'checkout.needAddress' as const;
  if (p.problems.length > 0) return 'checkout.needProblemsFixed' as const;
  return 'checkout.needConditions' as const;
}

function AddressChoice({
  addresses,
  value,
  onChange,
  onAdd,
}: {
  addresses: Address[];
  value: string | undefined;
  onChange: (id: string) => void;
  onAdd: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Radio.Group value={value} onChange={(e) => onChange(e.target.value as string)} className="fm-address-choice">
        {addresses.map((a) => (
          <Radio key={a.id} value={a.id} className={a.id === value ? 'fm-address-option fm-address-option-on' : 'fm-address-option'}>
            <AddressText address={a} />
            {a.isDefault && <Tag color="orange">{t('addressBook.default')}</Tag>}
          </Radio>
        ))}
      </Radio.Group>
      <Button type="dashed" block icon={<PlusOutlined />} onClick={onAdd} className="fm-address-add">
        {t('addressBook.add')}
      </Button>
    </>
  );
}
