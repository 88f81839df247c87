import { HistoryOutlined, PictureOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Empty, Form, Input, InputNumber, Modal, Segmented, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../shared/api';
import type { Product, ProductSummary, Sku, StockAdjustment } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { FormErrorAlert } from '../shared/forms';
import { useLanguage } from '../shared/i18n';
import { PageHead, QueryAlert } from '../shared/PageHead';
import type { Page } from '../shared/types';
import { useTitle } from '../shared/useTitle';

type Mode = 'set' | 'add' | 'remove';

/** A SKU's spec values in the product's dimension order: "白色 / M". */
const specText = (sku: Sku, dims: readonly { key: string }[] | undefined) =>
  (dims ?? Object.keys(sku.specs).map((key) => ({ key }))).map((d) => sku.specs[d.key]).filter(Boolean).join(' / ');

/** 库存: pick a product, then set, add or remove stock per SKU, each change with its reason and history. */
export function StockPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const productId = params.get('product');
  const [search, setSearch] = useState('');
  const [adjusting, setAdjusting] = useState<Sku | null>(null);
  const [history, setHistory] = useState<Sku | null>(null);
  useTitle(t('merchant.stock.title'));

  const choices = useQuery({
    queryKey: ['merchant', 'products', { q: search, picker: true }],
    queryFn: () => api.get<Page<ProductSummary>>('/api/v1/merchant/products', { q: search, limit: 20 }),
  });
  const product = useQuery({
    queryKey: ['merchant', 'product', productId],
    queryFn: () => api.get<{ product: Product }>(`/api/v1/merchant/products/${encodeURIComponent(productId!)}`).then((r) => r.product),
    enabled: productId !== null,
  });

  const options = (choices.data?.items ?? []).map((p) => ({ value: p.id, label: p.title, code: p.code }));
  if (product.data && !options.some((o) => o.value === product.data.id)) {
    options.unshift({ value: product.data.id, label: product.data.title, code: product.data.code });
  }

  const columns: TableColumnsType<Sku> = [
    {
      key: 'sku',
      title: t('merchant.stock.sku'),
      render: (_, sku) => (
        <div className="fm-cell-stack">
          <span>{specText(sku, product.data?.specs) || t('merchant.stock.single')}</span>
          <span className="fm-mono fm-muted">{sku.code}</span>
        </div>
      ),
    },
    { key: 'onHand', title: t('merchant.stock.onHand'), dataIndex: 'onHand', width: 90, align: 'right' },
    { key: 'reserved', title: t('merchant.stock.reserved'), dataIndex: 'reserved', width: 90, align: 'right', responsive: ['sm'] },
    {
      key: 'available',
      title: t('merchant.stock.available'),
      dataIndex: 'available',
      width: 90,
      align: 'right',
      render: (n: number) => (n > 0 ? n : <Tag color="error">{t('merchant.stock.soldOut')}</Tag>),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 170,
      render: (_, sku) => (
        <span className="fm-row-actions">
          <Button type="link" size="small" onClick={() => setAdjusting(sku)}>
            {t('merchant.stock.adjust')}
          </Button>
          <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistory(sku)}>
            {t('merchant.stock.history')}
          </Button>
        </span>
      ),
    },
  ];

  return (
    <>
      <PageHead title={t('merchant.stock.title')} note={t('merchant.stock.note')} />
      <Card className="fm-section">
        <Select
          showSearch={{ filterOption: false, onSearch: setSearch }}
          className="fm-product-picker"
          placeholder={t('merchant.stock.pick')}
          aria-label={t('merchant.stock.pick')}
          value={productId ?? undefined}
          loading={choices.isFetching}
          onChange={(id: string) => setParams({ product: id })}
          options={options}
          optionRender={(option) => (
            <div className="fm-cell-stack">
              <span>{option.data.label}</span>
              <span className="fm-mono fm-muted">{option.data.code}</span>
            </div>
          )}
          notFoundContent={choices.isFetching ? undefined : t('merchant.products.empty')}
        />
      </Card>
      {productId === null ? (
        <Card>
          <Empty description={t('merchant.stock.pickFirst')} />
        </Card>
      ) : (
        <>
          <QueryAlert error={product.error} onRetry={() => void product.refetch()} />
          <Card
            classNames={{ body: 'fm-table-card-body' }}
            title={
              product.data && (
                <div className="fm-product-cell">
                  {product.data.images[0] ? (
                    <img src={product.data.images[0].thumbUrl} alt="" className="fm-thumb fm-thumb-sm" />
                  ) : (
                    <span className="fm-thumb fm-thumb-sm fm-thumb-empty">
                      <PictureOutlined />
                    </span>
                  )}
                  <Link to={`/merchant/products/${product.data.id}`} className="fm-product-title">
                    {product.data.title}
                  </Link>
                </div>
              )
            }
            extra={product.data && <span className="fm-muted">{t('merchant.stock.total', { count: product.data.stockTotal })}</span>}
          >
            <Table<Sku>
              rowKey="id"
              columns={columns}
              dataSource={product.data?.skus ?? []}
              loading={product.isFetching}
              pagination={false}
              size="middle"
            />
          </Card>
        </>
      )}
      <AdjustModal sku={adjusting} dims={product.data?.specs} productId={productId} onClose={() => setAdjusting(null)} />
      <HistoryDrawer sku={history} dims={product.data?.specs} onClose={() => setHistory(null)} />
    </>
  );
}

function AdjustModal({
  sku,
  dims,
  productId,
  onClose,
}: {
  sku: Sku | null;
  dims: Product['specs'] | undefined;
  productId: string | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ mode: Mode; quantity: number; reason?: string }>();
  const mode = (Form.useWatch('mode', form) as Mode | undefined) ?? 'add';
  const quantity = (Form.useWatch('quantity', form) as number | null | undefined) ?? 0;
  const adjust = useMutation({
    mutationFn: (body: { mode: Mode; quantity: number; reason: string }) =>
      api.post<{ sku: Sku; adjustment: StockAdjustment }>(`/api/v1/merchant/skus/${sku!.id}/stock`, body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'product', productId] });
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'stock', sku?.id] });
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'products'] });
    },
  });
  const after = sku ? (mode === 'set' ? quantity : mode === 'add' ? sku.onHand + quantity : sku.onHand - quantity) : 0;

  return (
    <Modal
      open={sku !== null}
      title={t('merchant.stock.adjustTitle', { sku: sku ? specText(sku, dims) || sku.code : '' })}
      okText={t('common.confirm')}
      confirmLoading={adjust.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        adjust.reset();
      }}
      destroyOnHidden
    >
      <FormErrorAlert error={adjust.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ mode: 'add' }}
        onFinish={(values) =>
          adjust.mutateAsync({ mode: values.mode, quantity: values.quantity, reason: values.reason?.trim() ?? '' }).then(
            () => {
              void message.success(t('merchant.stock.adjusted'));
              onClose();
            },
            () => undefined,
          )
        }
      >
        <Form.Item name="mode" label={t('merchant.stock.mode')}>
          <Segmented<Mode>
            block
            options={[
              { value: 'add', label: t('merchant.stock.modes.add') },
              { value: 'remove', label: t('merchant.stock.modes.remove') },
              { value: 'set', label: t('merchant.stock.modes.set') },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="quantity"
          label={t('merchant.stock.quantity')}
          rules={[
            { required: true, message: t('merchant.stock.quantityRequired') },
            {
              validator: (_, value: number | null) =>
                mode !== 'set' && value === 0 ? Promise.reject(new Error(t('merchant.stock.quantityPositive'))) : Promise.resolve(),
            },
          ]}
          extra={sku && t('merchant.stock.preview', { before: sku.onHand, after: Math.max(after, 0), reserved: sku.reserved })}
        >
          <InputNumber<number> min={0} max={100_000_000} precision={0} className="fm-full" />
        </Form.Item>
        <Form.Item name="reason" label={t('merchant.stock.reason')}>
          <Input maxLength={200} placeholder={t('merchant.stock.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HistoryDrawer({ sku, dims, onClose }: { sku: Sku | null; dims: Product['specs'] | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const errorMessage = useErrorMessage();
  const history = useInfiniteQuery({
    queryKey: ['merchant', 'stock', sku?.id],
    queryFn: ({ pageParam }) =>
      api.get<Page<StockAdjustment>>(`/api/v1/merchant/skus/${sku!.id}/stock-adjustments`, { limit: 20, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: sku !== null,
  });
  const rows = history.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: TableColumnsType<StockAdjustment> = [
    {
      key: 'at',
      title: t('merchant.stock.at'),
      dataIndex: 'createdAt',
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
    {
      key: 'change',
      title: t('merchant.stock.change'),
      render: (_, a) => (
        <div className="fm-cell-stack">
          <span className={a.delta > 0 ? 'fm-delta-up' : a.delta < 0 ? 'fm-delta-down' : ''}>
            {a.delta > 0 ? `+${a.delta}` : a.delta}
          </span>
          <span className="fm-muted">{t(`merchant.stock.modes.${a.mode}`)}</span>
        </div>
      ),
    },
    { key: 'after', title: t('merchant.stock.after'), dataIndex: 'onHandAfter', align: 'right' },
    {
      key: 'reason',
      title: t('merchant.stock.reason'),
      render: (_, a) => (
        <div className="fm-cell-stack">
          <span>{a.mode === 'initial' ? t('merchant.stock.initialReason') : a.reason || <span className="fm-muted">-</span>}</span>
          <span className="fm-muted">{t(`merchant.stock.actors.${a.actor.kind === 'api_key' ? 'api_key' : a.actor.kind === 'user' ? 'user' : 'system'}`)}</span>
        </div>
      ),
    },
  ];
  return (
    <Drawer
      open={sku !== null}
      onClose={onClose}
      title={t('merchant.stock.historyTitle', { sku: sku ? specText(sku, dims) || sku.code : '' })}
      size={Math.min(560, window.innerWidth)}
      classNames={{ body: 'fm-drawer-table' }}
    >
      {history.isError && <p className="fm-muted">{errorMessage(history.error)}</p>}
      <Table<StockAdjustment>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={history.isFetching && !history.isFetchingNextPage}
        pagination={false}
      />
      {history.hasNextPage && (
        <div className="fm-table-footer">
          <span />
          <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </Drawer>
  );
}
