import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError } from '../../shared/api';
import { ButtonLink } from '../../shared/ButtonLink';
import { OrderStateTag } from '../../shared/CommerceBits';
import { useCommerceErrorMessage, type CheckoutResult, type Payment, type SandboxTrade } from '../../shared/commerce';
import '../../shared/commerce.css';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { LanguageSwitch } from '../../shared/layout/LanguageSwitch';
import { Logo } from '../../shared/layout/Logo';
import { formatFen } from '../../shared/money';
import { LoadFailed, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';

const POLL_MS = 800;
// Codes that mean "this payment is over": ask the group for the payment to use now.
const OVER = ['payment_not_pending', 'payment_expired', 'payment_not_open'];

type PaymentView = { payment: Payment; sandboxTrade: SandboxTrade };

/**
 * The sandbox provider's hosted cashier (收银台) at /pay/sandbox/:paymentId: what a real provider's
 * page would be. 支付 or 拒绝 go to the sandbox; the result reaches the platform as an asynchronous
 * notification, so the page polls the payment until it has settled.
 */
export function SandboxPayPage() {
  const { t } = useTranslation();
  const { paymentId = '' } = useParams();
  useTitle(t('cashier.title'));
  return (
    <div className="fm-cashier">
      <header className="fm-cashier-head">
        <Logo />
        <span className="fm-cashier-name">{t('cashier.title')}</span>
        <Tag color="purple">{t('cashier.sandbox')}</Tag>
        <span className="fm-cashier-spacer" />
        <LanguageSwitch />
      </header>
      <main className="fm-cashier-main">
        {/* A new payment (after a decline) is a new page: start fresh. */}
        <Cashier key={paymentId} paymentId={paymentId} />
      </main>
    </div>
  );
}

function Cashier({ paymentId }: { paymentId: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const [sent, setSent] = useState<'pay' | 'decline' | null>(null);

  const view = useQuery({
    queryKey: ['payments', paymentId],
    queryFn: () => api.get<PaymentView>(`/api/v1/payments/${paymentId}`),
    // Poll while the sandbox has the shopper's answer but the platform has not heard yet.
    refetchInterval: (query) => {
      const data = query.state.data;
      if (!data || data.payment.state !== 'pending') return false;
      return sent || (data.sandboxTrade && data.sandboxTrade.status !== 'open') ? POLL_MS : false;
    },
  });
  const payment = view.data?.payment;

  const group = useQuery({
    queryKey: ['order-groups', payment?.groupId],
    queryFn: () => api.get<CheckoutResult>(`/api/v1/order-groups/${payment!.groupId}`),
    enabled: payment?.state === 'succeeded',
  });

  useEffect(() => {
    if (payment?.state === 'succeeded') void queryClient.invalidateQueries({ queryKey: ['orders'] });
  }, [payment?.state, queryClient]);

  // The payment to use now for this group: the open one, or a new one for what is still unpaid.
  const renew = useMutation({
    mutationFn: (groupId: string) => api.post<{ payment: Payment }>(`/api/v1/order-groups/${groupId}/payment`),
    onSuccess: ({ payment: next }) => {
      if (next.id === paymentId) return void view.refetch();
      if (next.payUrl && !next.payUrl.startsWith('/')) return window.location.assign(next.payUrl);
      void navigate(next.payUrl ?? `/pay/sandbox/${next.id}`, { replace: true });
    },
  });

  const act = useMutation({
    mutationFn: (action: 'pay' | 'decline') => api.post<{ status: string }>(`/api/v1/payments/${paymentId}/sandbox/${action}`),
    onMutate: (action) => setSent(action),
    onSuccess: () => void view.refetch(),
    onError: (error) => {
      setSent(null);
      if (error instanceof ApiError && OVER.includes(error.code) && payment) renew.mutate(payment.groupId);
      else void view.refetch();
    },
  });

  if (view.isPending) return <PageSpin />;
  if (view.isError) return <LoadFailed error={view.error} onRetry={() => void view.refetch()} />;
  const p = view.data.payment;
  const waiting = p.state === 'pending' && (sent !== null || (view.data.sandboxTrade !== null && view.data.sandboxTrade.status !== 'open'));

  if (p.state === 'succeeded') {
    const orders = group.data?.orders ?? [];
    return (
      <Card className="fm-cashier-card">
        <Result
          icon={<CheckCircleFilled className="fm-result-icon-success" />}
          title={t('cashier.paidTitle')}
          subTitle={t('cashier.paidText', { amount: formatFen(p.amount), count: p.orders.length })}
          extra={
            <div className="fm-result-actions">
              <ButtonLink to="/orders" type="primary">
                {t('cashier.viewOrders')}
              </ButtonLink>
              <ButtonLink to="/">{t('cashier.keepShopping')}</ButtonLink>
            </div>
          }
        />
        {group.isPending ? (
          <Spin className="fm-block-spin" />
        ) : (
          <ul className="fm-plain-list fm-cashier-orders" data-testid="paid-orders">
            {orders.map((o) => (
              <li key={o.id}>
                <Link to={`/orders/${o.id}`}>{o.storeName}</Link>
                <OrderStateTag state={o.state} />
                <span className="fm-price">{formatFen(o.total)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    );
  }

  const over = p.state === 'failed' || p.state === 'closed';
  return (
    <Card className="fm-cashier-card">
      <div className="fm-cashier-amount">
        <span className="fm-muted">{t('cashier.amount')}</span>
        <strong data-testid="pay-amount">{formatFen(p.amount)}</strong>
      </div>
      <dl className="fm-cashier-facts">
        <dt>{t('cashier.subject')}</dt>
        <dd>{p.subject}</dd>
        <dt>{t('cashier.orders')}</dt>
        <dd>{t('cashier.orderCount', { count: p.orders.length })}</dd>
        <dt>{t('cashier.paymentId')}</dt>
        <dd className="fm-mono">{p.id}</dd>
        {p.state === 'pending' && (
          <>
            <dt>{t('cashier.expiresAt')}</dt>
            <dd>
              <ClockCircleOutlined /> {formatDateTime(p.expiresAt, language)}
            </dd>
          </>
        )}
      </dl>

      {p.state === 'failed' && (
        <Alert
          type="error"
          showIcon
          icon={<CloseCircleFilled />}
          className="fm-form-alert"
          title={t('cashier.failedTitle')}
          description={t('cashier.failedText')}
        />
      )}
      {p.state === 'closed' && (
        <Alert type="warning" showIcon className="fm-form-alert" title={t('cashier.closedTitle')} description={t('cashier.closedText')} />
      )}
      {(act.error ?? renew.error) && (
        <Alert type="error" showIcon className="fm-form-alert" title={errorMessage(renew.error ?? act.error)} />
      )}

      {waiting ? (
        <div className="fm-cashier-waiting" role="status">
          <Spin />
          <span>{sent === 'decline' || view.data.sandboxTrade?.status === 'declined' ? t('cashier.waitingDecline') : t('cashier.waiting')}</span>
        </div>
      ) : over ? (
        <div className="fm-cashier-actions">
          {p.state === 'failed' && (
            <Button type="primary" size="large" block loading={renew.isPending} onClick={() => renew.mutate(p.groupId)}>
              {t('cashier.tryAgain')}
            </Button>
          )}
          <ButtonLink to="/orders" size="large" block>
            {t('cashier.viewOrders')}
          </ButtonLink>
        </div>
      ) : (
        <div className="fm-cashier-actions">
          <Button type="primary" size="large" block loading={act.isPending && act.variables === 'pay'} disabled={act.isPending} onClick={() => act.mutate('pay')}>
            {t('cashier.pay', { amount: formatFen(p.amount) })}
          </Button>
          <Button size="large" block danger disabled={act.isPending} onClick={() => act.mutate('decline')}>
            {t('cashier.decline')}
          </Button>
        </div>
      )}
      <p className="fm-muted fm-cashier-note">
        <SafetyCertificateOutlined /> {t('cashier.sandboxNote')}
      </p>
    </Card>
  );
}
