import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Drawer, Form, Image, Input, Modal, Popconfirm, Space, Switch, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import { categoryName, categoryPath, useCategoryTree, type Product } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { HtmlPreview } from '../../shared/HtmlPreview';
import { useLanguage } from '../../shared/i18n';
import { useStaff, useStaffRole, useStore } from '../../shared/merchants';
import { formatFen } from '../../shared/money';
import { PagedTable } from '../../shared/PagedTable';
import { PageHead, QueryAlert } from '../../shared/PageHead';
import { SEVERITY_COLORS, sortFindings, type ReviewTask, type StoreReviewSettings } from '../../shared/review';
import { ReviewFindings, ruleLabel } from '../../shared/ReviewFindings';
import { useTitle } from '../../shared/useTitle';
import { reviewKeys, useOwnerQueue, useReviewErrorMessage, useReviewSettings } from './reviewApi';
import './review.css';

/**
 * 商家审核: the owner decides whether staff submissions need their approval, and works the queue of
 * those waiting (detail, approve → the platform's review, send back with a reason). Operators see
 * the setting, not the controls.
 */
export function StoreReviewPage() {
  const { t } = useTranslation();
  const role = useStaffRole();
  const { data: store } = useStore();
  const isOwner = role === 'owner';
  const canWrite = isOwner && store?.state === 'active';
  useTitle(t('reviewMerchant.owner.title'));

  return (
    <>
      <PageHead title={t('reviewMerchant.owner.title')} note={t('reviewMerchant.owner.note')} />
      {role === 'operator' && <Alert type="info" showIcon className="fm-form-alert" title={t('reviewMerchant.owner.ownerOnly')} />}
      <SettingsCard canWrite={canWrite} />
      {isOwner && <OwnerQueue canWrite={canWrite} />}
    </>
  );
}

/** On the overview, for the owner: staff submissions are waiting (商家审核). */
export function OwnerQueueNotice() {
  const { t } = useTranslation();
  const isOwner = useStaffRole() === 'owner';
  const queue = useOwnerQueue(isOwner);
  const first = queue.data?.pages[0];
  if (!isOwner || !first || first.items.length === 0) return null;
  const count = first.nextCursor ? `${first.items.length}+` : String(first.items.length);
  return (
    <Alert
      type="warning"
      showIcon
      className="fm-form-alert"
      title={t('reviewMerchant.owner.waitingNotice', { count })}
      action={
        <ButtonLink to="/merchant/review" size="small">
          {t('reviewMerchant.owner.goReview')}
        </ButtonLink>
      }
      data-testid="owner-queue-notice"
    />
  );
}

/** Who sent a submission: the staff member's name, or that it came through an API key. */
function useSubmitterName(): (task: ReviewTask) => string {
  const { t } = useTranslation();
  const staff = useStaff();
  return (task) =>
    task.submittedBy.kind === 'api_key'
      ? t('reviewMerchant.owner.viaApiKey')
      : (staff.data?.find((member) => member.userId === task.submittedBy.id)?.name ?? '-');
}

function SettingsCard({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const settings = useReviewSettings();
  const save = useMutation({
    mutationFn: (ownerApproval: boolean) => api.put<StoreReviewSettings>('/api/v1/merchant/review/settings', { ownerApproval }),
    onSuccess: (data) => {
      queryClient.setQueryData(reviewKeys.settings, data);
      void message.success(t('reviewMerchant.owner.saved'));
    },
    onError: (error) => void message.error(errorMessage(error)),
  });
  const on = settings.data?.ownerApproval ?? false;

  return (
    <Card title={t('reviewMerchant.owner.settingsTitle')} className="fm-section">
      <QueryAlert error={settings.error} onRetry={() => void settings.refetch()} />
      <div className="fm-review-setting">
        <Switch
          id="owner-approval"
          checked={on}
          loading={settings.isPending || save.isPending}
          disabled={!canWrite}
          onChange={(checked) => save.mutate(checked)}
          aria-label={t('reviewMerchant.owner.toggle')}
        />
        <div className="fm-review-setting-text">
          <label htmlFor="owner-approval">
            <strong>{t('reviewMerchant.owner.toggle')}</strong>{' '}
            <Tag color={on ? 'success' : 'default'} data-testid="owner-approval-state">
              {on ? t('reviewMerchant.owner.toggleOn') : t('reviewMerchant.owner.toggleOff')}
            </Tag>
          </label>
          <span className="fm-muted">{t('reviewMerchant.owner.toggleHint')}</span>
          {settings.data?.updatedAt && <span className="fm-muted">{t('reviewMerchant.owner.updatedAt', { time: formatDateTime(settings.data.updatedAt, language) })}</span>}
        </div>
      </div>
    </Card>
  );
}

function OwnerQueue({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const queue = useOwnerQueue(true);
  const submitter = useSubmitterName();
  const [open, setOpen] = useState<ReviewTask | null>(null);
  const [rejecting, setRejecting] = useState<ReviewTask | null>(null);

  const settle = (task: ReviewTask) => {
    void queryClient.invalidateQueries({ queryKey: reviewKeys.ownerQueue });
    void queryClient.invalidateQueries({ queryKey: ['merchant', 'products'] });
    void queryClient.invalidateQueries({ queryKey: ['merchant', 'product', task.productId] });
    setOpen(null);
  };
  const approve = useMutation({
    mutationFn: (task: ReviewTask) => api.post<{ task: ReviewTask }>(`/api/v1/merchant/review/tasks/${task.id}/approve`),
    onSuccess: (_data, task) => {
      settle(task);
      void message.success(t('reviewMerchant.owner.approved'));
    },
    onError: (error) => {
      void queryClient.invalidateQueries({ queryKey: reviewKeys.ownerQueue });
      void message.error(errorMessage(error));
    },
  });

  const actions = (task: ReviewTask) =>
    canWrite && (
      <Space size={4} wrap>
        <Popconfirm title={t('reviewMerchant.owner.approveConfirm')} okText={t('reviewMerchant.owner.approve')} onConfirm={() => approve.mutateAsync(task).catch(() => undefined)}>
          <Button type="primary" size="small" icon={<CheckOutlined />} loading={approve.isPending && approve.variables?.id === task.id}>
            {t('reviewMerchant.owner.approve')}
          </Button>
        </Popconfirm>
        <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setRejecting(task)}>
          {t('reviewMerchant.owner.reject')}
        </Button>
      </Space>
    );

  const columns: TableColumnsType<ReviewTask> = [
    {
      key: 'product',
      title: t('reviewMerchant.owner.product'),
      render: (_, task) => (
        <div className="fm-cell-stack">
          <button type="button" className="fm-link-button" onClick={() => setOpen(task)}>
            <span className="fm-review-queue-title">{task.title}</span>
          </button>
          <span className="fm-muted">
            {t(`reviewMerchant.kind.${task.kind}`)} · {t('reviewMerchant.owner.submittedBy', { name: submitter(task) })}
          </span>
        </div>
      ),
    },
    {
      key: 'findings',
      title: t('reviewMerchant.owner.findings'),
      width: 220,
      responsive: ['md'],
      render: (_, task) =>
        task.findings.length === 0 ? (
          <span className="fm-muted">{t('reviewMerchant.owner.noFindings')}</span>
        ) : (
          <Space size={[4, 4]} wrap>
            {sortFindings(task.findings).map((f, i) => (
              <Tag key={i} color={SEVERITY_COLORS[f.severity]}>
                {ruleLabel(t, f.rule)}
              </Tag>
            ))}
          </Space>
        ),
    },
    {
      key: 'submittedAt',
      title: t('reviewMerchant.owner.submittedAt'),
      dataIndex: 'submittedAt',
      width: 180,
      responsive: ['sm'],
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
    { key: 'actions', title: t('reviewMerchant.owner.actions'), width: 170, render: (_, task) => actions(task) },
  ];

  return (
    <Card title={t('reviewMerchant.owner.queueTitle')} className="fm-section" classNames={{ body: 'fm-table-card-body' }}>
      <PagedTable<ReviewTask>
        query={queue}
        rowKey="id"
        columns={columns}
        empty={t('reviewMerchant.owner.queueEmpty')}
        summary={(count) => t('reviewMerchant.owner.loaded', { count })}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        title={t('reviewMerchant.owner.detailTitle')}
        size={Math.min(736, window.innerWidth)}
        className="fm-review-detail"
        extra={open && actions(open)}
        destroyOnHidden
      >
        {open && <SubmissionDetail task={open} />}
      </Drawer>
      <RejectModal
        task={rejecting}
        onClose={() => setRejecting(null)}
        onDone={(task) => {
          setRejecting(null);
          settle(task);
          void message.success(t('reviewMerchant.owner.rejected'));
        }}
      />
    </Card>
  );
}

/** A staff submission as sent: the content judged, the product's images, what the rules found. */
function SubmissionDetail({ task }: { task: ReviewTask }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const submitter = useSubmitterName();
  const tree = useCategoryTree();
  const product = useQuery({
    queryKey: ['merchant', 'product', task.productId],
    queryFn: () => api.get<{ product: Product }>(`/api/v1/merchant/products/${encodeURIComponent(task.productId)}`).then((r) => r.product),
  });
  const content = task.content;
  const path = tree.data ? categoryPath(tree.data, task.categoryId) : [];
  const images = product.data?.images.filter((image) => content?.imageIds.includes(image.id) ?? true) ?? [];

  return (
    <div data-testid="submission-detail">
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'title', label: t('reviewMerchant.fields.title'), children: content?.title ?? task.title },
          ...(content?.subtitle ? [{ key: 'subtitle', label: t('reviewMerchant.owner.subtitle'), children: content.subtitle }] : []),
          { key: 'kind', label: t('reviewMerchant.owner.kind'), children: t(`reviewMerchant.kind.${task.kind}`) },
          { key: 'category', label: t('reviewMerchant.owner.category'), children: path.map((n) => categoryName(n, language)).join(' / ') || task.categoryId },
          ...(content?.brand ? [{ key: 'brand', label: t('reviewMerchant.owner.brand'), children: content.brand }] : []),
          { key: 'submitter', label: t('reviewMerchant.owner.submitter'), children: submitter(task) },
          { key: 'submittedAt', label: t('reviewMerchant.owner.submittedAt'), children: formatDateTime(task.submittedAt, language) },
        ]}
      />
      <div className="fm-review-detail-section">{t('reviewMerchant.owner.findings')}</div>
      <ReviewFindings findings={task.findings} content={content} hints={false} />
      {images.length > 0 && (
        <>
          <div className="fm-review-detail-section">{t('reviewMerchant.owner.images')}</div>
          <div className="fm-review-detail-images">
            {images.map((image) => (
              <Image key={image.id} src={image.thumbUrl} width={88} height={88} alt="" />
            ))}
          </div>
        </>
      )}
      {content && content.skus.length > 0 && (
        <>
          <div className="fm-review-detail-section">{t('reviewMerchant.owner.skus')}</div>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={content.skus}
            columns={[
              { key: 'code', title: t('reviewMerchant.owner.skuCode'), dataIndex: 'code', className: 'fm-mono' },
              { key: 'price', title: t('reviewMerchant.owner.price'), dataIndex: 'price', render: (fen: number) => formatFen(fen) },
              { key: 'listPrice', title: t('reviewMerchant.owner.listPrice'), dataIndex: 'listPrice', render: (fen: number | null) => (fen === null ? '-' : formatFen(fen)) },
            ]}
          />
        </>
      )}
      <div className="fm-review-detail-section">{t('reviewMerchant.owner.description')}</div>
      <HtmlPreview html={content?.description ?? ''} height={240} />
      <p>
        <ButtonLink to={`/merchant/products/${task.productId}`} type="link">
          {t('reviewMerchant.owner.openProduct')}
        </ButtonLink>
      </p>
    </div>
  );
}

function RejectModal({ task, onClose, onDone }: { task: ReviewTask | null; onClose: () => void; onDone: (task: ReviewTask) => void }) {
  const { t } = useTranslation();
  const errorMessage = useReviewErrorMessage();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useMutation({
    mutationFn: ({ task: target, reason }: { task: ReviewTask; reason: string }) =>
      api.post<{ task: ReviewTask }>(`/api/v1/merchant/review/tasks/${target.id}/reject`, { reason }),
  });
  const submit = async () => {
    const { reason } = await form.validateFields();
    try {
      await reject.mutateAsync({ task: task!, reason: reason.trim() });
      form.resetFields();
      onDone(task!);
    } catch (error) {
      form.setFields([{ name: 'reason', errors: [errorMessage(error)] }]);
    }
  };
  return (
    <Modal
      open={task !== null}
      title={t('reviewMerchant.owner.rejectTitle')}
      okText={t('reviewMerchant.owner.reject')}
      okButtonProps={{ danger: true, loading: reject.isPending }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      {task && <p className="fm-review-entry-title">{task.title}</p>}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('reviewMerchant.owner.rejectReason')}
          extra={t('reviewMerchant.owner.rejectReasonHint')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('reviewMerchant.owner.rejectReasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
