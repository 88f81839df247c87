import { ArrowLeftOutlined, ShopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AFTERSALES_ORDER_STATES } from '../../shared/aftersales';
import { api } from '../../shared/api';
import { ItemLine } from '../../shared/CommerceBits';
import { addressLine, maskMobile, type OrderDetail } from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { formatFen } from '../../shared/money';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { LiveIndicator, ParcelCard } from '../../shared/Tracking';
import { type OrderFulfillment, useFulfillment, useLiveOrder, useTrackingErrorMessage } from '../../shared/tracking';
import { useTitle } from '../../shared/useTitle';
import { ApplyAftersalesDialog } from '../aftersales/ApplyAftersalesDialog';
import { BuyerOrderActions } from './BuyerOrderActions';

const detailKey = (id: string) => ['orders', 'detail', id];

/** 订单详情: where the order stands, every parcel with its live timeline, and what was bought. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  useTitle(t('tracking.detail.title'));
  const order = useQuery({ queryKey: detailKey(id), queryFn: () => api.get<{ order: OrderDetail }>(`/api/v1/orders/${id}`).then((r) => r.order) });
  const fulfillment = useFulfillment('buyer', id);
  const live = useLiveOrder(id, [detailKey(id), ['orders', 'fulfillment', id], ['orders', 'list'], ['orders', 'tracking', id]]);
  const [applying, setApplying] = useState<OrderDetail['items'][number] | null>(null);

  if (order.isPending) return <PageSpin />;
  if (order.error) return <LoadFailed error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const f = fulfillment.data;
  // 申请售后 once the goods are on their way; the server decides the rest (one open request per item, …).
  const canApply = AFTERSALES_ORDER_STATES.includes(o.state);
  return (
    <div className="fm-shop-page fm-order-detail" data-testid="order-detail">
      <Link to="/orders" className="fm-small-link">
        <ArrowLeftOutlined /> {t('tracking.detail.back')}
      </Link>
      <StatusCard order={o} fulfillment={f} />
      <Card
        title={t('tracking.parcelsTitle')}
        extra={<LiveIndicator state={live} />}
        data-testid="parcels"
      >
        {f && f.shipments.length > 0 ? (
          f.shipments.map((s, i) => <ParcelCard key={s.id} shipment={s} index={i} items={o.items} />)
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tracking.noParcels')} />
        )}
      </Card>
      <Card title={t('tracking.detail.address')}>
        <p className="fm-order-address">
          <strong>{o.address.recipient}</strong> {maskMobile(o.address.mobile)}
          <br />
          {addressLine(o.address)}
        </p>
      </Card>
      <Card
        title={
          <span>
            <ShopOutlined /> {o.storeName}
          </span>
        }
      >
        {o.items.map((item) =>
          canApply ? (
            <div key={item.id} className="fm-order-item-row">
              <ItemLine item={item} />
              <Button size="small" onClick={() => setApplying(item)} data-testid="apply-aftersales">
                {t('aftersales.actions.apply')}
              </Button>
            </div>
          ) : (
            <ItemLine key={item.id} item={item} />
          ),
        )}
        <dl className="fm-order-sums">
          <dt>{t('tracking.detail.itemsTotal')}</dt>
          <dd>{formatFen(o.itemsTotal)}</dd>
          <dt>{t('tracking.detail.shipping')}</dt>
          <dd>{formatFen(o.shippingFee)}</dd>
          <dt>{t('tracking.detail.total')}</dt>
          <dd>
            <strong className="fm-price">{formatFen(o.total)}</strong>
          </dd>
        </dl>
      </Card>
      <OrderFacts order={o} />
      <ApplyAftersalesDialog orderId={o.id} item={applying} onClose={() => setApplying(null)} />
    </div>
  );
}

function StatusCard({ order, fulfillment }: { order: OrderDetail; fulfillment: OrderFulfillment | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const at = (type: string) => order.timeline.find((e) => e.type === type)?.at;
  const steps = [
    { key: 'placed', time: order.createdAt },
    { key: 'paid', time: order.paidAt },
    { key: 'shipped', time: at('order.ship') },
    { key: 'delivered', time: at('order.deliver') },
    { key: 'completed', time: at('order.confirm_receipt') ?? at('order.auto_confirm') },
  ] as const;
  const reached = steps.filter((s) => s.time).length;
  let note: string | null = null;
  let tone = 'fm-muted';
  if (fulfillment?.receiptClockPaused) note = t('tracking.clockPaused');
  else if ((order.state === 'shipped' || order.state === 'delivered') && fulfillment?.confirmDeadlineAt) note = t('tracking.confirmBy', { time: formatDateTime(fulfillment.confirmDeadlineAt, language) });
  else if (order.state === 'to_ship' && fulfillment) {
    const left = fulfillment.unshipped.reduce((n, l) => n + l.quantity, 0);
    if (fulfillment.shipments.length > 0) note = t('tracking.partlyShipped', { count: left });
    else if (fulfillment.late) {
      note = t('tracking.shipLate');
      tone = 'fm-warn-text';
    } else if (fulfillment.shipDeadlineAt) note = t('tracking.shipBy', { time: formatDateTime(fulfillment.shipDeadlineAt, language) });
  }
  return (
    <Card>
      <div className="fm-order-status">
        <div>
          <h1 className="fm-order-status-title" data-testid="order-state">
            {t(`orderState.${order.state}`)}
          </h1>
          {note && <p className={`fm-order-status-note ${tone}`}>{note}</p>}
        </div>
        <div className="fm-order-card-actions">
          <BuyerOrderActions order={order} omit={['confirm_receipt']} />
          {order.actions.includes('confirm_receipt') && <ConfirmReceipt orderId={order.id} />}
        </div>
      </div>
      {order.state !== 'cancelled' && order.state !== 'pending_payment' && (
        <Steps
          className="fm-order-steps"
          size="small"
          responsive
          current={Math.min(reached, steps.length - 1)}
          items={steps.map((s, i) => ({
            title: t(`tracking.steps.${s.key}`),
            content: s.time ? formatDateTime(s.time, language) : undefined,
            // Done steps are finished; the one the order waits for is in process.
            status: i < reached ? 'finish' : i === reached ? 'process' : 'wait',
          }))}
        />
      )}
    </Card>
  );
}

/** 确认收货: the buyer has everything; the order completes. */
function ConfirmReceipt({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorMessage = useTrackingErrorMessage();
  const confirm = useMutation({
    mutationFn: () => api.post<{ order: OrderDetail }>(`/api/v1/orders/${orderId}/confirm-receipt`),
    onSuccess: ({ order }) => {
      queryClient.setQueryData(detailKey(orderId), order);
      void message.success(t('tracking.received'));
      void queryClient.invalidateQueries({ queryKey: ['orders'] });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  return (
    <Popconfirm
      title={t('tracking.confirmReceiptTitle')}
      description={t('tracking.confirmReceiptText')}
      okText={t('tracking.confirmReceipt')}
      cancelText={t('common.cancel')}
      onConfirm={() => confirm.mutateAsync().catch(() => undefined)}
    >
      <Button type="primary" loading={confirm.isPending} data-testid="confirm-receipt">
        {t('tracking.confirmReceipt')}
      </Button>
    </Popconfirm>
  );
}

function OrderFacts({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card>
      <dl className="fm-order-facts">
        <dt>{t('tracking.detail.orderNo')}</dt>
        <dd>
          <Typography.Text copyable className="fm-mono">
            {order.id}
          </Typography.Text>
        </dd>
        <dt>{t('tracking.detail.createdAt')}</dt>
        <dd>{formatDateTime(order.createdAt, language)}</dd>
        {order.paidAt && (
          <>
            <dt>{t('tracking.detail.paidAt')}</dt>
            <dd>{formatDateTime(order.paidAt, language)}</dd>
          </>
        )}
        {order.note && (
          <>
            <dt>{t('tracking.detail.note')}</dt>
            <dd>{order.note}</dd>
          </>
        )}
      </dl>
    </Card>
  );
}
