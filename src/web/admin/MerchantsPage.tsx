import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Drawer, Input, Popconfirm, Segmented, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { MerchantStateTag } from '../shared/MerchantStateTag';
import type { Merchant, MerchantState } from '../shared/merchants';
import { PageHead, QueryAlert } from '../shared/PageHead';
import type { Page } from '../shared/types';
import { useTitle } from '../shared/useTitle';
import { ReasonModal } from './ReasonModal';

type Tab = 'applications' | 'stores';
type Filter = MerchantState | 'all';
type Action = 'approve' | 'reject' | 'suspend' | 'reactivate';

const FILTERS: Record<Tab, Filter[]> = {
  applications: ['applied', 'rejected'],
  stores: ['all', 'active', 'suspended'],
};

/** 商家: applications to approve or reject, and open stores to suspend or reactivate. */
export function MerchantsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'stores' ? 'stores' : 'applications';
  const rawFilter = params.get('state') as Filter | null;
  const filter: Filter = rawFilter && FILTERS[tab].includes(rawFilter) ? rawFilter : FILTERS[tab][0]!;
  const q = params.get('q')?.trim() ?? '';
  const [viewing, setViewing] = useState<Merchant | null>(null);
  const [asking, setAsking] = useState<{ merchant: Merchant; action: 'reject' | 'suspend' } | null>(null);
  useTitle(t('admin.merchants.title'));

  // "All stores" is the open ones: active and suspended, not applications.
  const states: MerchantState[] = filter === 'all' ? ['active', 'suspended'] : [filter];
  const list = useInfiniteQuery({
    queryKey: ['admin', 'merchants', states, q],
    queryFn: async ({ pageParam }) => {
      const pages = await Promise.all(
        states.map((state) => api.get<Page<Merchant>>('/api/v1/admin/merchants', { state, q, limit: 20, cursor: pageParam?.[state] })),
      );
      return {
        items: pages.flatMap((p) => p.items).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
        next: Object.fromEntries(states.map((s, i) => [s, pages[i]!.nextCursor])) as Record<string, string | null>,
      };
    },
    initialPageParam: null as Record<string, string | null> | null,
    // Only the states with more to load are asked again.
    getNextPageParam: (last) => (Object.values(last.next).some(Boolean) ? last.next : undefined),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const act = useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: Action; reason?: string }) =>
      api.post<{ merchant: Merchant }>(`/api/v1/admin/merchants/${id}/${action}`, reason === undefined ? {} : { reason }),
    onSuccess: ({ merchant }) => {
      void queryClient.invalidateQueries({ queryKey: ['admin', 'merchants'] });
      setViewing((v) => (v?.id === merchant.id ? merchant : v));
    },
  });
  const done: Record<Action, string> = {
    approve: t('admin.merchants.approved'),
    reject: t('admin.merchants.rejected'),
    suspend: t('admin.merchants.suspended'),
    reactivate: t('admin.merchants.reactivated'),
  };
  const run = (merchant: Merchant, action: Action, reason?: string) =>
    act.mutateAsync({ id: merchant.id, action, reason }).then(() => void message.success(done[action]));
  const runQuiet = (merchant: Merchant, action: Action) =>
    run(merchant, action).catch((error: unknown) => void message.error(errorMessage(error)));

  const actions = (m: Merchant) => (
    <Space size={0} wrap>
      <Button type="link" size="small" onClick={() => setViewing(m)}>
        {t('common.view')}
      </Button>
      {m.state === 'applied' && (
        <>
          <Popconfirm title={t('admin.merchants.approveConfirm', { name: m.name })} onConfirm={() => runQuiet(m, 'approve')}>
            <Button type="link" size="small">
              {t('admin.merchants.approve')}
            </Button>
          </Popconfirm>
          <Button type="link" size="small" danger onClick={() => setAsking({ merchant: m, action: 'reject' })}>
            {t('admin.merchants.reject')}
          </Button>
        </>
      )}
      {m.state === 'active' && (
        <Button type="link" size="small" danger onClick={() => setAsking({ merchant: m, action: 'suspend' })}>
          {t('admin.merchants.suspend')}
        </Button>
      )}
      {m.state === 'suspended' && (
        <Popconfirm title={t('admin.merchants.reactivateConfirm', { name: m.name })} onConfirm={() => runQuiet(m, 'reactivate')}>
          <Button type="link" size="small">
            {t('admin.merchants.reactivate')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );

  const columns: TableColumnsType<Merchant> = [
    {
      key: 'name',
      title: t('admin.merchants.store'),
      render: (_, m) => (
        <div className="fm-cell-stack">
          <strong>{m.name}</strong>
          <span className="fm-mono fm-muted">{m.creditCode}</span>
        </div>
      ),
    },
    {
      key: 'contact',
      title: t('admin.merchants.contact'),
      responsive: ['md'],
      render: (_, m) => (
        <div className="fm-cell-stack">
          <span>
            {m.contactName} · {m.contactMobile}
          </span>
          <span className="fm-muted">{m.contactEmail}</span>
        </div>
      ),
    },
    {
      key: 'state',
      title: t('admin.merchants.state'),
      width: 100,
      render: (_, m) => <MerchantStateTag state={m.state} />,
    },
    ...(tab === 'applications' && filter === 'rejected'
      ? [{ key: 'reason', title: t('admin.reason'), dataIndex: 'stateReason', ellipsis: true, responsive: ['lg' as const] }]
      : []),
    {
      key: 'at',
      title: tab === 'applications' ? t('admin.merchants.appliedAt') : t('admin.merchants.approvedAt'),
      width: 190,
      responsive: ['lg'],
      render: (_, m) => {
        const iso = tab === 'applications' ? m.createdAt : (m.approvedAt ?? m.createdAt);
        return <time dateTime={iso}>{formatDateTime(iso, language)}</time>;
      },
    },
    { key: 'actions', title: t('common.actions'), width: 190, render: (_, m) => actions(m) },
  ];

  const setQuery = (next: Record<string, string>) => {
    const merged = { tab, state: filter, q, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };

  return (
    <>
      <PageHead
        title={t('admin.merchants.title')}
        extra={
          <Input.Search
            key={q}
            className="fm-page-search"
            defaultValue={q}
            allowClear
            placeholder={t('admin.merchants.searchPlaceholder')}
            aria-label={t('admin.merchants.searchPlaceholder')}
            onSearch={(value) => setQuery({ q: value.trim() })}
          />
        }
      />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Tabs
            activeKey={tab}
            onChange={(key) => setParams(key === 'stores' ? { tab: 'stores' } : {})}
            items={[
              { key: 'applications', label: t('admin.merchants.applications') },
              { key: 'stores', label: t('admin.merchants.stores') },
            ]}
          />
          <Segmented<Filter>
            value={filter}
            onChange={(value) => setQuery({ state: value })}
            options={FILTERS[tab].map((f) => ({ value: f, label: f === 'all' ? t('admin.merchants.allOpen') : t(`merchantStates.${f}`) }))}
          />
        </div>
        <QueryAlert error={list.error} onRetry={() => void list.refetch()} />
        <Table<Merchant>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isFetching && !list.isFetchingNextPage}
          pagination={false}
          locale={{ emptyText: list.isPending ? ' ' : t('admin.merchants.empty') }}
        />
        <div className="fm-table-footer">
          <span className="fm-muted">{t('admin.merchants.loaded', { count: rows.length })}</span>
          {list.hasNextPage && (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      </Card>

      <Drawer
        open={viewing !== null}
        onClose={() => setViewing(null)}
        title={viewing?.name}
        size={Math.min(520, window.innerWidth)}
        extra={viewing && <MerchantStateTag state={viewing.state} />}
        footer={viewing && <div className="fm-drawer-actions">{actions(viewing)}</div>}
      >
        {viewing && (
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'credit', label: t('merchant.store.creditCode'), children: <span className="fm-mono">{viewing.creditCode}</span> },
              { key: 'contact', label: t('merchant.store.contactName'), children: viewing.contactName },
              { key: 'mobile', label: t('merchant.store.contactMobile'), children: viewing.contactMobile },
              { key: 'email', label: t('merchant.store.contactEmail'), children: viewing.contactEmail },
              {
                key: 'description',
                label: t('merchant.store.description'),
                children: viewing.description || <span className="fm-muted">-</span>,
              },
              ...(viewing.stateReason ? [{ key: 'reason', label: t('admin.reason'), children: viewing.stateReason }] : []),
              { key: 'applied', label: t('admin.merchants.appliedAt'), children: formatDateTime(viewing.createdAt, language) },
              ...(viewing.approvedAt
                ? [{ key: 'approved', label: t('admin.merchants.approvedAt'), children: formatDateTime(viewing.approvedAt, language) }]
                : []),
              {
                key: 'id',
                label: 'ID',
                children: (
                  <Typography.Text copyable className="fm-id">
                    {viewing.id}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Drawer>

      <ReasonModal
        open={asking !== null}
        title={
          asking?.action === 'suspend'
            ? t('admin.merchants.suspendTitle', { name: asking.merchant.name })
            : t('admin.merchants.rejectTitle', { name: asking?.merchant.name ?? '' })
        }
        okText={asking?.action === 'suspend' ? t('admin.merchants.suspend') : t('admin.merchants.reject')}
        presets={asking?.action === 'suspend' ? [t('admin.merchants.presets.complaints')] : [t('admin.merchants.presets.license'), t('admin.merchants.presets.contact')]}
        onSubmit={(reason) => run(asking!.merchant, asking!.action, reason)}
        onClose={() => setAsking(null)}
      />
    </>
  );
}
