import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { api } from '../shared/api';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { carrierName, type Shipment, type StoreFulfillmentStats } from '../shared/tracking';
import '../shared/tracking.css';
import { useTitle } from '../shared/useTitle';

type ExceptionParcel = Shipment & { merchantId: string };

/** 履约监控: per store, orders late to ship and parcels in trouble; the parcels themselves. */
export function FulfillmentPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  useTitle(t('tracking.admin.title'));
  const stores = useQuery({ queryKey: ['admin', 'fulfillment', 'stores'], queryFn: () => api.get<{ items: StoreFulfillmentStats[] }>('/api/v1/admin/fulfillment/stores').then((r) => r.items) });
  const parcels = useQuery({ queryKey: ['admin', 'fulfillment', 'exceptions'], queryFn: () => api.get<{ items: ExceptionParcel[] }>('/api/v1/admin/fulfillment/exceptions').then((r) => r.items) });
  const names = new Map((stores.data ?? []).map((s) => [s.merchantId, s.storeName]));

  const storeColumns: TableColumnsType<StoreFulfillmentStats> = [
    { key: 'store', title: t('tracking.admin.store'), render: (_, s) => s.storeName || <span className="fm-mono">{s.merchantId}</span> },
    { key: 'lateNow', title: t('tracking.admin.lateNow'), width: 140, align: 'right', render: (_, s) => (s.lateNow > 0 ? <Tag color="red">{s.lateNow}</Tag> : 0) },
    { key: 'lateEver', title: t('tracking.admin.lateEver'), width: 140, align: 'right', dataIndex: 'lateEver' },
    { key: 'exceptions', title: t('tracking.admin.exceptions'), width: 160, align: 'right', render: (_, s) => (s.exceptions > 0 ? <Tag color="orange">{s.exceptions}</Tag> : 0) },
  ];
  const parcelColumns: TableColumnsType<ExceptionParcel> = [
    { key: 'store', title: t('tracking.admin.store'), render: (_, p) => names.get(p.merchantId) ?? <span className="fm-mono">{p.merchantId}</span> },
    {
      key: 'order',
      title: t('tracking.admin.order'),
      render: (_, p) => (
        <Typography.Text copyable className="fm-mono">
          {p.orderId}
        </Typography.Text>
      ),
    },
    {
      key: 'parcel',
      title: t('tracking.admin.parcel'),
      render: (_, p) => (
        <div className="fm-cell-stack">
          <span>{carrierName(p, language)}</span>
          <Typography.Text copyable className="fm-mono">
            {p.trackingNumber}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'problem',
      title: t('tracking.admin.problem'),
      render: (_, p) => (
        <div className="fm-cell-stack">
          {p.exception && <span className="fm-warn-text">{t(`tracking.exception.${p.exception.kind}`)}</span>}
          {p.latest && <span className="fm-muted">{p.latest.context}</span>}
        </div>
      ),
    },
    { key: 'since', title: t('tracking.admin.since'), width: 170, render: (_, p) => (p.exception ? formatDateTime(p.exception.at, language) : '') },
  ];

  return (
    <>
      <PageHead title={t('tracking.admin.title')} note={t('tracking.admin.note')} />
      <Card title={t('tracking.admin.stores')} className="fm-section">
        <QueryAlert error={stores.error} onRetry={() => void stores.refetch()} />
        <Table<StoreFulfillmentStats> rowKey="merchantId" columns={storeColumns} dataSource={stores.data ?? []} loading={stores.isPending} pagination={false} locale={{ emptyText: t('tracking.admin.noStores') }} scroll={{ x: 560 }} />
      </Card>
      <Card title={t('tracking.admin.exceptionParcels')} className="fm-section">
        <QueryAlert error={parcels.error} onRetry={() => void parcels.refetch()} />
        <Table<ExceptionParcel> rowKey="id" columns={parcelColumns} dataSource={parcels.data ?? []} loading={parcels.isPending} pagination={false} locale={{ emptyText: t('tracking.admin.noExceptions') }} scroll={{ x: 720 }} />
      </Card>
    </>
  );
}
