import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Image, Popconfirm, Segmented, Table, Tag, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { QueryAlert } from '../../shared/PageHead';
import { QUALIFICATION_STATE_COLORS, QUALIFICATION_STATES, type QualificationState, type StoreQualification } from '../../shared/review';
import type { Page } from '../../shared/types';
import { ReasonModal } from '../ReasonModal';
import { reviewKeys, useCategoryLabel, useReviewErrorMessage, useStoreNames } from './hooks';

const SOON_MS = 30 * 24 * 60 * 60 * 1000;

/** 资质审核: stores' documents for regulated categories; approve (valid until its expiry), reject, revoke. */
export function QualificationsTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const categoryLabel = useCategoryLabel();
  const [state, setState] = useState<QualificationState>('pending');
  const [refusing, setRefusing] = useState<{ q: StoreQualification; action: 'reject' | 'revoke' } | null>(null);

  const list = useInfiniteQuery({
    queryKey: [...reviewKeys.qualifications, state],
    queryFn: ({ pageParam }) => api.get<Page<StoreQualification>>('/api/v1/admin/review/qualifications', { state, limit: 50, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const storeNames = useStoreNames(rows.map((r) => r.merchantId));
  const decide = useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: 'approve' | 'reject' | 'revoke'; reason?: string }) =>
      api.post(`/api/v1/admin/review/qualifications/${id}/${action}`, reason === undefined ? undefined : { reason }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: reviewKeys.qualifications }),
  });
  const now = Date.now();

  const columns: TableColumnsType<StoreQualification> = [
    {
      key: 'name',
      title: t('reviewAdmin.qualifications.document'),
      render: (_, q) => (
        <span className="fm-cell-stack">
          <strong>{q.name}</strong>
          <span className="fm-muted fm-mono">{q.number}</span>
          <Image.PreviewGroup>
            <span className="fm-review-scans" aria-label={t('reviewAdmin.qualifications.scans', { count: q.images.length })}>
              {q.images.map((img) => (
                <Image key={img.id} src={img.smallUrl} alt="" width={56} height={56} preview={{ src: img.url }} />
              ))}
            </span>
          </Image.PreviewGroup>
        </span>
      ),
    },
    { key: 'store', title: t('reviewAdmin.queue.store'), width: 160, render: (_, q) => storeNames.get(q.merchantId) ?? q.merchantId },
    { key: 'category', title: t('reviewAdmin.queue.category'), width: 180, responsive: ['md'], render: (_, q) => categoryLabel(q.categoryId) },
    {
      key: 'expires',
      title: t('reviewAdmin.qualifications.expiresAt'),
      width: 170,
      render: (_, q) => {
        const left = new Date(q.expiresAt).getTime() - now;
        return (
          <span className="fm-cell-stack">
            <time dateTime={q.expiresAt}>{formatDateTime(q.expiresAt, language)}</time>
            {left <= 0 ? (
              <Tag color="error">{t('reviewAdmin.qualifications.expired')}</Tag>
            ) : left < SOON_MS ? (
              <Tag color="warning">{t('reviewAdmin.qualifications.expiresSoon')}</Tag>
            ) : null}
          </span>
        );
      },
    },
    {
      key: 'state',
      title: t('reviewAdmin.queue.state'),
      width: 130,
      render: (_, q) => (
        <span className="fm-cell-stack">
          <Tag color={QUALIFICATION_STATE_COLORS[q.state]}>{t(`reviewAdmin.qualifications.states.${q.state}`)}</Tag>
          {q.reason && <span className="fm-muted">{q.reason}</span>}
        </span>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 150,
      render: (_, q) => (
        <span className="fm-row-actions">
          {q.state === 'pending' && (
            <>
              <Popconfirm
                title={t('reviewAdmin.qualifications.approveConfirm', { time: formatDateTime(q.expiresAt, language) })}
                onConfirm={() =>
                  decide.mutateAsync({ id: q.id, action: 'approve' }).then(
                    () => void message.success(t('reviewAdmin.qualifications.approved')),
                    (e: unknown) => void message.error(errorMessage(e)),
                  )
                }
              >
                <Button type="link" size="small" disabled={new Date(q.expiresAt).getTime() <= now}>
                  {t('reviewAdmin.actions.approve')}
                </Button>
              </Popconfirm>
              <Button type="link" size="small" danger onClick={() => setRefusing({ q, action: 'reject' })}>
                {t('reviewAdmin.actions.reject')}
              </Button>
            </>
          )}
          {q.state === 'approved' && (
            <Button type="link" size="small" danger onClick={() => setRefusing({ q, action: 'revoke' })}>
              {t('reviewAdmin.qualifications.revoke')}
            </Button>
          )}
        </span>
      ),
    },
  ];

  return (
    <Card classNames={{ body: 'fm-table-card-body' }}>
      <div className="fm-list-toolbar">
        <Segmented<QualificationState>
          value={state}
          onChange={setState}
          options={QUALIFICATION_STATES.map((s) => ({ value: s, label: t(`reviewAdmin.qualifications.states.${s}`) }))}
        />
      </div>
      <QueryAlert error={list.error} onRetry={() => void list.refetch()} />
      <Table<StoreQualification>
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={list.isFetching && !list.isFetchingNextPage}
        pagination={false}
        locale={{ emptyText: list.isPending ? ' ' : t('reviewAdmin.qualifications.empty') }}
      />
      {list.hasNextPage && (
        <div className="fm-table-footer">
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
      <ReasonModal
        open={refusing !== null}
        title={refusing?.action === 'revoke' ? t('reviewAdmin.qualifications.revokeTitle') : t('reviewAdmin.qualifications.rejectTitle')}
        okText={refusing?.action === 'revoke' ? t('reviewAdmin.qualifications.revoke') : t('reviewAdmin.actions.reject')}
        onSubmit={(reason) =>
          decide.mutateAsync({ id: refusing!.q.id, action: refusing!.action, reason }).then(() => void message.success(t('reviewAdmin.qualifications.refused')))
        }
        onClose={() => setRefusing(null)}
      />
    </Card>
  );
}
