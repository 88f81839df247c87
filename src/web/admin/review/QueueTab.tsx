import { CheckOutlined, CloseOutlined, FieldTimeOutlined, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Popconfirm, Segmented, Select, Space, Table, Tag, Tooltip, TreeSelect, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError } from '../../shared/api';
import { useMe } from '../../shared/auth';
import { categoryName, type CategoryNode } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { useLanguage, type Language } from '../../shared/i18n';
import { QueryAlert } from '../../shared/PageHead';
import { RULE_KEYS, TASK_STATE_COLORS, TASK_STATES, type ReviewBulkResult, type ReviewTask, type ReviewTaskState, type RuleKey } from '../../shared/review';
import type { Page } from '../../shared/types';
import { ruleLabel } from '../../shared/ReviewFindings';
import { reviewKeys, useAdminCategoryTree, useCategoryLabel, useReviewErrorMessage, useStoreNames, useStoreSearch } from './hooks';
import { RejectModal } from './RejectModal';
import { RuleHitTags, WaitTag } from './ReviewBits';
import { TaskDetail } from './TaskDetail';

const WAITS = [60, 240, 1440] as const;
const CLAIMS = ['mine', 'free', 'others'] as const;
type ClaimFilter = (typeof CLAIMS)[number];

function treeOptions(nodes: CategoryNode[], language: Language): { value: string; title: string; children: ReturnType<typeof treeOptions> }[] {
  return nodes.map((n) => ({ value: n.id, title: categoryName(n, language), children: treeOptions(n.children, language) }));
}

/** 审核队列: the manual queue, filtered; a task opens in a drawer; several are decided at once. */
export function QueueTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const rawState = params.get('state') as ReviewTaskState | null;
  const state: ReviewTaskState = rawState && TASK_STATES.includes(rawState) ? rawState : 'queued';
  const rule = (RULE_KEYS as readonly string[]).includes(params.get('rule') ?? '') ? (params.get('rule') as RuleKey) : undefined;
  const categoryId = params.get('category') ?? undefined;
  const merchantId = params.get('store') ?? undefined;
  const minWait = Number(params.get('wait')) || undefined;
  const claim = (CLAIMS as readonly string[]).includes(params.get('claim') ?? '') ? (params.get('claim') as ClaimFilter) : undefined;
  const openId = params.get('task');
  const setParam = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    setParams(next, { replace: key === 'task' && value === undefined });
  };

  const tree = useAdminCategoryTree();
  const categoryLabel = useCategoryLabel();
  const [storeQuery, setStoreQuery] = useState('');
  const stores = useStoreSearch(storeQuery);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkRejecting, setBulkRejecting] = useState(false);
  const [bulkResult, setBulkResult] = useState<ReviewBulkResult | null>(null);

  const open = state === 'queued' || state === 'store_review';
  const query = { state, rule, categoryId, merchantId, minWaitMinutes: open ? minWait : undefined, claim: state === 'queued' ? claim : undefined, limit: 50 };
  const list = useInfiniteQuery({
    queryKey: [...reviewKeys.tasks, query],
    queryFn: ({ pageParam }) => api.get<Page<ReviewTask>>('/api/v1/admin/review/tasks', { ...query, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const storeNames = useStoreNames(rows.map((r) => r.merchantId));
  const titleOf = (taskId: string) => rows.find((r) => r.id === taskId)?.title ?? taskId;

  const bulk = useMutation({
    mutationFn: (body: { action: 'approve' | 'reject'; reason?: string; templateId?: string }) =>
      api.post<ReviewBulkResult>('/api/v1/admin/review/tasks/bulk', { ...body, taskIds: selected }),
    onSuccess: (result) => {
      setBulkResult(result);
      setSelected([]);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.all });
    },
  });
  const bulkApprove = () =>
    bulk.mutateAsync({ action: 'approve' }).then(
      (r) => void message.success(t('reviewAdmin.queue.bulkDone', { decided: r.summary.decided, failed: r.summary.failed })),
      (error: unknown) => void message.error(errorMessage(error)),
    );

  const columns: TableColumnsType<ReviewTask> = [
    {
      key: 'product',
      title: t('reviewAdmin.queue.product'),
      render: (_, task) => (
        <button type="button" className="fm-link-button fm-cell-stack fm-review-task-title" onClick={() => setParam('task', task.id)}>
          <span className="fm-product-title">{task.title}</span>
          <span className="fm-muted">
            {task.kind === 'revision' && <Tag color="blue">{t('reviewAdmin.kind.revision')}</Tag>}
            {storeNames.get(task.merchantId) ?? task.merchantId}
          </span>
          <span className="fm-review-xs-only">
            <RuleHitTags task={task} />
          </span>
        </button>
      ),
    },
    { key: 'category', title: t('reviewAdmin.queue.category'), width: 180, responsive: ['lg'], render: (_, task) => categoryLabel(task.categoryId) },
    { key: 'rules', title: t('reviewAdmin.queue.ruleHits'), width: 220, responsive: ['sm'], render: (_, task) => <RuleHitTags task={task} /> },
    open
      ? {
          key: 'wait',
          title: t('reviewAdmin.queue.waiting'),
          width: 150,
          render: (_, task) => <WaitTag task={task} />,
        }
      : {
          key: 'decided',
          title: t('reviewAdmin.queue.decidedAt'),
          width: 170,
          responsive: ['md'],
          render: (_, task) => (task.decidedAt ? <time dateTime={task.decidedAt}>{formatDateTime(task.decidedAt, language)}</time> : '-'),
        },
    state === 'queued'
      ? {
          key: 'claim',
          title: t('reviewAdmin.queue.claim'),
          width: 130,
          responsive: ['sm'],
          render: (_, task) =>
            !task.claim ? (
              <Tag icon={<UnlockOutlined />}>{t('reviewAdmin.claim.free')}</Tag>
            ) : task.claim.reviewerId === me?.id ? (
              <Tag color="green" icon={<LockOutlined />}>
                {t('reviewAdmin.claim.mine')}
              </Tag>
            ) : (
              <Tooltip title={t('reviewAdmin.claim.until', { time: formatDateTime(task.claim.until, language) })}>
                <Tag color="orange" icon={<LockOutlined />}>
                  {t('reviewAdmin.claim.others')}
                </Tag>
              </Tooltip>
            ),
        }
      : {
          key: 'state',
          title: t('reviewAdmin.queue.state'),
          width: 120,
          render: (_, task) => (
            <Space size={4} wrap>
              <Tag color={TASK_STATE_COLORS[task.state]}>{t(`reviewAdmin.state.${task.state}`)}</Tag>
              {task.automatic && <Tag>{t('reviewAdmin.queue.automatic')}</Tag>}
            </Space>
          ),
        },
  ];

  const filtersActive = rule || categoryId || merchantId || minWait || claim;

  return (
    <Card classNames={{ body: 'fm-table-card-body' }}>
      <div className="fm-list-toolbar fm-review-states">
        <Segmented<ReviewTaskState>
          value={state}
          onChange={(s) => {
            setSelected([]);
            setBulkResult(null);
            setParam('state', s === 'queued' ? undefined : s);
          }}
          options={TASK_STATES.map((s) => ({ value: s, label: t(`reviewAdmin.state.${s}`) }))}
        />
      </div>
      <div className="fm-review-filters" data-testid="queue-filters">
        <Select<RuleKey>
          allowClear
          placeholder={t('reviewAdmin.queue.filterRule')}
          aria-label={t('reviewAdmin.queue.filterRule')}
          value={rule}
          onChange={(v) => setParam('rule', v)}
          options={RULE_KEYS.map((r) => ({ value: r, label: ruleLabel(t, r) }))}
          popupMatchSelectWidth={false}
        />
        <TreeSelect
          allowClear
          showSearch={{ treeNodeFilterProp: 'title' }}
          placeholder={t('reviewAdmin.queue.filterCategory')}
          aria-label={t('reviewAdmin.queue.filterCategory')}
          value={categoryId}
          onChange={(v: string | undefined) => setParam('category', v)}
          treeData={treeOptions(tree.data ?? [], language)}
          popupMatchSelectWidth={false}
        />
        <Select<string>
          allowClear
          showSearch={{ filterOption: false, onSearch: setStoreQuery }}
          placeholder={t('reviewAdmin.queue.filterStore')}
          aria-label={t('reviewAdmin.queue.filterStore')}
          value={merchantId}
          onChange={(v) => setParam('store', v)}
          options={[
            ...(merchantId && !stores.data?.some((s) => s.id === merchantId) ? [{ value: merchantId, label: storeNames.get(merchantId) ?? merchantId }] : []),
            ...(stores.data ?? []).map((s) => ({ value: s.id, label: s.name })),
          ]}
          loading={stores.isFetching}
          popupMatchSelectWidth={false}
        />
        {open && (
          <Select<number>
            allowClear
            placeholder={t('reviewAdmin.queue.filterWait')}
            aria-label={t('reviewAdmin.queue.filterWait')}
            value={minWait}
            onChange={(v) => setParam('wait', v)}
            options={WAITS.map((w) => ({ value: w, label: t(`reviewAdmin.queue.waitOver.${w}`) }))}
            popupMatchSelectWidth={false}
          />
        )}
        {state === 'queued' && (
          <Select<ClaimFilter>
            allowClear
            placeholder={t('reviewAdmin.queue.filterClaim')}
            aria-label={t('reviewAdmin.queue.filterClaim')}
            value={claim}
            onChange={(v) => setParam('claim', v)}
            options={CLAIMS.map((c) => ({ value: c, label: t(`reviewAdmin.claim.${c}`) }))}
            popupMatchSelectWidth={false}
          />
        )}
        {filtersActive && (
          <Button type="link" onClick={() => setParams(state === 'queued' ? {} : { state })}>
            {t('reviewAdmin.queue.clearFilters')}
          </Button>
        )}
      </div>
      {state === 'queued' && selected.length > 0 && (
        <div className="fm-review-bulkbar" data-testid="bulk-bar">
          <span>{t('reviewAdmin.queue.selected', { count: selected.length })}</span>
          <Space wrap>
            <Button onClick={() => setSelected([])}>{t('reviewAdmin.queue.clearSelection')}</Button>
            <Button danger icon={<CloseOutlined />} onClick={() => setBulkRejecting(true)}>
              {t('reviewAdmin.queue.bulkReject')}
            </Button>
            <Popconfirm title={t('reviewAdmin.queue.bulkApproveConfirm', { count: selected.length })} onConfirm={bulkApprove}>
              <Button type="primary" icon={<CheckOutlined />} loading={bulk.isPending}>
                {t('reviewAdmin.queue.bulkApprove')}
              </Button>
            </Popconfirm>
          </Space>
        </div>
      )}
      {bulkResult && (
        <Alert
          className="fm-review-bulk-result"
          data-testid="bulk-result"
          type={bulkResult.summary.failed > 0 ? 'warning' : 'success'}
          showIcon
          closable={{ onClose: () => setBulkResult(null) }}
          title={t('reviewAdmin.queue.bulkDone', { decided: bulkResult.summary.decided, failed: bulkResult.summary.failed })}
          description={
            bulkResult.summary.failed > 0 && (
              <ul className="fm-issue-list">
                {bulkResult.items
                  .filter((i) => i.result === 'failed')
                  .map((i) => (
                    <li key={i.taskId}>
                      <strong>{titleOf(i.taskId)}</strong>：{i.error ? errorMessage(new ApiError({ status: 409, ...i.error })) : ''}
                    </li>
                  ))}
              </ul>
            )
          }
        />
      )}
      <QueryAlert error={list.error} onRetry={() => void list.refetch()} />
      <Table<ReviewTask>
        className="fm-review-queue"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage && !list.isRefetching}
        pagination={false}
        rowClassName={(task) => (task.overdue ? 'fm-review-overdue' : '')}
        rowSelection={
          state === 'queued'
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as string[]),
                getCheckboxProps: (task) => ({ disabled: task.claim !== null && task.claim.reviewerId !== me?.id, 'aria-label': task.title }),
              }
            : undefined
        }
        locale={{ emptyText: list.isPending ? ' ' : t(filtersActive ? 'reviewAdmin.queue.emptyFiltered' : 'reviewAdmin.queue.empty') }}
      />
      <div className="fm-table-footer">
        <span className="fm-muted">
          <FieldTimeOutlined /> {t('reviewAdmin.queue.loaded', { count: rows.length })}
        </span>
        {list.hasNextPage && (
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </div>
      <Drawer
        open={openId !== null}
        onClose={() => setParam('task', undefined)}
        title={t('reviewAdmin.detail.title')}
        size={Math.min(820, window.innerWidth)}
        destroyOnHidden
      >
        {openId && <TaskDetail id={openId} />}
      </Drawer>
      <RejectModal
        open={bulkRejecting}
        title={t('reviewAdmin.queue.bulkRejectTitle', { count: selected.length })}
        onSubmit={(body) => bulk.mutateAsync({ action: 'reject', ...body })}
        onClose={() => setBulkRejecting(false)}
      />
    </Card>
  );
}
