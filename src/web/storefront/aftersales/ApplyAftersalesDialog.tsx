import { Alert, type ButtonProps, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AFTERSALES_KINDS, AFTERSALES_REASONS, type AftersalesKind, type AftersalesReason, useAftersalesErrorMessage, useApplyAftersales } from '../../shared/aftersales';
import { ItemLine } from '../../shared/CommerceBits';
import type { OrderDetail } from '../../shared/commerce';
import '../../shared/aftersales.css';
import { formatFen } from '../../shared/money';

type Item = OrderDetail['items'][number];
type Values = { kind: AftersalesKind; quantity: number; reason: AftersalesReason; description?: string };

/** 申请售后 for one item of the order: what kind, how many, why; then the request's own page. */
export function ApplyAftersalesDialog({ orderId, item, onClose }: { orderId: string; item: Item | null; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const errorMessage = useAftersalesErrorMessage();
  const apply = useApplyAftersales(orderId);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const kind = Form.useWatch('kind', form);
  const quantity = Form.useWatch('quantity', form);

  const submit = async () => {
    const values = await form.validateFields();
    if (!item) return;
    setError(null);
    try {
      const created = await apply.mutateAsync({
        orderItemId: item.id,
        kind: values.kind,
        quantity: values.quantity,
        reason: values.reason,
        description: values.description?.trim() ?? '',
      });
      onClose();
      void navigate(`/aftersales/${created.id}`);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Modal
      open={item !== null}
      title={t('aftersales.apply.title')}
      okText={t('aftersales.apply.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={apply.isPending}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'apply-submit' } as ButtonProps}
    >
      {item && (
        <>
          {error !== null && <Alert type="error" showIcon className="fm-form-alert" title={errorMessage(error)} data-testid="apply-error" />}
          <div className="fm-as-apply-item">
            <ItemLine item={item} />
          </div>
          <Form form={form} layout="vertical" requiredMark={false} initialValues={{ kind: 'return_refund', quantity: item.quantity }}>
            <Form.Item name="kind" label={t('aftersales.apply.kind')} rules={[{ required: true }]}>
              <Radio.Group className="fm-as-kinds" data-testid="apply-kind">
                {AFTERSALES_KINDS.map((k) => (
                  <Radio key={k} value={k} data-testid={`kind-${k}`}>
                    {t(`aftersales.kind.${k}`)}
                    <span className="fm-muted fm-as-kind-hint">{t(`aftersales.kindHint.${k}`)}</span>
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item name="quantity" label={t('aftersales.apply.quantity')} extra={t('aftersales.apply.quantityHint', { count: item.quantity })} rules={[{ required: true }]}>
              <InputNumber min={1} max={item.quantity} precision={0} data-testid="apply-quantity" />
            </Form.Item>
            <Form.Item name="reason" label={t('aftersales.apply.reason')} rules={[{ required: true, message: t('aftersales.apply.reasonPlaceholder') }]}>
              <Select
                placeholder={t('aftersales.apply.reasonPlaceholder')}
                data-testid="apply-reason"
                options={AFTERSALES_REASONS.map((r) => ({ value: r, label: t(`aftersales.reason.${r}`) }))}
              />
            </Form.Item>
            <Form.Item name="description" label={t('aftersales.apply.description')}>
              <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('aftersales.apply.descriptionPlaceholder')} data-testid="apply-description" />
            </Form.Item>
            {/* The server computes the amount; this is what the buyer can expect. */}
            {kind !== 'exchange' && (
              <p className="fm-muted">
                {t('aftersales.apply.amount')} <strong className="fm-price" data-testid="apply-amount">{formatFen(Math.floor((item.lineTotal * (quantity ?? item.quantity)) / item.quantity))}</strong>
              </p>
            )}
          </Form>
        </>
      )}
    </Modal>
  );
}
