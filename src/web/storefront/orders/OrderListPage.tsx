import { ProfileOutlined, ShopOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import { ItemLine, OrderStateTag } from '../../shared/CommerceBits';
import { BUYER_TABS, type BuyerTab, type OrderSummary } from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { formatFen } from '../../shared/money';
import { QueryAlert } from '../../shared/PageHead';
import { PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { BuyerOrderActions } from './BuyerOrderActions';
import { OrderTrackingLine } from './OrderTrackingLine';

const PAGE_SIZE = 10;

type OrdersPage = { items: OrderSummary[]; nextCursor: string | null; counts: Record<BuyerTab, number> };

function isTab(value: string | null): value is BuyerTab {
  return BUYER_TABS.includes(value as BuyerTab);
}

/** 我的订单: tabs with counts, each order with its store, items, total and allowed actions. */
export function OrderListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab = isTab(raw) ? raw : undefined;
  useTitle(t('myOrders.title'));

  const orders = useInfiniteQuery({
    queryKey: ['orders', 'list', tab ?? 'all'],
    queryFn: ({ pageParam }) => api.get<OrdersPage>('/api/v1/orders', { tab, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = orders.data?.pages[0]?.counts;

  return (
    <div className="fm-shop-page">
      <div className="fm-shop-head">
        <h1 className="fm-shop-title">{t('myOrders.title')}</h1>
        <Link to="/addresses" className="fm-small-link">
          {t('addressBook.title')}
        </Link>
      </div>
      <Tabs
        className="fm-order-tabs"
        activeKey={tab ?? 'all'}
        onChange={(key) => setParams(key === 'all' ? {} : { tab: key })}
        items={[
          { key: 'all', label: t('myOrders.all') },
          ...BUYER_TABS.map((key) => {
            const count = counts?.[key] ?? 0;
            // Finished orders pile up; their counts are noise.
            const showCount = count > 0 && key !== 'completed' && key !== 'cancelled';
            return {
              key,
              label: (
                <span data-testid={`tab-${key}`}>
                  {t(`myOrders.tabs.${key}`)}
                  {showCount && <span className="fm-tab-count">{count}</span>}
                </span>
              ),
            };
          }),
        ]}
      />
      <QueryAlert error={orders.error} onRetry={() => void orders.refetch()} />
      {orders.isPending ? (
        <PageSpin />
      ) : rows.length === 0 ? (
        <Card>
          <Empty image={<ProfileOutlined className="fm-empty-icon" />} description={tab ? t('myOrders.emptyTab') : t('myOrders.empty')}>
            <ButtonLink to="/" type="primary">
              {t('cart.goShopping')}
            </ButtonLink>
          </Empty>
        </Card>
      ) : (
        <ul className="fm-plain-list fm-order-list">
          {rows.map((order) => (
            <li key={order.id}>
              <OrderCard order={order} />
            </li>
          ))}
        </ul>
      )}
      {orders.hasNextPage && (
        <div className="fm-load-more">
          <Button onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}

function OrderCard({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const units = order.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <Card
      size="small"
      className="fm-order-card"
      data-testid="order-card"
      title={
        <div className="fm-order-card-head">
          <ShopOutlined />
          <span className="fm-order-store">{order.storeName}</span>
          <span className="fm-muted fm-order-date fm-desktop-only">{formatDateTime(order.createdAt, language)}</span>
        </div>
      }
      extra={<OrderStateTag state={order.state} />}
    >
      <Link to={`/orders/${order.id}`} className="fm-order-items" aria-label={t('myOrders.viewOrder', { id: order.id })}>
        {order.items.map((item) => (
          <ItemLine key={item.id} item={item} />
        ))}
      </Link>
      <OrderNotice order={order} />
      <OrderTrackingLine order={order} />
      <div className="fm-order-card-foot">
        <span className="fm-order-total">
          {t('myOrders.totalLine', { count: units })} <strong className="fm-price">{formatFen(order.total)}</strong>
          {order.shippingFee > 0 && <span className="fm-muted"> {t('myOrders.withShipping', { amount: formatFen(order.shippingFee) })}</span>}
        </span>
        <div className="fm-order-card-actions">
          <ButtonLink to={`/orders/${order.id}`} type="link" size="small">
            {t('myOrders.details')}
          </ButtonLink>
          {/* The server's actions omit 确认收货 so far; the order page offers it by state too. */}
          <BuyerOrderActions order={order} size="small" />
        </div>
      </div>
    </Card>
  );
}

/** The one thing worth saying about where the order stands. */
function OrderNotice({ order }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const reasonText = useCancelReasonText();
  const request = order.cancelRequest;
  let text: string | null = null;
  let tone = 'fm-muted';
  if (request?.state === 'pending') {
    text = t('myOrders.requestPending');
    tone = 'fm-warn-text';
  } else if (request?.state === 'declined' && order.state !== 'cancelled') {
    text = t('myOrders.requestDeclined', { answer: request.answer ?? '' });
    tone = 'fm-warn-text';
  } else if (order.state === 'pending_payment' && order.payDeadlineAt) {
    text = t('myOrders.payBy', { time: formatDateTime(order.payDeadlineAt, language) });
    tone = 'fm-warn-text';
  } else if (order.state === 'paid') {
    text = order.acceptDeadlineAt ? t('myOrders.acceptBy', { time: formatDateTime(order.acceptDeadlineAt, language) }) : t('myOrders.waitingAccept');
  } else if (order.state === 'cancelled' && order.cancelReason) {
    text = t('myOrders.cancelReason', { reason: reasonText(order.cancelReason) });
  }
  return text ? <p className={`fm-order-notice ${tone}`}>{text}</p> : null;
}

const KNOWN_REASONS = ['buyer_cancelled', 'unpaid_timeout', 'accept_deadline_missed'] as const;
const BUYER_REQUEST = 'buyer_request: ';

/** A cancellation's reason in words: the server's codes translated, a person's own words as they are. */
export function useCancelReasonText(): (reason: string) => string {
  const { t } = useTranslation();
  return (reason) => {
    if (reason.startsWith(BUYER_REQUEST)) return t('myOrders.reasonCodes.buyer_request', { reason: reason.slice(BUYER_REQUEST.length) });
    const known = KNOWN_REASONS.find((code) => code === reason);
    return known ? t(`myOrders.reasonCodes.${known}`) : reason;
  };
}
