import { AppstoreAddOutlined, DatabaseOutlined, KeyOutlined, ShopOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Avatar, Card, List, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../shared/api';
import { STATUS_COLORS, type ProductSummary } from '../shared/catalog';
import { MerchantStateTag } from '../shared/MerchantStateTag';
import { useStore } from '../shared/merchants';
import { PageHead } from '../shared/PageHead';
import { OwnerQueueNotice } from './review/StoreReviewPage';
import type { Page } from '../shared/types';
import { useTitle } from '../shared/useTitle';

/** 概览: the store at a glance, shortcuts, and the products that need the merchant. */
export function OverviewPage() {
  const { t } = useTranslation();
  const { data: store } = useStore();
  useTitle(t('merchant.nav.overview'));
  const attention = useQuery({
    queryKey: ['merchant', 'products', { status: 'rejected', overview: true }],
    queryFn: () => api.get<Page<ProductSummary>>('/api/v1/merchant/products', { status: 'rejected', limit: 5 }),
  });
  const recent = useQuery({
    queryKey: ['merchant', 'products', { overview: true }],
    queryFn: () => api.get<Page<ProductSummary>>('/api/v1/merchant/products', { limit: 5 }),
  });
  const shortcuts = [
    { to: '/merchant/products/new', icon: <AppstoreAddOutlined />, label: t('merchant.products.new') },
    { to: '/merchant/import', icon: <UploadOutlined />, label: t('merchant.nav.import') },
    { to: '/merchant/stock', icon: <DatabaseOutlined />, label: t('merchant.nav.stock') },
    { to: '/merchant/api-keys', icon: <KeyOutlined />, label: t('merchant.nav.apiKeys') },
  ];
  const productList = (items: ProductSummary[] | undefined, loading: boolean, empty: string) => (
    <List
      loading={loading}
      dataSource={items ?? []}
      locale={{ emptyText: empty }}
      renderItem={(p) => (
        <List.Item extra={<Tag color={STATUS_COLORS[p.status]}>{t(`productStatus.${p.status}`)}</Tag>}>
          <Link to={`/merchant/products/${p.id}`} className="fm-product-title">
            {p.title}
          </Link>
        </List.Item>
      )}
    />
  );

  return (
    <>
      <PageHead title={t('merchant.nav.overview')} />
      <OwnerQueueNotice />
      <Card className="fm-section fm-store-card">
        <Avatar shape="square" size={64} src={store?.logoUrl ?? undefined} icon={<ShopOutlined />} className="fm-store-logo" />
        <div className="fm-cell-stack">
          <strong className="fm-store-card-name">{store?.name}</strong>
          <span>{store && <MerchantStateTag state={store.state} />}</span>
        </div>
        <Link to="/merchant/settings" className="fm-store-card-link">
          {t('merchant.nav.settings')}
        </Link>
      </Card>
      <div className="fm-shortcuts fm-section">
        {shortcuts.map((s) => (
          <Link key={s.to} to={s.to} className="fm-shortcut">
            <span className="fm-shortcut-icon">{s.icon}</span>
            <span>{s.label}</span>
          </Link>
        ))}
      </div>
      <div className="fm-two-col">
        <Card title={t('merchant.overview.rejected')} className="fm-two-col-main">
          {productList(attention.data?.items, attention.isPending, t('merchant.overview.noRejected'))}
        </Card>
        <Card title={t('merchant.overview.recent')} className="fm-two-col-side" extra={<Link to="/merchant/products">{t('common.viewAll')}</Link>}>
          {productList(recent.data?.items, recent.isPending, t('merchant.products.empty'))}
        </Card>
      </div>
    </>
  );
}
