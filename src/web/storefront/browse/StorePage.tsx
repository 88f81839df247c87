import { ShopOutlined } from '@ant-design/icons';
import { Avatar, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../../shared/api';
import { useLanguage } from '../../shared/i18n';
import { LoadFailed, NotFound, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { type PublicStore, useStore } from './api';
import { Listing } from './Listing';

export function StoreBanner({ store, compact = false }: { store: PublicStore; compact?: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <div className={compact ? 'fm-storecard fm-storecard-compact' : 'fm-storecard'} data-testid="store-card">
      <Avatar size={compact ? 48 : 64} src={store.logoUrl ?? undefined} icon={<ShopOutlined />} className="fm-storecard-logo" />
      <div className="fm-storecard-text">
        <strong>{store.name}</strong>
        {!compact && store.description && <p>{store.description}</p>}
        <span className="fm-muted">
          {t('shop.store.stats', { products: store.productCount, sold: store.unitsSold })}
          {store.openedAt && ` · ${t('shop.store.since', { date: new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(store.openedAt)) })}`}
        </span>
      </div>
    </div>
  );
}

/** /s/:id — a store's page: who they are, and their products with the same filters as a category. */
export function StorePage() {
  const { id = '' } = useParams();
  const store = useStore(id);
  useTitle(store.data?.name);
  if (store.isPending) return <PageSpin />;
  if (store.isError) return store.error instanceof ApiError && store.error.status === 404 ? <NotFound /> : <LoadFailed error={store.error} onRetry={() => void store.refetch()} />;
  return (
    <div className="fm-browse">
      <Card className="fm-store-banner">
        <StoreBanner store={store.data} />
      </Card>
      <Listing key={id} fixed={{ store: id }} />
    </div>
  );
}
