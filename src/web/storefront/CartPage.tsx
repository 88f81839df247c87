import { ShopOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Popconfirm, Result } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ButtonLink } from '../shared/ButtonLink';
import { useCart, useCartWrite } from '../shared/cart';
import { useCommerceErrorMessage, useUnmetText, type Cart, type CartLine, type CartStore, type CartWarning } from '../shared/commerce';
import '../shared/commerce.css';
import { formatFen } from '../shared/money';
import { PageSpin, LoadFailed } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';
import { CartLineItem } from './cart/CartLineItem';

type Write = ReturnType<typeof useCartWrite>;

/** 购物车: lines grouped by store, selection, quantities, honest warnings, live totals. */
export function CartPage() {
  const { t } = useTranslation();
  const cart = useCart();
  useTitle(t('cart.title'));

  if (cart.isPending) return <PageSpin />;
  if (cart.isError) return <LoadFailed error={cart.error} onRetry={() => void cart.refetch()} />;
  if (cart.data.stores.length === 0) return <EmptyCart />;
  return <CartView cart={cart.data} />;
}

function EmptyCart() {
  const { t } = useTranslation();
  return (
    <>
      <h1 className="fm-shop-title">{t('cart.title')}</h1>
      <Card>
        <Result
          icon={<ShoppingCartOutlined className="fm-result-icon-muted" />}
          title={t('cart.empty')}
          subTitle={t('cartPage.emptyText')}
          extra={
            <div className="fm-result-actions">
              <ButtonLink to="/" type="primary">
                {t('cart.goShopping')}
              </ButtonLink>
              <ButtonLink to="/orders">{t('myOrders.title')}</ButtonLink>
            </div>
          }
        />
      </Card>
    </>
  );
}

type Capped = Extract<CartWarning, { code: 'quantity_capped' }>;

function CartView({ cart }: { cart: Cart }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorMessage = useCommerceErrorMessage();
  const write = useCartWrite();

  // The server says "capped" once, in the answer that capped the line; keep saying it until the
  // shopper changes that line.
  const [capped, setCapped] = useState<Record<string, Capped>>({});
  const [seen, setSeen] = useState<Cart | null>(null);
  if (seen !== cart) {
    setSeen(cart);
    const found = cart.stores.flatMap((s) => s.lines.flatMap((l) => l.warnings.filter((w): w is Capped => w.code === 'quantity_capped').map((w) => [l.id, w] as const)));
    if (found.length > 0) setCapped({ ...capped, ...Object.fromEntries(found) });
  }
  const run = (input: Parameters<Write['mutateAsync']>[0]) => {
    if (input.kind === 'quantity' || input.kind === 'remove') {
      const touched = input.kind === 'quantity' ? [input.lineId] : input.lineIds;
      setCapped((current) => Object.fromEntries(Object.entries(current).filter(([id]) => !touched.includes(id))));
    }
    return write.mutateAsync(input).catch((error: unknown) => void message.error(errorMessage(error)));
  };

  const lines = cart.stores.flatMap((s) => s.lines);
  const live = lines.filter((l) => l.purchasable);
  const dead = lines.filter((l) => !l.purchasable);
  const chosen = live.filter((l) => l.selected);
  const allSelected = live.length > 0 && chosen.length === live.length;
  const blocked = cart.stores.filter((s) => s.selectedQuantity > 0 && s.unmet.length > 0);
  const canCheckout = cart.summary.selectedQuantity > 0 && blocked.length === 0;

  return (
    <div className="fm-cart">
      <h1 className="fm-shop-title">
        {t('cart.title')}
        <span className="fm-muted fm-title-count">{t('cartPage.lineCount', { count: cart.summary.quantity })}</span>
      </h1>

      {dead.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="fm-form-alert"
          title={t('cartPage.deadLines', { count: dead.length })}
          action={
            <Button size="small" onClick={() => void run({ kind: 'remove', lineIds: dead.map((l) => l.id) })}>
              {t('cartPage.clearDead')}
            </Button>
          }
        />
      )}

      {cart.stores.map((store) => (
        <StoreCard key={store.merchantId} store={store} capped={capped} busy={write.isPending} run={run} />
      ))}

      <div className="fm-checkout-bar" data-testid="cart-bar">
        <Checkbox
          checked={allSelected}
          indeterminate={chosen.length > 0 && !allSelected}
          disabled={live.length === 0}
          onChange={(e) => void run({ kind: 'selectAll', selected: e.target.checked })}
        >
          {t('cartPage.selectAll')}
        </Checkbox>
        <Popconfirm
          title={t('cartPage.removeSelectedConfirm', { count: chosen.length })}
          okText={t('common.delete')}
          cancelText={t('common.cancel')}
          disabled={chosen.length === 0}
          onConfirm={() => run({ kind: 'remove', lineIds: chosen.map((l) => l.id) })}
        >
          <Button type="link" size="small" className="fm-desktop-only" disabled={chosen.length === 0}>
            {t('cartPage.removeSelected')}
          </Button>
        </Popconfirm>
        <div className="fm-checkout-bar-sum">
          <div>
            <span className="fm-muted">{t('cartPage.totalLabel')}</span>
            <strong className="fm-price fm-price-lg" data-testid="cart-total">
              {formatFen(cart.summary.total)}
            </strong>
          </div>
          <span className="fm-muted fm-checkout-bar-note">
            {blocked.length > 0
              ? t('cartPage.blocked', { store: blocked.map((s) => s.storeName).join('、') })
              : cart.summary.shippingTotal > 0
                ? t('cartPage.includesShipping', { amount: formatFen(cart.summary.shippingTotal) })
                : t('cartPage.freeShipping')}
          </span>
        </div>
        <Button type="primary" size="large" disabled={!canCheckout} onClick={() => void navigate('/checkout')}>
          {t('cartPage.checkout', { count: cart.summary.selectedQuantity })}
        </Button>
      </div>
    </div>
  );
}

function StoreCard({
  store,
  capped,
  busy,
  run,
}: {
  store: CartStore;
  capped: Record<string, Capped>;
  busy: boolean;
  run: (input: Parameters<Write['mutateAsync']>[0]) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const unmetText = useUnmetText();
  const live = store.lines.filter((l) => l.purchasable);
  const chosen = live.filter((l) => l.selected);
  const all = live.length > 0 && chosen.length === live.length;
  const { rules } = store;
  const title = (skuId: string) => store.lines.find((l) => l.skuId === skuId)?.title;

  return (
    <Card
      className="fm-cart-store"
      data-testid="cart-store"
      title={
        <div className="fm-cart-store-head">
          <Checkbox
            checked={all}
            indeterminate={chosen.length > 0 && !all}
            disabled={live.length === 0 || busy}
            aria-label={t('cartPage.selectStore', { store: store.storeName })}
            onChange={(e) => void run({ kind: 'selectAll', selected: e.target.checked, merchantId: store.merchantId })}
          />
          <ShopOutlined />
          <span className="fm-cart-store-name">{store.storeName}</span>
        </div>
      }
      extra={<StoreRulesHint store={store} />}
    >
      <ul className="fm-cart-lines">
        {store.lines.map((line) => (
          <CartLineItem
            key={line.id}
            line={withCapped(line, capped[line.id])}
            limit={rules.maxQuantityPerSku}
            busy={busy}
            onSelect={(selected) => void run({ kind: 'select', lineId: line.id, selected })}
            onQuantity={(quantity) => run({ kind: 'quantity', lineId: line.id, quantity })}
            onRemove={() => void run({ kind: 'remove', lineIds: [line.id] })}
          />
        ))}
      </ul>
      {store.selectedQuantity > 0 && store.unmet.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="fm-cart-unmet"
          title={t('cartPage.unmetTitle')}
          description={
            <ul className="fm-plain-list">
              {store.unmet.map((u, i) => (
                <li key={i}>{unmetText(u, title)}</li>
              ))}
            </ul>
          }
        />
      )}
      <div className="fm-cart-store-foot">
        <span className="fm-muted">{t('cartPage.storeItems', { count: store.selectedQuantity })}</span>
        <span>{store.shippingFee > 0 ? `${t('checkout.shipping')} ${formatFen(store.shippingFee)}` : t('cartPage.freeShipping')}</span>
        <span>
          {t('checkout.storeTotal')} <strong className="fm-price">{formatFen(store.total)}</strong>
        </span>
      </div>
    </Card>
  );
}

function withCapped(line: CartLine, capped: Capped | undefined): CartLine {
  if (!capped || line.warnings.some((w) => w.code === 'quantity_capped')) return line;
  return { ...line, warnings: [...line.warnings, capped] };
}

/** "满 ¥99.00 包邮，还差 ¥20.00" and the like, in the store card's header. */
function StoreRulesHint({ store }: { store: CartStore }) {
  const { t } = useTranslation();
  const { rules, itemsTotal } = store;
  const hints: string[] = [];
  if (rules.minOrderAmount > 0) hints.push(t('cartPage.minOrder', { amount: formatFen(rules.minOrderAmount) }));
  if (rules.shippingFee === 0) hints.push(t('cartPage.rulesFreeShipping'));
  else if (rules.freeShippingFrom !== null) {
    hints.push(
      itemsTotal > 0 && itemsTotal < rules.freeShippingFrom
        ? t('cartPage.freeFromShort', { amount: formatFen(rules.freeShippingFrom), short: formatFen(rules.freeShippingFrom - itemsTotal) })
        : t('cartPage.freeFrom', { amount: formatFen(rules.freeShippingFrom) }),
    );
  } else hints.push(t('cartPage.flatShipping', { amount: formatFen(rules.shippingFee) }));
  return <span className="fm-muted fm-cart-rules">{hints.join(' · ')}</span>;
}
