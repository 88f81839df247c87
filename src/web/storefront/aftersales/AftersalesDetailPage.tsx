import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAftersales } from '../../shared/aftersales';
import { AftersalesActions, AftersalesFacts, AftersalesTimeline, useAftersalesNote } from '../../shared/Aftersales';
import '../../shared/commerce.css';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';

/** 售后详情: where the request stands, what the buyer may do now, and every step so far. */
export function AftersalesDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  useTitle(t('aftersales.detailTitle'));
  const query = useAftersales('buyer', id);
  const note = useAftersalesNote();

  if (query.isPending) return <PageSpin />;
  if (query.error) return <LoadFailed error={query.error} onRetry={() => void query.refetch()} />;
  const a = query.data;
  const tone = a.state === 'rejected' ? 'fm-warn-text' : 'fm-muted';
  return (
    <div className="fm-shop-page fm-order-detail" data-testid="aftersales-detail">
      <Link to="/aftersales" className="fm-small-link">
        <ArrowLeftOutlined /> {t('aftersales.back')}
      </Link>
      <Card>
        <div className="fm-order-status">
          <div>
            <h1 className="fm-order-status-title" data-testid="aftersales-state">
              {t(`aftersales.state.${a.state}`)}
            </h1>
            <p className={`fm-order-status-note ${tone}`}>{note(a)}</p>
          </div>
          <AftersalesActions aftersales={a} viewer="buyer" />
        </div>
      </Card>
      <Card title={a.storeName}>
        <AftersalesFacts
          aftersales={a}
          extra={
            <>
              <div className="fm-as-fact">
                <dt>{t('aftersales.requestNo')}</dt>
                <dd>
                  <Typography.Text copyable className="fm-mono">
                    {a.id}
                  </Typography.Text>
                </dd>
              </div>
              <div className="fm-as-fact">
                <dt>{t('aftersales.orderNo')}</dt>
                <dd>
                  <Link to={`/orders/${a.orderId}`} className="fm-mono">
                    {a.orderId}
                  </Link>
                </dd>
              </div>
            </>
          }
        />
      </Card>
      <Card title={t('aftersales.timelineTitle')}>
        <AftersalesTimeline aftersales={a} />
      </Card>
    </div>
  );
}
