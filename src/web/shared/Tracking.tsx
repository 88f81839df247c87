import { CarOutlined, CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { Alert, Badge, Button, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from './format';
import { useLanguage } from './i18n';
import { carrierName, SHIPMENT_STATE_COLORS, type Shipment, type ShipmentState, type StreamState, type TrackingSummary } from './tracking';
import './tracking.css';

const FOLDED = 4;

export function ShipmentStateTag({ state }: { state: ShipmentState }) {
  const { t } = useTranslation();
  return (
    <Tag color={SHIPMENT_STATE_COLORS[state]} className="fm-state-tag" data-testid="parcel-state">
      {t(`tracking.state.${state}`)}
    </Tag>
  );
}

/** Whether the page is receiving live updates. */
export function LiveIndicator({ state }: { state: StreamState }) {
  const { t } = useTranslation();
  if (state === 'connecting') return null;
  return state === 'live' ? (
    <span className="fm-live" data-testid="live-indicator">
      <Badge status="processing" color="green" text={t('tracking.live')} />
    </span>
  ) : (
    <span className="fm-live fm-warn-text">
      <Badge status="warning" text={t('tracking.reconnecting')} />
    </span>
  );
}

type ItemInfo = { id: string; title: string; specs: Record<string, string> };

/** One parcel: carrier, number (copyable), state, what is in it, and its timeline, newest first. */
export function ParcelCard({ shipment, index, items }: { shipment: Shipment; index: number; items: ItemInfo[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [all, setAll] = useState(false);
  const events = [...shipment.events].reverse();
  const shown = all ? events : events.slice(0, FOLDED);
  const contents = shipment.items
    .map((line) => {
      const item = items.find((i) => i.id === line.orderItemId);
      if (!item) return null;
      const specs = Object.values(item.specs).join(' / ');
      return `${item.title}${specs ? `（${specs}）` : ''} × ${line.quantity}`;
    })
    .filter(Boolean)
    .join('；');
  return (
    <section className="fm-parcel" data-testid="parcel" aria-label={t('tracking.parcel', { n: index + 1 })}>
      <header className="fm-parcel-head">
        <span className="fm-parcel-title">
          <CarOutlined /> {t('tracking.parcel', { n: index + 1 })}
        </span>
        <ShipmentStateTag state={shipment.state} />
        <span className="fm-parcel-carrier">{carrierName(shipment, language)}</span>
        <Typography.Text
          className="fm-mono fm-parcel-number"
          data-testid="tracking-number"
          copyable={{ text: shipment.trackingNumber, tooltips: [t('tracking.copyNumber'), t('tracking.numberCopied')] }}
        >
          {shipment.trackingNumber}
        </Typography.Text>
      </header>
      {shipment.exception && <Alert type="error" showIcon icon={<WarningFilled />} className="fm-parcel-alert" title={t(`tracking.exception.${shipment.exception.kind}`)} />}
      {contents && <p className="fm-muted fm-parcel-items">{t('tracking.items', { items: contents })}</p>}
      {events.length === 0 ? (
        <p className="fm-parcel-waiting">{t('tracking.waitingPickup')}</p>
      ) : (
        <Timeline
          className="fm-parcel-timeline"
          data-testid="parcel-timeline"
          items={shown.map((e, i) => ({
            key: e.id,
            color: i === 0 && !all ? (shipment.state === 'exception' ? 'red' : shipment.state === 'delivered' ? 'green' : 'blue') : 'gray',
            icon: i === 0 && shipment.state === 'delivered' ? <CheckCircleFilled /> : undefined,
            content: (
              <div className={i === 0 ? 'fm-track-event fm-track-latest' : 'fm-track-event'} data-testid="tracking-event">
                <div className="fm-track-context">
                  {e.status && <span className="fm-track-status">{e.status}</span>}
                  {e.context}
                </div>
                <div className="fm-muted fm-track-time">{formatDateTime(e.at, language)}</div>
              </div>
            ),
          }))}
        />
      )}
      <footer className="fm-parcel-foot fm-muted">
        <span>{t('tracking.shippedAt', { time: formatDateTime(shipment.shippedAt, language) })}</span>
        {shipment.deliveredAt && <span>{t('tracking.deliveredAt', { time: formatDateTime(shipment.deliveredAt, language) })}</span>}
        {events.length > FOLDED && (
          <Button type="link" size="small" onClick={() => setAll(!all)}>
            {all ? t('tracking.showLess') : `${t('tracking.showAll')}（${t('tracking.eventCount', { count: events.length })}）`}
          </Button>
        )}
      </footer>
    </section>
  );
}

/** The newest tracking line of an order, for lists. */
export function TrackingLine({ summary, compact = false }: { summary: TrackingSummary | null | undefined; compact?: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const latest = summary?.latest;
  if (!latest) return null;
  return (
    <p className={`fm-tracking-line${latest.state === 'exception' ? ' fm-tracking-line-alert' : ''}${compact ? ' fm-tracking-line-compact' : ''}`} data-testid="tracking-line">
      <CarOutlined />
      <span className="fm-tracking-line-state">{t(`tracking.state.${latest.state}`)}</span>
      <span className="fm-tracking-line-text">{latest.context ?? t('tracking.waitingPickup')}</span>
      {latest.at && !compact && <span className="fm-muted fm-tracking-line-time">{formatDateTime(latest.at, language)}</span>}
      {summary.parcels > 1 && <span className="fm-muted">· {t('tracking.merchant.parcels', { delivered: summary.delivered, count: summary.parcels })}</span>}
      <span className="fm-sr-only">{carrierName(latest, language)}</span>
    </p>
  );
}
