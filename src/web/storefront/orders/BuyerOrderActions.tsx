import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Modal, Popconfirm, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../shared/api';
import { cartRootKey } from '../../shared/cart';
import { useCommerceErrorMessage, type OrderSummary, type Payment } from '../../shared/commerce';

const REASONS = ['wrongItem', 'wrongAddress', 'tooSlow', 'noLongerNeeded'] as const;

/**
 * The buttons the server allows on one of my orders (`order.actions`): 去支付, 取消订单, 申请取消,
 * 确认收货, 再来一单. For the order list and the order page alike.
 */
export function BuyerOrderActions({
  order,
  size = 'middle',
  omit = [],
}: {
  order: OrderSummary;
  size?: 'small' | 'middle';
  /** Actions the page shows in its own way (the order page has its own 确认收货). */
  omit?: readonly string[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');

  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['orders'] });
  const fail = (error: unknown) => {
    void message.error(errorMessage(error));
    refresh();
  };

  const pay = useMutation({
    mutationFn: () => api.post<{ payment: Payment }>(`/api/v1/order-groups/${order.groupId}/payment`),
    onSuccess: ({ payment }) => {
      const to = payment.payUrl ?? `/pay/sandbox/${payment.id}`;
      if (to.startsWith('/')) void navigate(to);
      else window.location.assign(to);
    },
    onError: fail,
  });
  const cancel = useMutation({
    mutationFn: () => api.post(`/api/v1/orders/${order.id}/cancel`, { reason: 'buyer_cancelled' }),
    onSuccess: () => {
      void message.success(t('myOrders.cancelled'));
      refresh();
    },
    onError: fail,
  });
  const request = useMutation({
    mutationFn: (text: string) => api.post(`/api/v1/orders/${order.id}/cancellation-request`, { reason: text }),
    onSuccess: () => {
      void message.success(t('myOrders.requestSent'));
      setAsking(false);
      setReason('');
      refresh();
    },
    onError: fail,
  });
  const confirm = useMutation({
    mutationFn: () => api.post(`/api/v1/orders/${order.id}/confirm-receipt`),
    onSuccess: () => {
      void message.success(t('myOrders.received'));
      refresh();
    },
    onError: fail,
  });
  const reorder = useMutation({
    mutationFn: () => api.post<{ added: string[]; skipped: { skuId: string; code: string }[] }>(`/api/v1/orders/${order.id}/reorder`),
    onSuccess: ({ added, skipped }) => {
      void queryClient.invalidateQueries({ queryKey: cartRootKey });
      if (added.length === 0) return void message.warning(t('myOrders.reorderNone'));
      void message.success(skipped.length > 0 ? t('myOrders.reorderSome', { count: skipped.length }) : t('myOrders.reorderDone'));
      void navigate('/cart');
    },
    onError: fail,
  });

  const has = (action: string) => order.actions.includes(action) && !omit.includes(action);
  return (
    <Space size={8} wrap className="fm-order-actions">
      {has('cancel') && (
        <Popconfirm
          title={t('myOrders.cancelConfirm')}
          okText={t('myOrders.cancel')}
          cancelText={t('myOrders.keep')}
          onConfirm={() => cancel.mutateAsync().catch(() => undefined)}
        >
          <Button size={size} loading={cancel.isPending}>
            {t('myOrders.cancel')}
          </Button>
        </Popconfirm>
      )}
      {has('request_cancellation') && (
        <Button size={size} onClick={() => setAsking(true)}>
          {t('myOrders.requestCancel')}
        </Button>
      )}
      {has('reorder') && (
        <Button size={size} loading={reorder.isPending} onClick={() => reorder.mutate()}>
          {t('myOrders.reorder')}
        </Button>
      )}
      {has('confirm_receipt') && (
        <Popconfirm
          title={t('myOrders.confirmReceiptConfirm')}
          okText={t('common.confirm')}
          cancelText={t('common.cancel')}
          onConfirm={() => confirm.mutateAsync().catch(() => undefined)}
        >
          <Button size={size} type="primary" ghost loading={confirm.isPending}>
            {t('myOrders.confirmReceipt')}
          </Button>
        </Popconfirm>
      )}
      {has('pay') && (
        <Button size={size} type="primary" loading={pay.isPending} onClick={() => pay.mutate()}>
          {t('myOrders.pay')}
        </Button>
      )}
      <Modal
        open={asking}
        title={t('myOrders.requestCancelTitle')}
        okText={t('myOrders.requestCancelSubmit')}
        cancelText={t('common.cancel')}
        okButtonProps={{ disabled: !reason.trim() }}
        confirmLoading={request.isPending}
        onOk={() => request.mutate(reason.trim())}
        onCancel={() => setAsking(false)}
      >
        <p className="fm-muted">{t('myOrders.requestCancelText')}</p>
        <div className="fm-reason-chips">
          {REASONS.map((key) => {
            const text = t(`myOrders.reasons.${key}`);
            return (
              <button key={key} type="button" className={reason === text ? 'fm-reason-chip fm-reason-chip-on' : 'fm-reason-chip'} onClick={() => setReason(text)}>
                {text}
              </button>
            );
          })}
        </div>
        <Input.TextArea
          value={reason}
          maxLength={200}
          showCount
          autoSize={{ minRows: 2, maxRows: 4 }}
          aria-label={t('myOrders.reason')}
          placeholder={t('myOrders.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
