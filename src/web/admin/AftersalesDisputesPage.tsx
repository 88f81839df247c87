import { Button, Card, Drawer, Tabs, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type Aftersales, useAftersales, useAftersalesList } from '../shared/aftersales';
import { AftersalesActions, AftersalesFacts, aftersalesFactColumns, AftersalesTimeline, useOpenRequest } from '../shared/Aftersales';
import { ItemThumb } from '../shared/CommerceBits';
import '../shared/commerce.css';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { PagedTable } from '../shared/PagedTable';
import { PageHead } from '../shared/PageHead';
import { LoadFailed, PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';

/** 售后仲裁: requests a store refused and the buyer brought to the platform; hear both, then rule. */
export function AftersalesDisputesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [params, setParams] = useSearchParams();
  const all = params.get('tab') === 'all';
  const [openId, show] = useOpenRequest();
  useTitle(t('aftersales.admin.title'));
  const list = useAftersalesList('admin', all ? {} : { state: 'escalated' });

  const columns: TableColumnsType<Aftersales> = [
    {
      key: 'item',
      title: t('aftersales.merchant.item'),
      render: (_, a) => (
        <div className="fm-as-item-cell">
          <ItemThumb src={a.item.imageUrl} size="sm" />
          <span className="fm-as-item-cell-text">
            <span className="fm-item-title">{a.item.title}</span>
            <span className="fm-muted">
              {a.storeName} · × {a.quantity}
            </span>
          </span>
        </div>
      ),
    },
    ...aftersalesFactColumns(t),
    { key: 'updatedAt', title: t('aftersales.createdAt'), width: 170, render: (_, a) => formatDateTime(a.createdAt, language) },
    {
      key: 'view',
      width: 80,
      render: (_, a) => (
        <Button type="link" size="small" onClick={() => show(a.id)} data-testid="dispute-view">
          {t('common.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHead title={t('aftersales.admin.title')} note={t('aftersales.admin.note')} />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Tabs
            className="fm-status-tabs"
            activeKey={all ? 'all' : 'escalated'}
            onChange={(key) => setParams(key === 'all' ? { tab: 'all' } : {})}
            items={[
              { key: 'escalated', label: t('aftersales.admin.tabs.escalated') },
              { key: 'all', label: t('aftersales.admin.tabs.all') },
            ]}
          />
        </div>
        <PagedTable<Aftersales> rowKey="id" query={list} columns={columns} empty={t('aftersales.admin.empty')} scroll={{ x: 'max-content' }} />
      </Card>
      <Drawer open={Boolean(openId)} onClose={() => show(null)} size={Math.min(640, window.innerWidth)} title={openId ? t('aftersales.merchant.detail', { id: openId }) : ''} destroyOnHidden>
        {openId && <DisputeDetail id={openId} />}
      </Drawer>
    </>
  );
}

function DisputeDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const query = useAftersales('admin', id);
  if (query.isPending) return <PageSpin />;
  if (query.error) return <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data;
  return (
    <div data-testid="dispute-detail">
      <div className="fm-order-status">
        <h2 className="fm-order-status-title" data-testid="dispute-state">
          {t(`aftersales.state.${a.state}`)}
        </h2>
        <AftersalesActions aftersales={a} viewer="admin" />
      </div>
      <div className="fm-as-sides">
        <Card size="small" title={t('aftersales.admin.buyerSide')} className="fm-as-side" data-testid="buyer-side">
          <p>
            <strong>{t(`aftersales.reason.${a.reason}`)}</strong>
          </p>
          {a.description && <p>{a.description}</p>}
          {a.escalationReason && <p className="fm-as-said">{a.escalationReason}</p>}
        </Card>
        <Card size="small" title={t('aftersales.admin.merchantSide')} className="fm-as-side" data-testid="merchant-side">
          <p>{a.rejectReason ?? '-'}</p>
        </Card>
      </div>
      <div className="fm-as-drawer-section">
        <AftersalesFacts aftersales={a} showStore />
      </div>
      <div className="fm-as-drawer-section">
        <h3>{t('aftersales.timelineTitle')}</h3>
        <AftersalesTimeline aftersales={a} />
      </div>
    </div>
  );
}
