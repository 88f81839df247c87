import { PictureOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { App, Button, Card, Image, Input, Space, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api';
import { ButtonLink } from '../shared/ButtonLink';
import { PRODUCT_STATUSES, STATUS_COLORS, type ProductStatus, type ProductSummary } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { formatFenRange } from '../shared/money';
import type { Page } from '../shared/types';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { useTitle } from '../shared/useTitle';
import { useProductAction, type ProductAction } from './productActions';

const PAGE_SIZE = 20;

function isStatus(value: string | null): value is ProductStatus {
  return PRODUCT_STATUSES.includes(value as ProductStatus);
}

/** 商品: the store's products by status, searchable by title or SKU code, 20 at a time. */
export function ProductsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const rawStatus = params.get('status');
  const status = isStatus(rawStatus) ? rawStatus : undefined;
  const action = useProductAction();
  useTitle(t('merchant.products.title'));

  const products = useInfiniteQuery({
    queryKey: ['merchant', 'products', { status, q }],
    queryFn: ({ pageParam }) =>
      api.get<Page<ProductSummary>>('/api/v1/merchant/products', { status, q, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = products.data?.pages.flatMap((page) => page.items) ?? [];

  const setFilter = (next: { status?: string; q?: string }) => {
    const merged = { status: status ?? '', q, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };

  const run = (id: string, act: ProductAction, done: string) =>
    action.mutateAsync({ id, action: act }).then(
      () => void message.success(done),
      (error: unknown) => void message.error(errorMessage(error)),
    );

  const columns: TableColumnsType<ProductSummary> = [
    {
      key: 'product',
      title: t('merchant.products.product'),
      render: (_, p) => (
        <div className="fm-product-cell">
          {p.mainImage ? (
            <Image src={p.mainImage.thumbUrl} width={56} height={56} preview={false} className="fm-thumb" alt="" />
          ) : (
            <span className="fm-thumb fm-thumb-empty">
              <PictureOutlined />
            </span>
          )}
          <div className="fm-cell-stack">
            <Link to={`/merchant/products/${p.id}`} className="fm-product-title">
              {p.title}
            </Link>
            <span className="fm-muted fm-mono">{p.code}</span>
          </div>
        </div>
      ),
    },
    {
      key: 'price',
      title: t('merchant.products.price'),
      width: 170,
      render: (_, p) => <span className="fm-price">{formatFenRange(p.priceMin, p.priceMax)}</span>,
    },
    { key: 'stock', title: t('merchant.products.stock'), dataIndex: 'stockTotal', width: 90, responsive: ['sm'] },
    {
      key: 'status',
      title: t('merchant.products.status'),
      dataIndex: 'status',
      width: 100,
      render: (s: ProductStatus) => <Tag color={STATUS_COLORS[s]}>{t(`productStatus.${s}`)}</Tag>,
    },
    {
      key: 'updated',
      title: t('merchant.products.updatedAt'),
      dataIndex: 'updatedAt',
      width: 190,
      responsive: ['lg'],
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 150,
      render: (_, p) => (
        <Space size={0} wrap>
          <ButtonLink to={`/merchant/products/${p.id}`} type="link" size="small">
            {t('common.edit')}
          </ButtonLink>
          {(p.status === 'draft' || p.status === 'rejected') && (
            <Button type="link" size="small" onClick={() => void run(p.id, 'submit', t('merchant.products.submitted'))}>
              {t('merchant.products.submit')}
            </Button>
          )}
          {p.status === 'on_sale' && (
            <Button type="link" size="small" onClick={() => void run(p.id, 'off-shelf', t('merchant.products.offShelfDone'))}>
              {t('merchant.products.offShelf')}
            </Button>
          )}
          {p.status === 'off_shelf' && (
            <Button type="link" size="small" onClick={() => void run(p.id, 'on-shelf', t('merchant.products.onShelfDone'))}>
              {t('merchant.products.onShelf')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHead
        title={t('merchant.products.title')}
        extra={
          <ButtonLink to="/merchant/products/new" type="primary" icon={<PlusOutlined />}>
            {t('merchant.products.new')}
          </ButtonLink>
        }
      />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Tabs
            className="fm-status-tabs"
            activeKey={status ?? 'all'}
            onChange={(key) => setFilter({ status: key === 'all' ? '' : key })}
            items={[
              { key: 'all', label: t('merchant.products.all') },
              ...PRODUCT_STATUSES.map((s) => ({ key: s, label: t(`productStatus.${s}`) })),
            ]}
          />
          <Input.Search
            key={q}
            className="fm-page-search"
            defaultValue={q}
            allowClear
            placeholder={t('merchant.products.searchPlaceholder')}
            aria-label={t('merchant.products.searchPlaceholder')}
            onSearch={(value) => setFilter({ q: value.trim() })}
          />
        </div>
        <QueryAlert error={products.error} onRetry={() => void products.refetch()} />
        <Table<ProductSummary>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={products.isFetching && !products.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: products.isPending ? ' ' : q ? t('merchant.products.noMatch') : t('merchant.products.empty') }}
        />
        <div className="fm-table-footer">
          <span className="fm-muted">{t('merchant.products.loaded', { count: rows.length })}</span>
          {products.hasNextPage ? (
            <Button onClick={() => void products.fetchNextPage()} loading={products.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <span className="fm-muted">{t('common.allLoaded')}</span>
          )}
        </div>
      </Card>
    </>
  );
}
