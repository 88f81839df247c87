import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Popconfirm, Tag, Timeline, type AlertProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import type { Product } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { TASK_STATE_COLORS, type ReviewFinding, type ReviewTask } from '../../shared/review';
import { fieldLabel, ReviewFindings } from '../../shared/ReviewFindings';
import { useReviewErrorMessage, useReviewHistory } from './reviewApi';
import './review.css';

const isOpen = (task: ReviewTask) => task.state === 'store_review' || task.state === 'queued';

/** A category_qualification finding is fixed on the qualifications page, not in the editor. */
const qualificationLink = (label: string) => (finding: ReviewFinding) =>
  finding.rule === 'category_qualification' ? (
    <ButtonLink to="/merchant/qualifications" type="link" size="small" className="fm-finding-locate">
      {label}
    </ButtonLink>
  ) : null;

/**
 * The product's review in its editor: where it stands now (waiting for the owner or the platform,
 * rejected and why, a revision under review while the approved version stays on sale), each finding
 * with its offending text and a way to the field, and every past decision.
 */
export function ReviewPanel({
  product,
  onLocate,
  onWithdrawn,
}: {
  product: Product;
  onLocate: (field: string) => void;
  /** The pending revision was withdrawn: `product` is the approved version. */
  onWithdrawn: (product: Product) => void;
}) {
  const { t } = useTranslation();
  const history = useReviewHistory(product);
  const tasks = history.data?.pages.flatMap((page) => page.items) ?? [];
  const latest = (kind: ReviewTask['kind']) => tasks.find((task) => task.kind === kind);
  const status = <ReviewStatus product={product} listing={latest('listing')} revision={latest('revision')} onLocate={onLocate} onWithdrawn={onWithdrawn} />;
  if (tasks.length === 0 && !history.isError && product.status === 'draft') return null;

  return (
    <Card title={t('reviewMerchant.panel.title')} className="fm-section fm-review-panel" data-testid="review-panel">
      {status}
      {history.isError && <Alert type="error" showIcon className="fm-form-alert" title={t('reviewMerchant.panel.loadFailed')} />}
      {tasks.length > 0 && (
        <Collapse
          className="fm-review-history"
          size="small"
          items={[
            {
              key: 'history',
              label: t('reviewMerchant.panel.historyCount', { count: tasks.length }),
              children: (
                <>
                  <ReviewTimeline tasks={tasks} />
                  {history.hasNextPage && (
                    <Button size="small" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
                      {t('common.loadMore')}
                    </Button>
                  )}
                </>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

function ReviewStatus({
  product,
  listing,
  revision,
  onLocate,
  onWithdrawn,
}: {
  product: Product;
  listing: ReviewTask | undefined;
  revision: ReviewTask | undefined;
  onLocate: (field: string) => void;
  onWithdrawn: (product: Product) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const extra = qualificationLink(t('reviewMerchant.findings.qualifications'));
  const findings = (task: ReviewTask | undefined, locate: boolean) =>
    task && task.findings.length > 0 ? (
      <ReviewFindings findings={task.findings} content={task.content} onLocate={locate ? onLocate : undefined} extra={extra} />
    ) : null;
  const block = (alert: AlertProps, list: ReactNode = null) => (
    <div className="fm-review-status" data-testid="review-status">
      <Alert showIcon className="fm-form-alert" {...alert} />
      {list}
    </div>
  );

  const withdraw = async () => {
    try {
      const { product: p } = await api.delete<{ product: Product }>(`/api/v1/merchant/products/${encodeURIComponent(product.id)}/revision`);
      queryClient.setQueryData(['merchant', 'product', p.id], p);
      onWithdrawn(p);
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'products'] });
      void message.success(t('reviewMerchant.panel.withdrawn'));
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  // A revision of a listed product: the approved version stays on sale meanwhile.
  if (product.revision?.state === 'pending') {
    const open = revision && isOpen(revision) ? revision : undefined;
    return block(
      {
        type: 'info',
        title: open?.state === 'store_review' ? t('reviewMerchant.panel.revisionStoreReview') : t('reviewMerchant.panel.revisionPending'),
        description: (
          <>
            <div>{t('reviewMerchant.panel.revisionPendingText')}</div>
            <RevisionChanges product={product} />
          </>
        ),
        action: (
          <Popconfirm title={t('reviewMerchant.panel.withdrawConfirm')} okText={t('reviewMerchant.panel.withdraw')} onConfirm={() => withdraw()}>
            <Button size="small">{t('reviewMerchant.panel.withdraw')}</Button>
          </Popconfirm>
        ),
      },
      findings(open, false),
    );
  }

  if (product.status === 'pending_review') {
    const open = listing && isOpen(listing) ? listing : undefined;
    const flagged = open?.findings.some((f) => f.severity !== 'info') ?? false;
    const text =
      open?.state === 'store_review'
        ? t('reviewMerchant.panel.storeReviewText')
        : flagged
          ? t('reviewMerchant.panel.queuedText')
          : t('reviewMerchant.panel.queuedSpot');
    return block(
      {
        type: 'info',
        title: open?.state === 'store_review' ? t('reviewMerchant.panel.storeReview') : t('reviewMerchant.panel.queued'),
        description: open ? text : t('merchant.editor.inReview'),
      },
      findings(open, false),
    );
  }

  if (product.status === 'rejected') {
    const task = listing?.state === 'rejected' ? listing : undefined;
    const by = task?.decidedBy?.as;
    // The rules' reason is their findings, listed below; a person's reason is shown as written.
    const reason = by === 'rules' ? null : (task?.reason ?? product.rejectionReason);
    return block(
      {
        type: 'error',
        title: by ? t(`reviewMerchant.panel.rejectedBy.${by}`) : t('reviewMerchant.panel.rejected'),
        description: (
          <>
            {reason && <div data-testid="rejection-reason">{t('merchant.editor.rejectedReason', { reason })}</div>}
            {task?.decidedAt && (
              <div className="fm-muted">{t('reviewMerchant.panel.decided', { who: t(`reviewMerchant.decider.${by!}`), time: formatDateTime(task.decidedAt, language) })}</div>
            )}
            <div>{t('reviewMerchant.panel.fixHint')}</div>
          </>
        ),
      },
      findings(task, true),
    );
  }

  if (product.revision?.state === 'rejected' && revision?.state === 'rejected') {
    const by = revision.decidedBy?.as;
    const reason = by === 'rules' ? null : (revision.reason ?? product.revision.reason);
    return block(
      {
        type: 'warning',
        title: t('reviewMerchant.panel.revisionRejected'),
        description: (
          <>
            {reason && <div>{t('reviewMerchant.panel.reason', { reason })}</div>}
            <RevisionChanges product={product} />
            <div>{t('reviewMerchant.panel.revisionRejectedText')}</div>
          </>
        ),
      },
      findings(revision, true),
    );
  }

  if (product.status === 'on_sale' || product.status === 'off_shelf') {
    const approved = [revision, listing].find((task) => task?.state === 'approved' && task.decidedAt);
    if (!approved) return null;
    return block(
      {
        type: 'success',
        title: t('reviewMerchant.panel.approved'),
        description: t('reviewMerchant.panel.approvedText', {
          who: t(`reviewMerchant.decider.${approved.decidedBy?.as ?? 'reviewer'}`),
          time: formatDateTime(approved.decidedAt!, language),
        }),
      });
  }
  return null;
}

/** What the revision changes of the listed product: the fields, the large price moves, the new title. */
function RevisionChanges({ product }: { product: Product }) {
  const { t } = useTranslation();
  const revision = product.revision;
  if (!revision) return null;
  const { fields, priceMoves } = revision.changes;
  return (
    <div className="fm-muted" data-testid="revision-changes">
      {fields.length > 0 && <div>{t('reviewMerchant.panel.changed', { fields: fields.map((f) => fieldLabel(t, f)).join('、') })}</div>}
      {priceMoves.length > 0 && <div>{t('reviewMerchant.panel.priceMoves', { codes: priceMoves.join('、') })}</div>}
      {fields.includes('title') && <div className="fm-review-entry-title">{t('reviewMerchant.panel.newTitle', { title: revision.content.title })}</div>}
    </div>
  );
}

const DOT_COLORS: Record<ReviewTask['state'], string> = { store_review: 'purple', queued: 'blue', approved: 'green', rejected: 'red', withdrawn: 'gray' };

/** Every submission of the product, newest first: what was sent, who decided, when and why. */
export function ReviewTimeline({ tasks }: { tasks: readonly ReviewTask[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Timeline
      className="fm-review-timeline"
      items={tasks.map((task) => ({
        key: task.id,
        color: DOT_COLORS[task.state],
        content: (
          <div className="fm-review-entry" data-testid="review-entry">
            <div className="fm-review-entry-head">
              <Tag color={TASK_STATE_COLORS[task.state]}>{t(`reviewMerchant.taskState.${task.state}`)}</Tag>
              <span>{t('reviewMerchant.panel.submitted', { kind: t(`reviewMerchant.kind.${task.kind}`), time: formatDateTime(task.submittedAt, language) })}</span>
            </div>
            <div className="fm-review-entry-title">{task.title}</div>
            <div className="fm-muted">
              {task.decidedBy && task.decidedAt
                ? t('reviewMerchant.panel.decided', { who: t(`reviewMerchant.decider.${task.decidedBy.as}`), time: formatDateTime(task.decidedAt, language) })
                : t('reviewMerchant.panel.open')}
            </div>
            {task.reason && task.decidedBy?.as !== 'rules' && <div className="fm-review-entry-reason">{t('reviewMerchant.panel.reason', { reason: task.reason })}</div>}
            {task.findings.length > 0 && <ReviewFindings findings={task.findings} content={task.content} hints={false} />}
          </div>
        ),
      }))}
    />
  );
}
