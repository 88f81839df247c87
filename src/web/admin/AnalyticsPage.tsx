import { DownloadOutlined, WarningOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Row, Segmented, Select, Table, Tag, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { funnelOutcomeSchema, funnelStepSchema, Funnel, Steps } from '../../modules/analytics/contract';
import { api } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';
import './analytics.css';

type FunnelStep = z.infer<typeof funnelStepSchema>;
type FunnelOutcome = z.infer<typeof funnelOutcomeSchema>;
type Step = Steps['steps'][number];

const DAY_MS = 24 * 60 * 60 * 1000;
const PERIODS = [7, 30, 90] as const;
type PeriodDays = (typeof PERIODS)[number];
// The lifecycles offered (the server's `stepObjectTypes`, kept here so no server code is bundled).
const OBJECT_TYPES = ['order', 'payment', 'shipment', 'refund', 'aftersales', 'product', 'product_revision', 'review_task', 'merchant', 'store_qualification'] as const;
type ObjectType = (typeof OBJECT_TYPES)[number];

/** `[from, to)` ending now (to the minute, so the query key stays put while the page is open). */
function periodOf(days: PeriodDays) {
  const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
}

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 1000) / 10}%`);

/** An event type in words (`order.pay` → 支付), the type itself when there are none. */
function eventLabel(t: TFunction, type: string): string {
  return t(`analytics.events.${type}` as never, { defaultValue: type }) as string;
}

/** A duration for people, two units at most: `850 毫秒`, `12.5 秒`, `2 小时 30 分钟`, `3 天 4 小时`. */
export function useDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    if (ms < 1000) return t('analytics.duration.ms', { count: Math.round(ms) });
    if (ms < 60_000) return t('analytics.duration.s', { value: (ms / 1000).toFixed(1) });
    const units = [
      { key: 'd', size: DAY_MS },
      { key: 'h', size: 3_600_000 },
      { key: 'm', size: 60_000 },
    ] as const;
    let left = Math.round(ms / 60_000) * 60_000;
    const parts: string[] = [];
    for (const unit of units) {
      const count = Math.floor(left / unit.size);
      left -= count * unit.size;
      if (count > 0 || parts.length > 0) parts.push(count > 0 ? t(`analytics.duration.${unit.key}`, { count }) : '');
      if (parts.length === 2) break;
    }
    const [a, b] = parts.filter(Boolean);
    return b ? t('analytics.duration.join', { a, b }) : a!;
  };
}

/** 流程分析: the funnels, the step durations with their bottleneck, and the exports. */
export function AnalyticsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  useTitle(t('analytics.title'));
  const [days, setDays] = useState<PeriodDays>(30);
  const [objectType, setObjectType] = useState<ObjectType>('order');
  const period = useMemo(() => periodOf(days), [days]);

  const funnel = useQuery({
    queryKey: ['admin', 'analytics', 'funnel', period],
    queryFn: () => api.get<{ funnel: Funnel }>('/api/v1/admin/analytics/funnel', period).then((r) => r.funnel),
  });
  const steps = useQuery({
    queryKey: ['admin', 'analytics', 'steps', objectType, period],
    queryFn: () => api.get<{ steps: Steps }>('/api/v1/admin/analytics/steps', { ...period, objectType }).then((r) => r.steps),
  });
  const query = new URLSearchParams(period).toString();

  const picker = (
    <Segmented<PeriodDays>
      value={days}
      onChange={setDays}
      options={PERIODS.map((d) => ({ value: d, label: t(`analytics.presets.d${d}`) }))}
      aria-label={t('analytics.period')}
      data-testid="analytics-period"
    />
  );

  return (
    <div className="fm-analytics" data-testid="analytics-page">
      <PageHead title={t('analytics.title')} note={t('analytics.intro')} />
      <div className="fm-analytics-bar">
        {picker}
        <span className="fm-muted">
          {formatDateTime(period.from, language)} – {formatDateTime(period.to, language)}
        </span>
        <span className="fm-analytics-downloads">
          <Button icon={<DownloadOutlined />} href={`/api/v1/admin/analytics/export.ocel.json?${query}`} download data-testid="download-ocel">
            {t('analytics.download.ocel')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={`/api/v1/admin/analytics/export.csv?${query}&objectType=${objectType}`}
            download
            title={t('analytics.download.csvHint', { type: t(`analytics.objectTypes.${objectType}`) })}
            data-testid="download-csv"
          >
            {t('analytics.download.csv')}
          </Button>
        </span>
      </div>

      <QueryAlert error={funnel.error} onRetry={() => void funnel.refetch()} />
      {funnel.isPending ? (
        <PageSpin />
      ) : funnel.data ? (
        <Row gutter={[16, 16]} className="fm-section">
          <Col xs={24} xl={12}>
            <FunnelCard title={t('analytics.funnels.shopping')} steps={funnel.data.shopping.steps} outcomes={funnel.data.shopping.outcomes.slice(0, 1)} note={t('analytics.funnels.cartsNote')} testId="funnel-shopping" />
          </Col>
          <Col xs={24} xl={12}>
            <Row gutter={[16, 16]}>
              <Col span={24}>
                <FunnelCard title={t('analytics.funnels.listing')} steps={funnel.data.listing.steps} outcomes={funnel.data.listing.outcomes} testId="funnel-listing" />
              </Col>
              <Col span={24}>
                <FunnelCard title={t('analytics.funnels.merchants')} steps={funnel.data.merchants.steps} outcomes={funnel.data.merchants.outcomes} testId="funnel-merchants" />
              </Col>
            </Row>
          </Col>
        </Row>
      ) : null}

      <Card
        title={t('analytics.steps.title')}
        className="fm-section"
        data-testid="analytics-steps"
        extra={
          <Select<ObjectType>
            value={objectType}
            onChange={setObjectType}
            options={OBJECT_TYPES.map((type) => ({ value: type, label: t(`analytics.objectTypes.${type}`) }))}
            aria-label={t('analytics.steps.objectType')}
            popupMatchSelectWidth={false}
            style={{ minWidth: 120 }}
            data-testid="steps-object-type"
          />
        }
      >
        <QueryAlert error={steps.error} onRetry={() => void steps.refetch()} />
        <StepsTable steps={steps.data} loading={steps.isPending} />
      </Card>
    </div>
  );
}

function FunnelCard({ title, steps, outcomes, note, testId }: { title: string; steps: FunnelStep[]; outcomes: FunnelOutcome[]; note?: string; testId: string }) {
  const { t } = useTranslation();
  const widest = Math.max(1, ...steps.map((s) => s.count));
  const empty = steps.every((s) => s.count === 0);
  return (
    <Card title={title} data-testid={testId} size="small">
      {empty ? (
        <p className="fm-muted">{t('analytics.funnels.empty')}</p>
      ) : (
        <ol className="fm-funnel">
          {steps.map((step, i) => (
            <li key={step.key} data-testid={`funnel-step-${step.key}`}>
              <span className="fm-funnel-label">{t(`analytics.stage.${step.key}` as never, { defaultValue: step.key }) as string}</span>
              <span className="fm-funnel-track">
                <span className="fm-funnel-bar" style={{ width: `${Math.max(step.count > 0 ? 2 : 0, (step.count / widest) * 100)}%` }} />
              </span>
              <span className="fm-funnel-count">{step.count}</span>
              <span className="fm-funnel-rate">
                {i > 0 && (
                  <>
                    <strong>{percent(step.fromPrevious)}</strong>
                    <span className="fm-muted">{t('analytics.funnels.fromFirst', { value: percent(step.fromFirst) })}</span>
                  </>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      {!empty && outcomes.length > 0 && (
        <div className="fm-funnel-outcomes">
          {outcomes.map((o) => (
            <Tag key={o.key} color={o.key === 'open' ? 'default' : 'red'}>
              {t(`analytics.outcome.${o.key}` as never, { defaultValue: o.key }) as string} {o.count} · {percent(o.share)}
            </Tag>
          ))}
        </div>
      )}
      {note && !empty && <p className="fm-funnel-note fm-muted">{note}</p>}
    </Card>
  );
}

function StepsTable({ steps, loading }: { steps: Steps | undefined; loading: boolean }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const bottleneck = steps?.steps.find((s) => s.bottleneck);
  const widest = Math.max(1, ...(steps?.steps ?? []).map((s) => s.medianMs));
  const columns: TableColumnsType<Step> = [
    {
      key: 'step',
      title: t('analytics.steps.step'),
      render: (_, s) => (
        <span className="fm-step">
          <span>
            {eventLabel(t, s.from)} → {eventLabel(t, s.to)}
          </span>
          {s.bottleneck && (
            <Tag color="red" icon={<WarningOutlined />} data-testid="bottleneck-tag">
              {t('analytics.steps.bottleneck')}
            </Tag>
          )}
          <span className="fm-step-types fm-mono">
            {s.from} → {s.to}
          </span>
        </span>
      ),
    },
    { key: 'count', title: t('analytics.steps.count'), dataIndex: 'count', align: 'right', width: 64 },
    {
      key: 'median',
      title: t('analytics.steps.median'),
      align: 'right',
      width: 130,
      render: (_, s) => (
        <span className="fm-step-median">
          <span className="fm-step-median-bar" style={{ width: `${(s.medianMs / widest) * 100}%` }} />
          <span>{duration(s.medianMs)}</span>
        </span>
      ),
    },
    // On a phone the step, its count and its median are what matters; p90 and max from sm up.
    { key: 'p90', title: t('analytics.steps.p90'), align: 'right', width: 110, responsive: ['sm'], render: (_, s) => duration(s.p90Ms) },
    { key: 'max', title: t('analytics.steps.max'), align: 'right', width: 110, responsive: ['sm'], render: (_, s) => duration(s.maxMs) },
  ];
  return (
    <>
      {bottleneck && (
        <Alert
          type="warning"
          showIcon
          className="fm-analytics-bottleneck"
          data-testid="bottleneck-note"
          title={t('analytics.steps.bottleneckNote', { step: `${eventLabel(t, bottleneck.from)} → ${eventLabel(t, bottleneck.to)}`, duration: duration(bottleneck.medianMs) })}
        />
      )}
      <Table<Step>
        rowKey={(s) => `${s.from} ${s.to}`}
        columns={columns}
        dataSource={steps?.steps ?? []}
        loading={loading}
        pagination={false}
        size="middle"
        rowClassName={(s) => (s.bottleneck ? 'fm-step-bottleneck' : '')}
        locale={{ emptyText: t('analytics.steps.empty') }}
        data-testid="steps-table"
      />
      {steps && steps.steps.length > 0 && <p className="fm-muted fm-analytics-objects">{t('analytics.steps.objects', { count: steps.objects })}</p>}
    </>
  );
}
