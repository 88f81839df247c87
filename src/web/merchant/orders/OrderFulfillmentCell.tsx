import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderSummary } from '../../shared/commerce';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { TrackingLine } from '../../shared/Tracking';
import { useTrackingSummary } from '../../shared/tracking';
import '../../shared/tracking.css';

const TRACKED = new Set(['to_ship', 'shipped', 'delivered', 'completed']);

/** In the store's order list: the shipping deadline (late flagged), parcel problems, the newest tracking line. */
export function OrderFulfillmentCell({ order }: { order: Pick<OrderSummary, 'id' | 'state'> }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { data } = useTrackingSummary('merchant', order.id, TRACKED.has(order.state));
  if (!data) return null;
  return (
    <>
      {data.late && order.state === 'to_ship' && (
        <span>
          <Tag color="red" data-testid="late-tag">
            {t('tracking.merchant.lateTag')}
          </Tag>
        </span>
      )}
      {!data.late && order.state === 'to_ship' && data.shipDeadlineAt && <span className="fm-muted">{t('tracking.merchant.shipBy', { time: formatDateTime(data.shipDeadlineAt, language) })}</span>}
      {data.exceptions > 0 && (
        <span>
          <Tag color="orange">{t('tracking.merchant.exceptionTag')}</Tag>
        </span>
      )}
      <TrackingLine summary={data} compact />
    </>
  );
}
