import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Progress, Row, Segmented, Statistic } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import type { ReviewStats } from '../../shared/review';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { ruleLabel } from '../../shared/ReviewFindings';
import { reviewKeys } from './hooks';
import { useWaitText } from './ReviewBits';

const PERIODS = [1, 7, 30, 90] as const;
type Period = (typeof PERIODS)[number];

/** A duration for people: `8 毫秒`, `1.4 秒`, `12 分钟`, `5 小时`, `2 天`. */
function useDurationText(): (ms: number | null) => string {
  const { t } = useTranslation();
  const waitText = useWaitText();
  return (ms) => {
    if (ms === null) return '-';
    if (ms < 1000) return t('reviewAdmin.dashboard.ms', { count: Math.round(ms) });
    if (ms < 60_000) return t('reviewAdmin.dashboard.s', { value: (ms / 1000).toFixed(1) });
    return waitText(ms);
  };
}

/** 审核看板: how the review performed in a period, and the manual queue now. */
export function DashboardTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const duration = useDurationText();
  const [days, setDays] = useState<Period>(7);
  const stats = useQuery({
    queryKey: [...reviewKeys.stats, days],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - days * 24 * 60 * 60 * 1000);
      return api.get<ReviewStats>('/api/v1/admin/review/stats', { from: from.toISOString(), to: to.toISOString() });
    },
    refetchInterval: 60_000,
  });

  const picker = (
    <Segmented<Period>
      value={days}
      onChange={setDays}
      options={PERIODS.map((d) => ({ value: d, label: t(`reviewAdmin.dashboard.periods.${d}`) }))}
      aria-label={t('reviewAdmin.dashboard.period')}
    />
  );
  if (stats.isPending) return <PageSpin />;
  if (stats.isError) return <LoadFailed error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  const decided = s.decisionTime.automatic.decided + s.decisionTime.manual.decided;
  const maxHits = Math.max(1, ...s.topRuleHits.map((h) => h.tasks));

  return (
    <div className="fm-review-dashboard" data-testid="review-dashboard">
      <div className="fm-review-dashboard-bar">
        {picker}
        <span className="fm-muted">
          {formatDateTime(s.period.from, language)} – {formatDateTime(s.period.to, language)}
        </span>
      </div>

      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('reviewAdmin.dashboard.submitted')} value={s.submitted} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card data-testid="automatic-share">
            <Statistic
              title={t('reviewAdmin.dashboard.automaticShare')}
              value={s.automaticShare === null ? '-' : Math.round(s.automaticShare * 1000) / 10}
              suffix={s.automaticShare === null ? undefined : '%'}
            />
            <span className="fm-muted">{t('reviewAdmin.dashboard.ofDecided', { count: decided })}</span>
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('reviewAdmin.dashboard.approved')} value={s.outcomes.approved} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic title={t('reviewAdmin.dashboard.rejected')} value={s.outcomes.rejected} />
          </Card>
        </Col>
      </Row>

      <Row gutter={[16, 16]} className="fm-section">
        <Col xs={24} lg={12}>
          <Card title={t('reviewAdmin.dashboard.decisionTime')} data-testid="decision-time">
            <table className="fm-review-timing">
              <thead>
                <tr>
                  <th />
                  <th>{t('reviewAdmin.dashboard.decided')}</th>
                  <th>{t('reviewAdmin.dashboard.p50')}</th>
                  <th>{t('reviewAdmin.dashboard.p90')}</th>
                </tr>
              </thead>
              <tbody>
                {(['automatic', 'manual'] as const).map((kind) => (
                  <tr key={kind}>
                    <th>{t(`reviewAdmin.dashboard.${kind}`)}</th>
                    <td>{s.decisionTime[kind].decided}</td>
                    <td>{duration(s.decisionTime[kind].p50Ms)}</td>
                    <td>{duration(s.decisionTime[kind].p90Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={t('reviewAdmin.dashboard.queue')}
            data-testid="queue-now"
            extra={
              <Link to="/admin/review">
                <Button type="link" size="small">
                  {t('reviewAdmin.dashboard.openQueue')}
                </Button>
              </Link>
            }
          >
            <Row gutter={[16, 16]}>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.queueSize')} value={s.queue.size} />
              </Col>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.claimed')} value={s.queue.claimed} />
              </Col>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.overdue')} value={s.queue.overdue} valueStyle={s.queue.overdue > 0 ? { color: '#cf1322' } : undefined} />
              </Col>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.oldestWait')} value={duration(s.queue.oldestWaitMs)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.medianWait')} value={duration(s.queue.medianWaitMs)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('reviewAdmin.dashboard.awaitingOwner')} value={s.queue.awaitingStoreOwner} />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>

      <Card title={t('reviewAdmin.dashboard.topRules')} className="fm-section" data-testid="top-rules">
        {s.topRuleHits.length === 0 ? (
          <p className="fm-muted">{t('reviewAdmin.dashboard.noHits')}</p>
        ) : (
          <ul className="fm-review-bars">
            {s.topRuleHits.map((h) => (
              <li key={h.rule}>
                <Link to={`/admin/review?rule=${h.rule}`} className="fm-review-bar-label">
                  {ruleLabel(t, h.rule)}
                </Link>
                <Progress percent={(h.tasks / maxHits) * 100} showInfo={false} strokeColor="#fa8c16" />
                <span className="fm-review-bar-value">{h.tasks}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
