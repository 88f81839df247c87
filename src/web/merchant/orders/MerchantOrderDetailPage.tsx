import { ArrowLeftOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { ItemLine, OrderStateTag } from '../../shared/CommerceBits';
import { addressLine, type OrderDetail } from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { formatFen } from '../../shared/money';
import { PageHead } from '../../shared/PageHead';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { LiveIndicator, ParcelCard } from '../../shared/Tracking';
import { fulfillmentKey, useFulfillment, useLiveOrder } from '../../shared/tracking';
import { useTitle } from '../../shared/useTitle';
import { ShipDialog } from './ShipDialog';

const detailKey = (id: string) => ['merchant', 'orders', 'detail', id];

/** One of the store's orders: ship it (whole or in parcels), follow its parcels live. */
export function MerchantOrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const language = useLanguage();
  useTitle(t('tracking.detail.title'));
  const [params, setParams] = useSearchParams();
  const [shipping, setShipping] = useState(params.get('ship') === '1');
  const order = useQuery({ queryKey: detailKey(id), queryFn: () => api.get<{ order: OrderDetail }>(`/api/v1/merchant/orders/${id}`).then((r) => r.order) });
  const fulfillment = useFulfillment('merchant', id);
  const live = useLiveOrder(id, [detailKey(id), fulfillmentKey('merchant', id), ['merchant', 'orders', 'tracking', id]]);

  if (order.isPending) return <PageSpin />;
  if (order.error) return <LoadFailed error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const f = fulfillment.data;
  const canShip = o.state === 'to_ship' && (f?.unshipped.length ?? 0) > 0 && o.cancelRequest?.state !== 'pending';
  return (
    <div className="fm-order-detail" data-testid="merchant-order">
      <Link to="/merchant/orders" className="fm-small-link">
        <ArrowLeftOutlined /> {t('tracking.detail.backMerchant')}
      </Link>
      <PageHead
        title={
          <span className="fm-order-status">
            <span className="fm-mono">{o.id}</span> <OrderStateTag state={o.state} />
            {f?.late && <Tag color="red">{t('tracking.merchant.lateTag')}</Tag>}
          </span>
        }
        note={
          o.state === 'to_ship' && f?.shipDeadlineAt
            ? t('tracking.merchant.shipBy', { time: formatDateTime(f.shipDeadlineAt, language) })
            : f?.confirmDeadlineAt
              ? t('tracking.confirmBy', { time: formatDateTime(f.confirmDeadlineAt, language) })
              : undefined
        }
        extra={
          canShip && (
            <Button type="primary" icon={<SendOutlined />} onClick={() => setShipping(true)} data-testid="ship-button">
              {t('tracking.ship.button')}
            </Button>
          )
        }
      />
      <Card title={t('tracking.parcelsTitle')} extra={<LiveIndicator state={live} />} data-testid="parcels">
        {f && f.shipments.length > 0 ? (
          f.shipments.map((s, i) => <ParcelCard key={s.id} shipment={s} index={i} items={o.items} />)
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tracking.noParcels')} />
        )}
      </Card>
      <div className="fm-two-col">
        <Card title={t('tracking.detail.items')} className="fm-two-col-main">
          {o.items.map((item) => (
            <ItemLine key={item.id} item={item} />
          ))}
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
        <Card title={t('tracking.detail.address')} className="fm-two-col-side">
          <dl className="fm-order-facts">
            <dt>{t('tracking.detail.address')}</dt>
            <dd>
              {o.address.recipient} {o.address.mobile}
              <br />
              {addressLine(o.address)}
            </dd>
            {o.note && (
              <>
                <dt>{t('tracking.detail.note')}</dt>
                <dd>{o.note}</dd>
              </>
            )}
            <dt>{t('tracking.detail.orderNo')}</dt>
            <dd>
              <Typography.Text copyable className="fm-mono">
                {o.id}
              </Typography.Text>
            </dd>
            <dt>{t('tracking.detail.createdAt')}</dt>
            <dd>{formatDateTime(o.createdAt, language)}</dd>
          </dl>
        </Card>
      </div>
      {shipping && canShip && f && (
        <ShipDialog
          order={o}
          fulfillment={f}
          open
          onClose={() => {
            setShipping(false);
            if (params.has('ship')) setParams({}, { replace: true });
          }}
        />
      )}
    </div>
  );
}
