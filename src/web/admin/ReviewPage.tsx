import { CheckOutlined, CloseOutlined, PictureOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Drawer, Image, Popconfirm, Segmented, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api';
import {
  attributeName,
  categoryName,
  categoryPath,
  PRODUCT_STATUSES,
  STATUS_COLORS,
  type CategoryNode,
  type Product,
  type ProductStatus,
  type ProductSummary,
} from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { HtmlPreview } from '../shared/HtmlPreview';
import { useLanguage } from '../shared/i18n';
import type { Merchant } from '../shared/merchants';
import { formatFen, formatFenRange } from '../shared/money';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { LoadFailed, PageSpin } from '../shared/StatusPages';
import type { Page } from '../shared/types';
import { useTitle } from '../shared/useTitle';
import { ReasonModal } from './ReasonModal';

const REVIEWABLE: ProductStatus[] = ['pending_review', 'rejected', 'on_sale'];

function useAdminTree() {
  return useQuery({
    queryKey: ['admin', 'categories'],
    queryFn: () => api.get<{ items: CategoryNode[] }>('/api/v1/admin/categories').then((r) => r.items),
    staleTime: 60_000,
  });
}

/** 商品审核: the review queue, oldest submission first; approve, or reject with a reason. */
export function ReviewPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') as ProductStatus | null;
  const status: ProductStatus = raw && PRODUCT_STATUSES.includes(raw) ? raw : 'pending_review';
  const [openId, setOpenId] = useState<string | null>(null);
  const tree = useAdminTree();
  useTitle(t('admin.review.title'));

  const list = useInfiniteQuery({
    queryKey: ['admin', 'products', status],
    queryFn: ({ pageParam }) => api.get<Page<ProductSummary>>('/api/v1/admin/products', { status, limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: TableColumnsType<ProductSummary> = [
    {
      key: 'product',
      title: t('admin.review.product'),
      render: (_, p) => (
        <button type="button" className="fm-product-cell fm-link-button" onClick={() => setOpenId(p.id)}>
          {p.mainImage ? (
            <img src={p.mainImage.thumbUrl} alt="" className="fm-thumb" />
          ) : (
            <span className="fm-thumb fm-thumb-empty">
              <PictureOutlined />
            </span>
          )}
          <span className="fm-cell-stack">
            <span className="fm-product-title">{p.title}</span>
            <span className="fm-muted">
              {categoryPath(tree.data ?? [], p.categoryId)
                .map((n) => categoryName(n, language))
                .join(' / ')}
            </span>
          </span>
        </button>
      ),
    },
    { key: 'price', title: t('merchant.products.price'), width: 170, render: (_, p) => formatFenRange(p.priceMin, p.priceMax), responsive: ['sm'] },
    {
      key: 'submitted',
      title: t('admin.review.submittedAt'),
      dataIndex: 'submittedAt',
      width: 190,
      responsive: ['md'],
      render: (iso: string | null) => (iso ? <time dateTime={iso}>{formatDateTime(iso, language)}</time> : '-'),
    },
    {
      key: 'status',
      title: t('merchant.products.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: ProductStatus) => <Tag color={STATUS_COLORS[s]}>{t(`productStatus.${s}`)}</Tag>,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 90,
      render: (_, p) => (
        <Button type="link" size="small" onClick={() => setOpenId(p.id)}>
          {p.status === 'pending_review' ? t('admin.review.review') : t('common.view')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHead title={t('admin.review.title')} note={t('admin.review.note')} />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Segmented<ProductStatus>
            value={status}
            onChange={(s) => setParams(s === 'pending_review' ? {} : { status: s })}
            options={REVIEWABLE.map((s) => ({ value: s, label: t(`productStatus.${s}`) }))}
          />
        </div>
        <QueryAlert error={list.error} onRetry={() => void list.refetch()} />
        <Table<ProductSummary>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={list.isFetching && !list.isFetchingNextPage}
          pagination={false}
          locale={{ emptyText: list.isPending ? ' ' : t('admin.review.empty') }}
        />
        <div className="fm-table-footer">
          <span className="fm-muted">{t('admin.review.loaded', { count: rows.length })}</span>
          {list.hasNextPage && (
            <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      </Card>
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        title={t('admin.review.detail')}
        size={Math.min(760, window.innerWidth)}
        destroyOnHidden
      >
        {openId && <ReviewDetail id={openId} tree={tree.data ?? []} onDecided={() => setOpenId(null)} />}
      </Drawer>
    </>
  );
}

function ReviewDetail({ id, tree, onDecided }: { id: string; tree: CategoryNode[]; onDecided: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [rejecting, setRejecting] = useState(false);
  const product = useQuery({
    queryKey: ['admin', 'product', id],
    queryFn: () => api.get<{ product: Product }>(`/api/v1/admin/products/${id}`).then((r) => r.product),
  });
  const merchantId = product.data?.merchantId;
  const merchant = useQuery({
    queryKey: ['admin', 'merchant', merchantId],
    queryFn: () => api.get<{ merchant: Merchant }>(`/api/v1/admin/merchants/${merchantId}`).then((r) => r.merchant),
    enabled: merchantId !== undefined,
  });
  const decide = useMutation({
    mutationFn: ({ action, reason }: { action: 'approve' | 'reject'; reason?: string }) =>
      api.post<{ product: Product }>(`/api/v1/admin/products/${id}/${action}`, reason === undefined ? {} : { reason }),
    onSuccess: ({ product: p }) => {
      queryClient.setQueryData(['admin', 'product', id], p);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'products'] });
    },
  });

  if (product.isPending) return <PageSpin />;
  if (product.isError) return <LoadFailed error={product.error} onRetry={() => void product.refetch()} />;
  const p = product.data;
  const path = categoryPath(tree, p.categoryId);
  const defs = path.at(-1)?.attributes ?? [];
  const defName = (key: string) => {
    const def = defs.find((d) => d.key === key);
    return def ? attributeName(def, language) : key;
  };

  return (
    <div className="fm-review-detail" data-testid="review-detail">
      <div className="fm-review-head">
        <h2>{p.title}</h2>
        <Tag color={STATUS_COLORS[p.status]}>{t(`productStatus.${p.status}`)}</Tag>
      </div>
      {p.subtitle && <p className="fm-muted">{p.subtitle}</p>}
      {p.images.length > 0 ? (
        <Image.PreviewGroup>
          <div className="fm-review-images">
            {p.images.map((img, i) => (
              <div key={img.id} className="fm-review-image">
                <Image src={img.smallUrl} alt="" preview={{ src: img.url }} />
                {i === 0 && <span className="fm-image-main">{t('merchant.editor.mainImage')}</span>}
              </div>
            ))}
          </div>
        </Image.PreviewGroup>
      ) : (
        <p className="fm-muted">{t('admin.review.noImages')}</p>
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2 }}
        className="fm-section"
        items={[
          { key: 'store', label: t('admin.review.store'), children: merchant.data?.name ?? p.merchantId },
          { key: 'category', label: t('merchant.editor.category'), children: path.map((n) => categoryName(n, language)).join(' / ') || p.categoryId },
          { key: 'brand', label: t('merchant.editor.brand'), children: p.brand || '-' },
          { key: 'code', label: t('merchant.editor.code'), children: <span className="fm-mono">{p.code}</span> },
          ...Object.entries(p.attributes).map(([key, value]) => ({ key: `attr-${key}`, label: defName(key), children: value })),
          { key: 'submitted', label: t('admin.review.submittedAt'), children: p.submittedAt ? formatDateTime(p.submittedAt, language) : '-' },
          ...(p.rejectionReason ? [{ key: 'reason', label: t('admin.reason'), children: p.rejectionReason }] : []),
        ]}
      />
      <h3 className="fm-subhead">{t('admin.review.skus', { count: p.skus.length })}</h3>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={p.skus}
        scroll={{ x: 480 }}
        columns={[
          ...p.specs.map((dim) => ({ key: dim.key, title: defName(dim.key), render: (_: unknown, s: Product['skus'][number]) => s.specs[dim.key] })),
          { key: 'code', title: t('merchant.editor.skuCode'), dataIndex: 'code', render: (c: string) => <span className="fm-mono">{c}</span> },
          { key: 'price', title: t('merchant.editor.price'), dataIndex: 'price', render: (f: number) => formatFen(f) },
          { key: 'list', title: t('merchant.editor.listPrice'), dataIndex: 'listPrice', render: (f: number | null) => (f === null ? '-' : formatFen(f)) },
          { key: 'stock', title: t('merchant.editor.stock'), dataIndex: 'onHand' },
        ]}
      />
      <h3 className="fm-subhead">{t('merchant.editor.description')}</h3>
      <HtmlPreview html={p.description} height={280} />
      {p.status === 'pending_review' && (
        <div className="fm-review-actions">
          <Space wrap>
            <Button danger icon={<CloseOutlined />} onClick={() => setRejecting(true)}>
              {t('admin.review.reject')}
            </Button>
            <Popconfirm
              title={t('admin.review.approveConfirm')}
              onConfirm={() =>
                decide.mutateAsync({ action: 'approve' }).then(
                  () => {
                    void message.success(t('admin.review.approved'));
                    onDecided();
                  },
                  (error: unknown) => void message.error(errorMessage(error)),
                )
              }
            >
              <Button type="primary" icon={<CheckOutlined />} loading={decide.isPending}>
                {t('admin.review.approve')}
              </Button>
            </Popconfirm>
          </Space>
        </div>
      )}
      <ReasonModal
        open={rejecting}
        title={t('admin.review.rejectTitle')}
        okText={t('admin.review.reject')}
        presets={[t('admin.review.presets.images'), t('admin.review.presets.title'), t('admin.review.presets.category')]}
        onSubmit={(reason) =>
          decide.mutateAsync({ action: 'reject', reason }).then(() => {
            void message.success(t('admin.review.rejected'));
            onDecided();
          })
        }
        onClose={() => setRejecting(false)}
      />
    </div>
  );
}
