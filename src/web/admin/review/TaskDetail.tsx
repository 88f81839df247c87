import { CheckOutlined, CloseOutlined, LockOutlined, PictureOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Image, Popconfirm, Space, Table, Tag, Timeline } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { useMe } from '../../shared/auth';
import { attributeName, categoryPath, type Product } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { HtmlPreview } from '../../shared/HtmlPreview';
import { useLanguage } from '../../shared/i18n';
import { formatFen } from '../../shared/money';
import { TASK_STATE_COLORS, type ReviewContent, type ReviewTask } from '../../shared/review';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import type { Page } from '../../shared/types';
import { reviewKeys, useAdminCategoryTree, useCategoryLabel, useReviewErrorMessage, useStoreNames, useUserName } from './hooks';
import { RejectModal, type RejectInput } from './RejectModal';
import { ReviewFindings } from '../../shared/ReviewFindings';
import { RuleHitTags, WaitTag } from './ReviewBits';

/** A task in the drawer: the content as submitted, the findings, earlier decisions, the claim and the decision. */
export function TaskDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [rejecting, setRejecting] = useState(false);
  const categoryLabel = useCategoryLabel();
  const tree = useAdminCategoryTree();

  const task = useQuery({
    queryKey: reviewKeys.task(id),
    queryFn: () => api.get<{ task: ReviewTask }>(`/api/v1/admin/review/tasks/${id}`).then((r) => r.task),
  });
  const productId = task.data?.productId;
  // Image addresses and stock live on the product; the task keeps what was submitted.
  const product = useQuery({
    queryKey: ['admin', 'product', productId],
    queryFn: () => api.get<{ product: Product }>(`/api/v1/admin/products/${productId}`).then((r) => r.product),
    enabled: productId !== undefined,
  });
  const history = useQuery({
    queryKey: reviewKeys.history(productId ?? ''),
    queryFn: () => api.get<Page<ReviewTask>>(`/api/v1/admin/review/products/${productId}/history`, { limit: 20 }).then((r) => r.items),
    enabled: productId !== undefined,
  });
  const storeNames = useStoreNames(task.data ? [task.data.merchantId] : []);
  const claimHolder = useUserName(task.data?.claim?.reviewerId);

  const act = useMutation({
    mutationFn: ({ action, body }: { action: 'claim' | 'release' | 'approve' | 'reject'; body?: RejectInput }) =>
      api.post<{ task: ReviewTask }>(`/api/v1/admin/review/tasks/${id}/${action}`, body ?? {}).then((r) => r.task),
    onSuccess: (next) => {
      queryClient.setQueryData(reviewKeys.task(id), next);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.tasks });
      void queryClient.invalidateQueries({ queryKey: reviewKeys.stats });
      if (productId) void queryClient.invalidateQueries({ queryKey: reviewKeys.history(productId) });
    },
    onError: () => void task.refetch(), // someone else may have claimed or decided it meanwhile
  });
  const run = (action: 'claim' | 'release' | 'approve', done: string) =>
    act.mutateAsync({ action }).then(
      () => void message.success(done),
      (error: unknown) => void message.error(errorMessage(error)),
    );

  if (task.isPending) return <PageSpin />;
  if (task.isError) return <LoadFailed error={task.error} onRetry={() => void task.refetch()} />;
  const tk = task.data;
  const content: ReviewContent | undefined = tk.content;
  const mine = tk.claim !== null && tk.claim.reviewerId === me?.id;
  const othersClaim = tk.claim !== null && !mine;
  const defs = categoryPath(tree.data ?? [], tk.categoryId).at(-1)?.attributes ?? [];
  const defName = (key: string) => {
    const def = defs.find((d) => d.key === key);
    return def ? attributeName(def, language) : key;
  };
  const images = product.data?.images ?? [];
  const stockOf = (code: string) => product.data?.skus.find((s) => s.code === code)?.onHand;
  const earlier = (history.data ?? []).filter((h) => h.id !== tk.id);

  return (
    <div className="fm-review-detail" data-testid="review-detail">
      <div className="fm-review-head">
        <div>
          <h2>{tk.title}</h2>
          <Space size={4} wrap>
            <Tag color={TASK_STATE_COLORS[tk.state]}>{t(`reviewAdmin.state.${tk.state}`)}</Tag>
            {tk.kind === 'revision' && <Tag color="blue">{t('reviewAdmin.kind.revision')}</Tag>}
            <RuleHitTags task={tk} />
          </Space>
        </div>
        {tk.state === 'queued' && <WaitTag task={tk} />}
      </div>

      {tk.state === 'queued' && (
        <Alert
          className="fm-section"
          data-testid="claim-status"
          type={mine ? 'success' : othersClaim ? 'warning' : 'info'}
          showIcon
          icon={tk.claim ? <LockOutlined /> : <UnlockOutlined />}
          title={
            mine
              ? t('reviewAdmin.claim.heldByMe', { time: formatDateTime(tk.claim!.until, language) })
              : othersClaim
                ? t('reviewAdmin.claim.heldBy', { name: claimHolder ?? '', time: formatDateTime(tk.claim!.until, language) })
                : t('reviewAdmin.claim.claimFirst')
          }
          action={
            mine ? (
              <Button size="small" onClick={() => void run('release', t('reviewAdmin.claim.released'))} loading={act.isPending && act.variables.action === 'release'}>
                {t('reviewAdmin.claim.release')}
              </Button>
            ) : othersClaim ? undefined : (
              <Button size="small" type="primary" onClick={() => void run('claim', t('reviewAdmin.claim.claimed'))} loading={act.isPending && act.variables.action === 'claim'}>
                {t('reviewAdmin.claim.claim')}
              </Button>
            )
          }
        />
      )}

      <h3 className="fm-subhead">{t('reviewAdmin.detail.findings', { count: tk.findings.length })}</h3>
      <ReviewFindings findings={tk.findings} content={content} hints={false} />

      {tk.state !== 'queued' && tk.decidedAt && <Decision task={tk} />}

      {content && (
        <>
          <h3 className="fm-subhead">{t('reviewAdmin.detail.content')}</h3>
          {content.subtitle && <p className="fm-muted">{content.subtitle}</p>}
          {content.imageIds.length > 0 ? (
            <Image.PreviewGroup>
              <div className="fm-review-images">
                {content.imageIds.map((imageId, i) => {
                  const img = images.find((x) => x.id === imageId);
                  return (
                    <div key={imageId} className="fm-review-image">
                      {img ? (
                        <Image src={img.smallUrl} alt="" preview={{ src: img.url }} />
                      ) : (
                        <span className="fm-thumb-empty fm-review-image-missing">
                          <PictureOutlined />
                        </span>
                      )}
                      {i === 0 && <span className="fm-image-main">{t('merchant.editor.mainImage')}</span>}
                    </div>
                  );
                })}
              </div>
            </Image.PreviewGroup>
          ) : (
            <p className="fm-muted">{t('reviewAdmin.detail.noImages')}</p>
          )}
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2 }}
            className="fm-section"
            items={[
              { key: 'store', label: t('reviewAdmin.queue.store'), children: storeNames.get(tk.merchantId) ?? tk.merchantId },
              { key: 'category', label: t('reviewAdmin.queue.category'), children: categoryLabel(content.categoryId) },
              { key: 'brand', label: t('merchant.editor.brand'), children: content.brand || '-' },
              { key: 'submitted', label: t('reviewAdmin.detail.submittedAt'), children: formatDateTime(tk.submittedAt, language) },
              ...Object.entries(content.attributes).map(([key, value]) => ({ key: `attr-${key}`, label: defName(key), children: value })),
              ...content.specs.map((dim) => ({ key: `spec-${dim.key}`, label: defName(dim.key), children: dim.values.join(' / ') })),
            ]}
          />
          <h3 className="fm-subhead">{t('reviewAdmin.detail.skus', { count: content.skus.length })}</h3>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={content.skus}
            scroll={{ x: 420 }}
            columns={[
              { key: 'code', title: t('merchant.editor.skuCode'), dataIndex: 'code', render: (c: string) => <span className="fm-mono">{c}</span> },
              { key: 'price', title: t('merchant.editor.price'), dataIndex: 'price', render: (f: number) => formatFen(f) },
              { key: 'list', title: t('merchant.editor.listPrice'), dataIndex: 'listPrice', render: (f: number | null) => (f === null ? '-' : formatFen(f)) },
              { key: 'stock', title: t('merchant.editor.stock'), render: (_: unknown, s: { code: string }) => stockOf(s.code) ?? '-' },
            ]}
          />
          <h3 className="fm-subhead">{t('merchant.editor.description')}</h3>
          <HtmlPreview html={content.description} height={240} />
        </>
      )}

      <h3 className="fm-subhead">{t('reviewAdmin.detail.history')}</h3>
      {earlier.length === 0 ? (
        <p className="fm-muted">{t('reviewAdmin.detail.noHistory')}</p>
      ) : (
        <Timeline
          className="fm-review-history"
          items={earlier.map((h) => ({
            key: h.id,
            color: h.state === 'approved' ? 'green' : h.state === 'rejected' ? 'red' : 'gray',
            content: <HistoryEntry task={h} />,
          }))}
        />
      )}

      {tk.state === 'queued' && (
        <div className="fm-review-actions">
          <Space wrap>
            <Button danger icon={<CloseOutlined />} disabled={!mine} onClick={() => setRejecting(true)}>
              {t('reviewAdmin.actions.reject')}
            </Button>
            <Popconfirm title={t('reviewAdmin.actions.approveConfirm')} onConfirm={() => run('approve', t('reviewAdmin.actions.approved'))} disabled={!mine}>
              <Button type="primary" icon={<CheckOutlined />} disabled={!mine} loading={act.isPending && act.variables.action === 'approve'}>
                {t('reviewAdmin.actions.approve')}
              </Button>
            </Popconfirm>
          </Space>
        </div>
      )}
      <RejectModal
        open={rejecting}
        title={t('reviewAdmin.actions.rejectTitle')}
        onSubmit={(body) => act.mutateAsync({ action: 'reject', body }).then(() => void message.success(t('reviewAdmin.actions.rejected')))}
        onClose={() => setRejecting(false)}
      />
    </div>
  );
}

/** Who closed a task, when, and why. */
function Decision({ task }: { task: ReviewTask }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const decider = useUserName(task.decidedBy?.as === 'reviewer' ? (task.decidedBy.id ?? undefined) : undefined);
  return (
    <Descriptions
      size="small"
      column={1}
      className="fm-section"
      data-testid="decision"
      items={[
        { key: 'outcome', label: t('reviewAdmin.detail.outcome'), children: <Tag color={TASK_STATE_COLORS[task.state]}>{t(`reviewAdmin.state.${task.state}`)}</Tag> },
        {
          key: 'by',
          label: t('reviewAdmin.detail.decidedBy'),
          children: task.decidedBy ? `${t(`reviewAdmin.decider.${task.decidedBy.as}`)}${decider ? ` · ${decider}` : ''}` : '-',
        },
        { key: 'at', label: t('reviewAdmin.detail.decidedAt'), children: task.decidedAt ? formatDateTime(task.decidedAt, language) : '-' },
        ...(task.reason ? [{ key: 'reason', label: t('reviewAdmin.detail.reason'), children: task.reason }] : []),
      ]}
    />
  );
}

function HistoryEntry({ task }: { task: ReviewTask }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const decider = useUserName(task.decidedBy?.as === 'reviewer' ? (task.decidedBy.id ?? undefined) : undefined);
  return (
    <div className="fm-cell-stack">
      <span>
        <Tag color={TASK_STATE_COLORS[task.state]}>{t(`reviewAdmin.state.${task.state}`)}</Tag>
        {task.decidedBy && `${t(`reviewAdmin.decider.${task.decidedBy.as}`)}${decider ? ` · ${decider}` : ''}`}
      </span>
      <span className="fm-muted">
        {t('reviewAdmin.detail.submittedAt')} {formatDateTime(task.submittedAt, language)}
        {task.decidedAt && ` · ${t('reviewAdmin.detail.decidedAt')} ${formatDateTime(task.decidedAt, language)}`}
      </span>
      {task.reason && <span>{task.reason}</span>}
      {task.findings.length > 0 && <RuleHitTags task={task} />}
    </div>
  );
}
