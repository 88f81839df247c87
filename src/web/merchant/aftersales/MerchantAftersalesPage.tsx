import { Button, Card, Drawer, Grid, Tabs, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { type Aftersales, type AftersalesState, useAftersales, useAftersalesList } from '../../shared/aftersales';
import { AftersalesActions, AftersalesFacts, aftersalesFactColumns, AftersalesTimeline, useOpenRequest } from '../../shared/Aftersales';
import { ItemThumb } from '../../shared/CommerceBits';
import { specText } from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { PagedTable } from '../../shared/PagedTable';
import { PageHead } from '../../shared/PageHead';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';

// 进行中 first: what the store has to work through; then the states that ask something of it.
const TABS = ['open', 'requested', 'awaiting_return', 'returned', 'escalated', 'all'] as const;
type TabKey = (typeof TABS)[number];
const isTab = (value: string | null): value is TabKey => TABS.includes(value as TabKey);

/** 售后: the store's after-sales requests by state, each opening a drawer to answer it. */
export function MerchantAftersalesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('state');
  const tab: TabKey = isTab(raw) ? raw : 'open';
  const [openId, show] = useOpenRequest();
  const wide = Grid.useBreakpoint().md ?? true;
  useTitle(t('aftersales.merchant.title'));

  const filter = tab === 'open' ? { open: 'true' as const } : tab === 'all' ? {} : { state: tab as AftersalesState };
  const list = useAftersalesList('merchant', filter);

  const columns: TableColumnsType<Aftersales> = [
    { key: 'item', title: t('aftersales.merchant.item'), render: (_, a) => <ItemCell aftersales={a} /> },
    ...aftersalesFactColumns(t),
    ...(wide
      ? [
          {
            key: 'reason',
            title: t('aftersales.merchant.reason'),
            render: (_: unknown, a: Aftersales) => (
              <div>
                <div>{t(`aftersales.reason.${a.reason}`)}</div>
                {a.description && <div className="fm-muted">{a.description}</div>}
              </div>
            ),
          },
          { key: 'respondBy', title: t('aftersales.merchant.respondBy'), width: 170, render: (_: unknown, a: Aftersales) => <RespondBy aftersales={a} language={language} /> },
        ]
      : []),
    {
      key: 'view',
      width: 80,
      render: (_, a) => (
        <Button type="link" size="small" onClick={() => show(a.id)} data-testid="mas-view">
          {t('common.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHead title={t('aftersales.merchant.title')} note={t('aftersales.merchant.note')} />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Tabs
            className="fm-status-tabs"
            activeKey={tab}
            onChange={(key) => setParams(key === 'open' ? {} : { state: key })}
            items={TABS.map((key) => ({ key, label: <span data-testid={`mas-tab-${key}`}>{t(`aftersales.merchant.tabs.${key}`)}</span> }))}
          />
        </div>
        <PagedTable<Aftersales>
          rowKey="id"
          query={list}
          columns={columns}
          empty={t('aftersales.merchant.empty')}
          onRow={(a) => ({ onClick: () => show(a.id) })}
          rowClassName="fm-as-row"
          scroll={{ x: 'max-content' }}
        />
      </Card>
      <Drawer open={Boolean(openId)} onClose={() => show(null)} size={Math.min(560, window.innerWidth)} title={openId ? t('aftersales.merchant.detail', { id: openId }) : ''} destroyOnHidden>
        {openId && <MerchantAftersalesDetail id={openId} />}
      </Drawer>
    </>
  );
}

function ItemCell({ aftersales: a }: { aftersales: Aftersales }) {
  const specs = specText(a.item.specs);
  return (
    <div className="fm-as-item-cell">
      <ItemThumb src={a.item.imageUrl} size="sm" />
      <span className="fm-as-item-cell-text">
        <span className="fm-item-title">{a.item.title}</span>
        <span className="fm-muted">
          {specs && `${specs} · `}× {a.quantity}
        </span>
      </span>
    </div>
  );
}

function RespondBy({ aftersales: a, language }: { aftersales: Aftersales; language: string }) {
  const { t } = useTranslation();
  if (a.state !== 'requested' || !a.respondBy) return <span className="fm-muted">-</span>;
  const late = new Date(a.respondBy).getTime() < Date.now();
  return (
    <span className={late ? 'fm-warn-text' : undefined}>
      {formatDateTime(a.respondBy, language)}
      {late && <Tag color="red">{t('aftersales.merchant.overdue')}</Tag>}
    </span>
  );
}

function MerchantAftersalesDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const query = useAftersales('merchant', id);
  if (query.isPending) return <PageSpin />;
  if (query.error) return <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data;
  return (
    <div data-testid="mas-detail">
      <div className="fm-order-status">
        <h2 className="fm-order-status-title" data-testid="mas-state">
          {t(`aftersales.state.${a.state}`)}
        </h2>
        <AftersalesActions aftersales={a} viewer="merchant" />
      </div>
      <div className="fm-as-drawer-section">
        <AftersalesFacts
          aftersales={a}
          extra={
            a.state === 'requested' && a.respondBy ? (
              <div className="fm-as-fact">
                <dt>{t('aftersales.facts.respondBy')}</dt>
                <dd>{formatDateTime(a.respondBy, language)}</dd>
              </div>
            ) : null
          }
        />
      </div>
      <div className="fm-as-drawer-section">
        <h3>{t('aftersales.timelineTitle')}</h3>
        <AftersalesTimeline aftersales={a} />
      </div>
    </div>
  );
}
