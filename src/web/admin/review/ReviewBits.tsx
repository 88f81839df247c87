import { ClockCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, SEVERITY_COLORS, waitParts, type ReviewTask, type Severity } from '../../shared/review';
import { ruleLabel } from '../../shared/ReviewFindings';

/** How long, in words: `26 小时`, `3 天`. */
export function useWaitText(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms: number) => {
    const { unit, value } = waitParts(ms);
    return t(`reviewAdmin.wait.${unit}`, { count: value });
  };
}

/** The waiting time of an open task; past 24 hours a red tag says it is overdue. */
export function WaitTag({ task }: { task: ReviewTask }) {
  const { t } = useTranslation();
  const waitText = useWaitText();
  if (task.waitingMs === null) return <span className="fm-muted">-</span>;
  return (
    <span className="fm-review-wait">
      <span>
        <ClockCircleOutlined /> {waitText(task.waitingMs)}
      </span>
      {task.overdue && (
        <Tag color="error" icon={<WarningOutlined />} className="fm-review-overdue-tag">
          {t('reviewAdmin.queue.overdue')}
        </Tag>
      )}
    </span>
  );
}

/** One tag per rule that found something, coloured by its most severe finding. */
export function RuleHitTags({ task }: { task: ReviewTask }) {
  const { t } = useTranslation();
  const worst = new Map<string, Severity>();
  for (const f of task.findings) {
    const seen = worst.get(f.rule);
    if (!seen || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(seen)) worst.set(f.rule, f.severity);
  }
  const rules = [...new Set([...task.ruleHits, ...worst.keys()])];
  if (rules.length === 0) return <span className="fm-muted">{t('reviewAdmin.queue.noHits')}</span>;
  return (
    <span className="fm-tags">
      {rules.map((rule) => (
        <Tag key={rule} color={SEVERITY_COLORS[worst.get(rule) ?? 'review']}>
          {ruleLabel(t, rule)}
        </Tag>
      ))}
    </span>
  );
}

export function SeverityTag({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <Tag color={SEVERITY_COLORS[severity]}>{t(`reviewAdmin.severity.${severity}`)}</Tag>;
}
