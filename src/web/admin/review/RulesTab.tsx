import { HistoryOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Tag, Timeline, TreeSelect } from 'antd';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { categoryName, type CategoryNode } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { FormErrorAlert } from '../../shared/forms';
import { useLanguage, type Language } from '../../shared/i18n';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { SEVERITIES, type ReviewRule, type ReviewRuleChange, type RuleKey, type Severity } from '../../shared/review';
import { ruleLabel } from '../../shared/ReviewFindings';
import { reviewKeys, useAdminCategoryTree, useUserName } from './hooks';
import { SeverityTag } from './ReviewBits';

type Params = Record<string, unknown>;
type RuleForm = { enabled: boolean; severity: Severity; params: Params; json: Record<string, string> };

const FRACTIONS = new Set(['share', 'lowShare', 'threshold']);

function categoryTree(nodes: CategoryNode[], language: Language): { value: string; title: string; children: ReturnType<typeof categoryTree> }[] {
  return nodes.map((n) => ({ value: n.id, title: categoryName(n, language), children: categoryTree(n.children, language) }));
}

/** 审核规则: each built-in rule's switch, severity and parameters, with its change history. */
export function RulesTab() {
  const rules = useQuery({
    queryKey: reviewKeys.rules,
    queryFn: () => api.get<{ items: ReviewRule[] }>('/api/v1/admin/review/rules').then((r) => r.items),
  });
  const [historyOf, setHistoryOf] = useState<RuleKey | null>(null);
  if (rules.isPending) return <PageSpin />;
  if (rules.isError) return <LoadFailed error={rules.error} onRetry={() => void rules.refetch()} />;
  return (
    <div className="fm-review-rules">
      {rules.data.map((rule) => (
        <RuleCard key={rule.rule} rule={rule} onHistory={() => setHistoryOf(rule.rule)} />
      ))}
      <RuleHistory rule={historyOf} onClose={() => setHistoryOf(null)} />
    </div>
  );
}

function RuleCard({ rule, onHistory }: { rule: ReviewRule; onHistory: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const tree = useAdminCategoryTree();
  const [form] = Form.useForm<RuleForm>();
  const [error, setError] = useState<unknown>(null);
  const [dirty, setDirty] = useState(false);
  const entries = Object.entries(rule.params);
  const json = Object.fromEntries(entries.filter(([, v]) => typeof v === 'object' && v !== null && !Array.isArray(v)).map(([k, v]) => [k, JSON.stringify(v, null, 2)]));

  const save = useMutation({
    mutationFn: (body: { enabled: boolean; severity: Severity; params: Params }) => api.put<{ rule: ReviewRule }>(`/api/v1/admin/review/rules/${rule.rule}`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: reviewKeys.rules });
      void queryClient.invalidateQueries({ queryKey: reviewKeys.ruleChanges(rule.rule) });
    },
  });

  const field = (key: string, value: unknown) => {
    const label = t(`reviewAdmin.rules.params.${key}`, { defaultValue: key });
    if (key === 'categoryIds') {
      return (
        <Form.Item key={key} name={['params', key]} label={label} className="fm-review-param-wide">
          <TreeSelect multiple treeCheckable={false} allowClear showSearch={{ treeNodeFilterProp: 'title' }} treeData={categoryTree(tree.data ?? [], language)} />
        </Form.Item>
      );
    }
    if (Array.isArray(value)) {
      return (
        <Form.Item key={key} name={['params', key]} label={label} extra={t('reviewAdmin.rules.tagsHint')} className="fm-review-param-wide">
          <Select mode="tags" tokenSeparators={[',', '，', '\n']} open={false} suffixIcon={null} aria-label={label} />
        </Form.Item>
      );
    }
    if (typeof value === 'boolean') {
      return (
        <Form.Item key={key} name={['params', key]} label={label} valuePropName="checked">
          <Switch aria-label={label} />
        </Form.Item>
      );
    }
    if (typeof value === 'number') {
      const fraction = FRACTIONS.has(key);
      return (
        <Form.Item key={key} name={['params', key]} label={label}>
          <InputNumber min={0} step={fraction ? 0.05 : 1} precision={fraction ? 2 : key === 'highMultiple' ? 1 : 0} aria-label={label} />
        </Form.Item>
      );
    }
    return (
      <Form.Item key={key} name={['json', key]} label={label} extra={t('reviewAdmin.rules.jsonHint')} className="fm-review-param-wide">
        <Input.TextArea rows={4} className="fm-mono" aria-label={label} />
      </Form.Item>
    );
  };

  return (
    <Card
      className="fm-review-rule"
      data-testid={`rule-${rule.rule}`}
      title={
        <Space wrap size={8}>
          <span>{ruleLabel(t, rule.rule)}</span>
          <SeverityTag severity={rule.severity} />
          {!rule.enabled && <Tag>{t('reviewAdmin.rules.off')}</Tag>}
          {rule.customized && <Tag color="blue">{t('reviewAdmin.rules.customized')}</Tag>}
        </Space>
      }
      extra={
        <Button type="link" icon={<HistoryOutlined />} onClick={onHistory}>
          {t('reviewAdmin.rules.history')}
        </Button>
      }
    >
      <p className="fm-muted">{t(`reviewAdmin.rules.descriptions.${rule.rule}`)}</p>
      <FormErrorAlert error={error} />
      <Form<RuleForm>
        form={form}
        layout="vertical"
        initialValues={{ enabled: rule.enabled, severity: rule.severity, params: rule.params, json }}
        onValuesChange={() => setDirty(true)}
        onFinish={async (values) => {
          setError(null);
          const params: Params = { ...rule.params, ...values.params };
          try {
            for (const [key, text] of Object.entries(values.json ?? {})) params[key] = JSON.parse(text) as unknown;
          } catch {
            setError(new Error(t('reviewAdmin.rules.badJson')));
            return;
          }
          try {
            await save.mutateAsync({ enabled: values.enabled, severity: values.severity, params });
            setDirty(false);
            void message.success(t('reviewAdmin.rules.saved'));
          } catch (e) {
            setError(e);
          }
        }}
      >
        <div className="fm-review-params">
          <Form.Item name="enabled" label={t('reviewAdmin.rules.enabled')} valuePropName="checked">
            <Switch aria-label={t('reviewAdmin.rules.enabled')} />
          </Form.Item>
          <Form.Item name="severity" label={t('reviewAdmin.rules.severity')} tooltip={t('reviewAdmin.rules.severityHint')}>
            <Select<Severity>
              className="fm-review-severity"
              aria-label={t('reviewAdmin.rules.severity')}
              options={SEVERITIES.map((s) => ({ value: s, label: t(`reviewAdmin.severity.${s}`) }))}
            />
          </Form.Item>
          {entries.map(([key, value]) => field(key, value))}
        </div>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!dirty}>
            {t('common.save')}
          </Button>
          {rule.updatedAt && (
            <span className="fm-muted">{t('reviewAdmin.rules.updated', { time: formatDateTime(rule.updatedAt, language) })}</span>
          )}
        </Space>
      </Form>
    </Card>
  );
}

/** What a change did, in short: switched on/off, severity, which parameters (with added and removed words). */
function changeSummary(before: unknown, after: unknown, t: TFunction): string[] {
  const b = (before ?? {}) as { enabled?: boolean; severity?: string; params?: Params };
  const a = (after ?? {}) as { enabled?: boolean; severity?: string; params?: Params };
  const lines: string[] = [];
  if (b.enabled !== a.enabled) lines.push(a.enabled ? t('reviewAdmin.rules.change.on') : t('reviewAdmin.rules.change.off'));
  if (b.severity !== a.severity && a.severity) lines.push(t('reviewAdmin.rules.change.severity', { from: b.severity ? t(`reviewAdmin.severity.${b.severity as Severity}`) : '-', to: t(`reviewAdmin.severity.${a.severity as Severity}`) }));
  const keys = new Set([...Object.keys(b.params ?? {}), ...Object.keys(a.params ?? {})]);
  for (const key of keys) {
    const from = b.params?.[key];
    const to = a.params?.[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const name = t(`reviewAdmin.rules.params.${key}`, { defaultValue: key });
    if (Array.isArray(from) && Array.isArray(to)) {
      const added = to.filter((x) => !from.includes(x));
      const removed = from.filter((x) => !to.includes(x));
      lines.push(`${name}: ${[added.length ? `+ ${added.join('、')}` : '', removed.length ? `− ${removed.join('、')}` : ''].filter(Boolean).join('；')}`);
    } else {
      lines.push(`${name}: ${JSON.stringify(from) ?? '-'} → ${JSON.stringify(to)}`);
    }
  }
  return lines.length ? lines : [t('reviewAdmin.rules.change.none')];
}

function RuleHistory({ rule, onClose }: { rule: RuleKey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const changes = useQuery({
    queryKey: reviewKeys.ruleChanges(rule ?? ''),
    queryFn: () => api.get<{ items: ReviewRuleChange[] }>(`/api/v1/admin/review/rules/${rule}/changes`).then((r) => r.items),
    enabled: rule !== null,
  });
  return (
    <Modal open={rule !== null} onCancel={onClose} footer={null} title={rule ? t('reviewAdmin.rules.historyOf', { rule: ruleLabel(t, rule) }) : ''} destroyOnHidden>
      {changes.isPending ? (
        <PageSpin />
      ) : changes.isError ? (
        <LoadFailed error={changes.error} onRetry={() => void changes.refetch()} />
      ) : changes.data.length === 0 ? (
        <p className="fm-muted">{t('reviewAdmin.rules.noChanges')}</p>
      ) : (
        <Timeline
          data-testid="rule-history"
          items={changes.data.map((c, i) => ({ key: `${c.at}-${i}`, content: <ChangeEntry change={c} /> }))}
        />
      )}
    </Modal>
  );
}

function ChangeEntry({ change }: { change: ReviewRuleChange }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const who = useUserName(change.actor.kind === 'user' ? change.actor.id : undefined);
  return (
    <div className="fm-cell-stack">
      <span className="fm-muted">
        {formatDateTime(change.at, language)} · {who ?? change.actor.id}
      </span>
      {changeSummary(change.before, change.after, t).map((line) => (
        <span key={line}>{line}</span>
      ))}
    </div>
  );
}
