import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, type ButtonProps, Card, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { ItemThumb } from '../../shared/CommerceBits';
import { specText, type OrderSummary } from '../../shared/commerce';
import { useLanguage } from '../../shared/i18n';
import { carrierName, normalizeTrackingNumber, type OrderFulfillment, type Shipment, trackingNumberRule, useCarriers, useTrackingErrorMessage } from '../../shared/tracking';

type ParcelForm = { carrier?: string; trackingNumber?: string; quantities: Record<string, number | null> };
type FormValues = { parcels: ParcelForm[] };
type ShipAnswer = { shipments: Shipment[]; fulfillment: OrderFulfillment; orderState: string };


/**
 * 发货: one or more parcels, each with a carrier, a tracking number and the quantities of the
 * order's lines still to ship. The first parcel starts with everything left.
 */
export function ShipDialog({ order, fulfillment, open, onClose }: { order: OrderSummary; fulfillment: OrderFulfillment | undefined; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorMessage = useTrackingErrorMessage();
  const carriers = useCarriers();
  const [form] = Form.useForm<FormValues>();
  const left = useMemo(() => new Map((fulfillment?.unshipped ?? []).map((l) => [l.orderItemId, l.quantity])), [fulfillment]);
  const lines = order.items.filter((i) => (left.get(i.id) ?? 0) > 0);
  const full = (): ParcelForm => ({ quantities: Object.fromEntries(lines.map((l) => [l.id, left.get(l.id) ?? 0])) });
  const empty = (): ParcelForm => ({ quantities: Object.fromEntries(lines.map((l) => [l.id, 0])) });
  const byCode = new Map((carriers.data ?? []).map((c) => [c.code, c]));

  const ship = useMutation({
    mutationFn: (values: FormValues) =>
      api.post<ShipAnswer>(`/api/v1/merchant/orders/${order.id}/shipments`, {
        parcels: values.parcels.map((p) => ({
          carrier: p.carrier,
          trackingNumber: normalizeTrackingNumber(p.trackingNumber ?? ''),
          items: Object.entries(p.quantities)
            .filter(([, q]) => (q ?? 0) > 0)
            .map(([orderItemId, quantity]) => ({ orderItemId, quantity })),
        })),
      }),
    onSuccess: (answer) => {
      void message.success(answer.orderState === 'shipped' ? t('tracking.ship.done') : t('tracking.ship.partlyDone'));
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'orders'] });
      onClose();
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  const submit = async () => {
    const values = await form.validateFields();
    // Every parcel holds something, and no line ships more than is left.
    const empties = values.parcels.findIndex((p) => Object.values(p.quantities ?? {}).every((q) => !q));
    if (empties >= 0) return void message.warning(t('tracking.ship.emptyParcel', { n: empties + 1 }));
    ship.mutate(values);
  };

  const numberRule = (name: number) => trackingNumberRule(t, language, () => byCode.get(form.getFieldValue(['parcels', name, 'carrier']) as string));

  return (
    <Modal
      open={open}
      title={t('tracking.ship.title', { id: order.id })}
      okText={t('tracking.ship.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={ship.isPending}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      okButtonProps={{ disabled: lines.length === 0, 'data-testid': 'ship-submit' } as ButtonProps}
    >
      {lines.length === 0 ? (
        <Alert type="info" title={t('tracking.ship.nothingLeft')} />
      ) : (
        <Form form={form} layout="vertical" requiredMark={false}>
          <Form.List name="parcels" initialValue={[full()]}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Card
                    key={field.key}
                    size="small"
                    className="fm-ship-parcel"
                    title={t('tracking.ship.parcel', { n: index + 1 })}
                    extra={fields.length > 1 && <Button type="text" size="small" icon={<DeleteOutlined />} aria-label={t('tracking.ship.remove')} onClick={() => remove(field.name)} />}
                  >
                    <div className="fm-ship-fields">
                      <Form.Item name={[field.name, 'carrier']} label={t('tracking.ship.carrier')} rules={[{ required: true, message: t('tracking.ship.carrierPlaceholder') }]}>
                        <Select
                          showSearch={{ optionFilterProp: 'label' }}
                          placeholder={t('tracking.ship.carrierPlaceholder')}
                          loading={carriers.isPending}
                          data-testid="ship-carrier"
                          options={(carriers.data ?? []).map((c) => ({ value: c.code, label: `${carrierName(c, language)} · ${c.code}` }))}
                          onChange={() => {
                            // Re-check a number already typed against the newly chosen carrier.
                            if (form.getFieldValue(['parcels', field.name, 'trackingNumber'])) void form.validateFields([['parcels', field.name, 'trackingNumber']]).catch(() => undefined);
                          }}
                        />
                      </Form.Item>
                      <Form.Item name={[field.name, 'trackingNumber']} label={t('tracking.ship.number')} rules={[numberRule(field.name)]} validateTrigger="onBlur">
                        <Input className="fm-mono" autoComplete="off" data-testid="ship-number" />
                      </Form.Item>
                    </div>
                    <div className="fm-muted">{t('tracking.ship.items')}</div>
                    {lines.map((line) => (
                      <div key={line.id} className="fm-ship-line">
                        <div className="fm-ship-line-text">
                          <ItemThumb src={line.imageUrl} size="sm" />
                          <span>
                            {line.title}
                            {specText(line.specs) && <span className="fm-muted"> · {specText(line.specs)}</span>}
                            <span className="fm-muted"> · {t('tracking.ship.left', { count: left.get(line.id) ?? 0 })}</span>
                          </span>
                        </div>
                        <Form.Item name={[field.name, 'quantities', line.id]} noStyle>
                          <InputNumber min={0} max={left.get(line.id) ?? 0} precision={0} size="small" aria-label={line.title} />
                        </Form.Item>
                      </div>
                    ))}
                  </Card>
                ))}
                <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(empty())}>
                  {t('tracking.ship.addParcel')}
                </Button>
              </>
            )}
          </Form.List>
          <p className="fm-muted fm-ship-hint">{t('tracking.ship.sandboxHint')}</p>
        </Form>
      )}
    </Modal>
  );
}
