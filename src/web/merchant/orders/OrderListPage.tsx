import { SettingOutlined } from '@ant-design/icons';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Grid, Input, Modal, Popconfirm, Space, Spin, Table, Tabs, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import { ItemThumb, OrderStateTag } from '../../shared/CommerceBits';
import { ORDER_STATES, specText, useCommerceErrorMessage, type OrderState, type OrderSummary } from '../../shared/commerce';
import '../../shared/commerce.css';
import { FormErrorAlert } from '../../shared/forms';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { formatFen } from '../../shared/money';
import { PageHead, QueryAlert } from '../../shared/PageHead';
import { useTitle } from '../../shared/useTitle';
import { BulkShipButton } from './BulkShipDialog';
import { OrderFulfillmentCell } from './OrderFulfillmentCell';

const PAGE_SIZE = 20;
// The tabs in the order a store works through them; 待付款 is last: nothing to do there.
const TABS = ['paid', 'to_ship', 'shipped', 'delivered', 'completed', 'cancelled', 'pending_payment'] as const satisfies readonly OrderState[];

type OrdersPage = { items: OrderSummary[]; nextCursor: string | null; counts: Record<OrderState, number> };
type Act = 'accept' | 'refuse' | 'cancellation/approve' | 'cancellation/decline';

function isState(value: string | null): value is OrderState {
  return ORDER_STATES.includes(value as OrderState);
}

/** 订单: the store's orders by state, 接单 / 拒单, and the buyers' cancellation requests. */
export function MerchantOrderListPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const [params, setParams] = useSearchParams();
  const raw = params.get('state');
  const state = isState(raw) ? raw : undefined;
  const wide = Grid.useBreakpoint().md ?? true;
  const [asking, setAsking] = useState<{ order: OrderSummary; act: 'refuse' | 'cancellation/decline' } | null>(null);
  useTitle(t('merchantOrders.title'));

  const orders = useInfiniteQuery({
    queryKey: ['merchant', 'orders', state ?? 'all'],
    queryFn: ({ pageParam }) => api.get<OrdersPage>('/api/v1/merchant/orders', { state, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = orders.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = orders.data?.pages[0]?.counts;

  const act = useMutation({
    mutationFn: ({ id, act: path, reason }: { id: string; act: Act; reason?: string }) =>
      api.post(`/api/v1/merchant/orders/${id}/${path}`, reason === undefined ? {} : { reason }),
    onSuccess: (_data, { act: done }) => {
      void message.success(t(`merchantOrders.done.${done === 'cancellation/approve' ? 'approve' : done === 'cancellation/decline' ? 'decline' : done}`));
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'orders'] });
    },
  });
  const run = (id: string, path: Act) =>
    act.mutateAsync({ id, act: path }).catch((error: unknown) => {
      void message.error(errorMessage(error));
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'orders'] });
    });

  const actions = (o: OrderSummary) => (
    <OrderActions
      order={o}
      busy={act.isPending && act.variables?.id === o.id ? act.variables.act : null}
      onRun={(path) => void run(o.id, path)}
      onAsk={(path) => setAsking({ order: o, act: path })}
    />
  );
  const columns: TableColumnsType<OrderSummary> = [
    { key: 'order', title: t('merchantOrders.order'), render: (_, o) => <OrderCell order={o} /> },
    { key: 'total', title: t('merchantOrders.total'), width: 130, render: (_, o) => <TotalCell order={o} /> },
    { key: 'state', title: t('merchantOrders.state'), width: 170, render: (_, o) => <StateCell order={o} /> },
    { key: 'actions', title: t('common.actions'), width: 200, render: (_, o) => actions(o) },
  ];

  const setState = (key: string) => setParams(key === 'all' ? {} : { state: key });

  return (
    <>
      <PageHead
        title={t('merchantOrders.title')}
        extra={
          <Space wrap>
            <BulkShipButton />
            <ButtonLink to="/merchant/order-rules" icon={<SettingOutlined />}>
              {t('orderRules.title')}
            </ButtonLink>
          </Space>
        }
      />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <div className="fm-list-toolbar">
          <Tabs
            className="fm-status-tabs"
            activeKey={state ?? 'all'}
            onChange={setState}
            items={[
              { key: 'all', label: t('merchantOrders.all') },
              ...TABS.map((s) => ({
                key: s,
                label: (
                  <span data-testid={`mo-tab-${s}`}>
                    {t(`merchantOrders.tabs.${s}`)}
                    {(s === 'paid' || s === 'to_ship') && (counts?.[s] ?? 0) > 0 && <span className="fm-tab-count">{counts?.[s]}</span>}
                  </span>
                ),
              })),
            ]}
          />
        </div>
        <QueryAlert error={orders.error} onRetry={() => void orders.refetch()} />
        {wide ? (
          <Table<OrderSummary>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={orders.isFetching && !orders.isFetchingNextPage}
            pagination={false}
            rowClassName={(o) => (o.cancelRequest?.state === 'pending' ? 'fm-row-alert' : '')}
            locale={{ emptyText: orders.isPending ? ' ' : t('merchantOrders.empty') }}
          />
        ) : (
          // A phone gets one card per order: a table would hide the buttons off to the side.
          <Spin spinning={orders.isFetching && !orders.isFetchingNextPage}>
            {rows.length === 0 ? (
              <Empty className="fm-mo-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={orders.isPending ? ' ' : t('merchantOrders.empty')} />
            ) : (
              <ul className="fm-plain-list fm-mo-cards">
                {rows.map((o) => (
                  <li key={o.id} className={o.cancelRequest?.state === 'pending' ? 'fm-mo-card fm-row-alert' : 'fm-mo-card'} data-testid="mo-card">
                    <div className="fm-mo-card-top">
                      <StateCell order={o} />
                      <TotalCell order={o} />
                    </div>
                    <OrderCell order={o} />
                    <div className="fm-mo-card-actions">{actions(o)}</div>
                  </li>
                ))}
              </ul>
            )}
          </Spin>
        )}
        <div className="fm-table-footer">
          <span className="fm-muted">{t('merchantOrders.loaded', { count: rows.length })}</span>
          {orders.hasNextPage ? (
            <Button onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <span className="fm-muted">{t('common.allLoaded')}</span>
          )}
        </div>
      </Card>
      <ReasonDialog
        key={asking ? `${asking.order.id}:${asking.act}` : 'closed'}
        asking={asking}
        onClose={() => setAsking(null)}
        onSubmit={(reason) => act.mutateAsync({ id: asking!.order.id, act: asking!.act, reason })}
      />
    </>
  );
}

function OrderCell({ order: o }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const first = o.items[0];
  const units = o.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <div className="fm-mo-order">
      {first && <ItemThumb src={first.imageUrl} size="sm" />}
      <div className="fm-cell-stack">
        <Link to={`/merchant/orders/${o.id}`} className="fm-mono fm-mo-id">
          {o.id}
        </Link>
        {first && (
          <span className="fm-mo-item">
            {first.title}
            {specText(first.specs) && <span className="fm-muted"> · {specText(first.specs)}</span>}
          </span>
        )}
        <span className="fm-muted">
          {t('merchantOrders.units', { count: units })} · {formatDateTime(o.createdAt, language)}
        </span>
        {o.note && <span className="fm-mo-note">{t('merchantOrders.note', { note: o.note })}</span>}
      </div>
    </div>
  );
}

function TotalCell({ order: o }: { order: OrderSummary }) {
  const { t } = useTranslation();
  return (
    <div className="fm-cell-stack fm-mo-total">
      <span className="fm-price">{formatFen(o.total)}</span>
      <span className="fm-muted">{o.shippingFee > 0 ? t('merchantOrders.shipping', { amount: formatFen(o.shippingFee) }) : t('checkout.free')}</span>
    </div>
  );
}

function StateCell({ order: o }: { order: OrderSummary }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const pending = o.cancelRequest?.state === 'pending';
  return (
    <div className="fm-cell-stack">
      <span>
        <OrderStateTag state={o.state} />
        {pending && (
          <Tag color="red" className="fm-mo-request-tag">
            {t('merchantOrders.cancelRequested')}
          </Tag>
        )}
      </span>
      {pending && <span className="fm-muted">{t('merchantOrders.requestReason', { reason: o.cancelRequest!.reason })}</span>}
      <OrderFulfillmentCell order={o} />
      {o.state === 'paid' && o.acceptDeadlineAt && (
        <span className="fm-warn-text">{t('merchantOrders.acceptBy', { time: formatDateTime(o.acceptDeadlineAt, language) })}</span>
      )}
    </div>
  );
}

function OrderActions({
  order: o,
  busy,
  onRun,
  onAsk,
}: {
  order: OrderSummary;
  busy: Act | null;
  onRun: (path: Act) => void;
  onAsk: (path: 'refuse' | 'cancellation/decline') => void;
}) {
  const { t } = useTranslation();
  const has = (a: string) => o.actions.includes(a);
  return (
    <Space size={4} wrap>
      {has('accept') && (
        <Button type="primary" size="small" loading={busy === 'accept'} onClick={() => onRun('accept')}>
          {t('merchantOrders.accept')}
        </Button>
      )}
      {has('refuse') && (
        <Button size="small" danger onClick={() => onAsk('refuse')}>
          {t('merchantOrders.refuse')}
        </Button>
      )}
      {has('approve_cancellation') && (
        <Popconfirm
          title={t('merchantOrders.approveConfirm')}
          description={t('merchantOrders.approveConfirmText', { amount: formatFen(o.total) })}
          okText={t('merchantOrders.approve')}
          cancelText={t('common.cancel')}
          onConfirm={() => onRun('cancellation/approve')}
        >
          <Button size="small" danger loading={busy === 'cancellation/approve'}>
            {t('merchantOrders.approve')}
          </Button>
        </Popconfirm>
      )}
      {has('decline_cancellation') && (
        <Button size="small" onClick={() => onAsk('cancellation/decline')}>
          {t('merchantOrders.decline')}
        </Button>
      )}
      {o.state === 'to_ship' && o.cancelRequest?.state !== 'pending' && (
        <ButtonLink to={`/merchant/orders/${o.id}?ship=1`} type="primary" size="small" data-testid="ship-link">
          {t('tracking.ship.button')}
        </ButtonLink>
      )}
      <ButtonLink to={`/merchant/orders/${o.id}`} type="link" size="small">
        {t('common.view')}
      </ButtonLink>
    </Space>
  );
}

/** The reason a buyer will read: why the store refuses the order, or keeps it despite a request. */
function ReasonDialog({
  asking,
  onClose,
  onSubmit,
}: {
  asking: { order: OrderSummary; act: 'refuse' | 'cancellation/decline' } | null;
  onClose: () => void;
  onSubmit: (reason: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const refuse = asking?.act === 'refuse';
  const presets = refuse
    ? [t('merchantOrders.presets.outOfStock'), t('merchantOrders.presets.cannotDeliver'), t('merchantOrders.presets.priceError')]
    : [t('merchantOrders.presets.packed'), t('merchantOrders.presets.shipped')];
  return (
    <Modal
      open={asking !== null}
      title={refuse ? t('merchantOrders.refuseTitle') : t('merchantOrders.declineTitle')}
      okText={refuse ? t('merchantOrders.refuse') : t('merchantOrders.decline')}
      okButtonProps={{ danger: refuse }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {refuse && <p className="fm-muted">{t('merchantOrders.refuseText', { amount: formatFen(asking.order.total) })}</p>}
      {!refuse && asking?.order.cancelRequest && (
        <p className="fm-muted">{t('merchantOrders.requestReason', { reason: asking.order.cancelRequest.reason })}</p>
      )}
      <FormErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          setBusy(true);
          setError(null);
          try {
            await onSubmit(reason.trim());
            onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('merchantOrders.reason')}
          rules={[{ required: true, whitespace: true, message: t('merchantOrders.reasonRequired') }, { max: 200 }]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount />
        </Form.Item>
        <div className="fm-reason-chips">
          {presets.map((preset) => (
            <button type="button" key={preset} className="fm-reason-chip" onClick={() => form.setFieldValue('reason', preset)}>
              {preset}
            </button>
          ))}
        </div>
      </Form>
    </Modal>
  );
}
