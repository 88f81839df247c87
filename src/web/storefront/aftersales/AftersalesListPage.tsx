import { CustomerServiceOutlined, ShopOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type Aftersales, useAftersalesList } from '../../shared/aftersales';
import { AftersalesAmount, AftersalesStateTag, useAftersalesNote } from '../../shared/Aftersales';
import { ButtonLink } from '../../shared/ButtonLink';
import { ItemLine } from '../../shared/CommerceBits';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { QueryAlert } from '../../shared/PageHead';
import { PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';

/** 我的售后: the buyer's requests, those in progress first (进行中 / 全部). */
export function AftersalesListPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const all = params.get('tab') === 'all';
  useTitle(t('aftersales.title'));
  const list = useAftersalesList('buyer', all ? {} : { open: 'true' }, 10);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="fm-shop-page">
      <div className="fm-shop-head">
        <h1 className="fm-shop-title">{t('aftersales.title')}</h1>
        <Link to="/orders" className="fm-small-link">
          {t('myOrders.title')}
        </Link>
      </div>
      <Tabs
        className="fm-order-tabs"
        activeKey={all ? 'all' : 'open'}
        onChange={(key) => setParams(key === 'all' ? { tab: 'all' } : {})}
        items={[
          { key: 'open', label: <span data-testid="as-tab-open">{t('aftersales.open')}</span> },
          { key: 'all', label: <span data-testid="as-tab-all">{t('aftersales.all')}</span> },
        ]}
      />
      <QueryAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending ? (
        <PageSpin />
      ) : rows.length === 0 ? (
        <Card>
          <Empty image={<CustomerServiceOutlined className="fm-empty-icon" />} description={all ? t('aftersales.empty') : t('aftersales.emptyOpen')}>
            <ButtonLink to="/orders">{t('myOrders.title')}</ButtonLink>
          </Empty>
        </Card>
      ) : (
        <ul className="fm-plain-list fm-order-list">
          {rows.map((a) => (
            <li key={a.id}>
              <AftersalesCard aftersales={a} />
            </li>
          ))}
        </ul>
      )}
      {list.hasNextPage && (
        <div className="fm-load-more">
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}

function AftersalesCard({ aftersales: a }: { aftersales: Aftersales }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const note = useAftersalesNote();
  return (
    <Card
      size="small"
      className="fm-order-card"
      data-testid="aftersales-card"
      title={
        <div className="fm-order-card-head">
          <ShopOutlined />
          <span className="fm-order-store">{a.storeName}</span>
          <span className="fm-muted fm-order-date fm-desktop-only">{formatDateTime(a.createdAt, language)}</span>
        </div>
      }
      extra={<AftersalesStateTag state={a.state} />}
    >
      <Link to={`/aftersales/${a.id}`} className="fm-order-items">
        <ItemLine item={{ ...a.item, quantity: a.quantity }} />
      </Link>
      <p className="fm-order-notice fm-muted">{note(a)}</p>
      <div className="fm-order-card-foot">
        <span className="fm-order-total">
          {t(`aftersales.kind.${a.kind}`)} · <AftersalesAmount aftersales={a} />
        </span>
        <ButtonLink to={`/aftersales/${a.id}`} size="small" data-testid="aftersales-view">
          {t('aftersales.view')}
        </ButtonLink>
      </div>
    </Card>
  );
}
