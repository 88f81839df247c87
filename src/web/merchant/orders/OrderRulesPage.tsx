import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Radio, Select, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { useRegions, type StoreRules } from '../../shared/commerce';
import '../../shared/commerce.css';
import { FormErrorAlert, showFieldErrors } from '../../shared/forms';
import { useStore } from '../../shared/merchants';
import { fenToYuan, yuanToFen } from '../../shared/money';
import { PageHead, QueryAlert } from '../../shared/PageHead';
import { useTitle } from '../../shared/useTitle';
import { ShippingSettingsCard } from './ShippingSettingsCard';

const rulesKey = ['merchant', 'order-rules'] as const;

/** The form's view of the rules: yuan as text, "no limit" as its own choice. */
interface Values {
  minOrderAmount: string;
  limitQuantity: 'none' | 'limit';
  maxQuantityPerSku: number | null;
  deliverTo: 'all' | 'some';
  deliveryProvinces: string[];
  shippingFee: string;
  freeShipping: 'never' | 'above';
  freeShippingFrom: string | null;
  acceptMode: 'auto' | 'manual';
  acceptDeadlineHours: number;
}

function toValues(r: StoreRules): Values {
  return {
    minOrderAmount: fenToYuan(r.minOrderAmount),
    limitQuantity: r.maxQuantityPerSku === null ? 'none' : 'limit',
    maxQuantityPerSku: r.maxQuantityPerSku,
    deliverTo: r.deliveryProvinces === null ? 'all' : 'some',
    deliveryProvinces: r.deliveryProvinces ?? [],
    shippingFee: fenToYuan(r.shippingFee),
    freeShipping: r.freeShippingFrom === null ? 'never' : 'above',
    freeShippingFrom: r.freeShippingFrom === null ? null : fenToYuan(r.freeShippingFrom),
    acceptMode: r.acceptMode,
    acceptDeadlineHours: r.acceptDeadlineHours,
  };
}

function toRules(v: Values): StoreRules {
  return {
    minOrderAmount: yuanToFen(v.minOrderAmount) ?? 0,
    maxQuantityPerSku: v.limitQuantity === 'limit' ? v.maxQuantityPerSku : null,
    deliveryProvinces: v.deliverTo === 'some' ? v.deliveryProvinces : null,
    shippingFee: yuanToFen(v.shippingFee) ?? 0,
    freeShippingFrom: v.freeShipping === 'above' ? yuanToFen(v.freeShippingFrom) : null,
    acceptMode: v.acceptMode,
    acceptDeadlineHours: v.acceptMode === 'manual' ? v.acceptDeadlineHours : v.acceptDeadlineHours || 24,
  };
}

function Yuan(props: { id?: string; value?: string | null; onChange?: (v: string | null) => void; ariaLabel?: string }) {
  return (
    <InputNumber<string>
      id={props.id}
      stringMode
      min="0"
      step="1"
      precision={2}
      prefix="¥"
      className="fm-rules-number"
      value={props.value ?? null}
      onChange={(v) => props.onChange?.(v)}
      aria-label={props.ariaLabel}
    />
  );
}

/** 订单规则 (订单生成条件): minimum amount, per-SKU limit, delivery area, shipping fee, 接单 mode. */
export function OrderRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { data: store } = useStore();
  const regions = useRegions();
  const readOnly = store?.state === 'suspended';
  useTitle(t('orderRules.title'));

  const rules = useQuery({ queryKey: rulesKey, queryFn: () => api.get<{ rules: StoreRules }>('/api/v1/merchant/order-rules').then((r) => r.rules) });
  const save = useMutation({
    mutationFn: (values: Values) => api.put<{ rules: StoreRules }>('/api/v1/merchant/order-rules', toRules(values)),
    onSuccess: ({ rules: saved }) => {
      queryClient.setQueryData(rulesKey, saved);
      form.setFieldsValue(toValues(saved));
      void message.success(t('common.saved'));
    },
    onError: (error) => showFieldErrors(form, ['minOrderAmount', 'maxQuantityPerSku', 'deliveryProvinces', 'shippingFee', 'freeShippingFrom', 'acceptDeadlineHours'], error),
  });

  const limitQuantity = Form.useWatch('limitQuantity', form);
  const deliverTo = Form.useWatch('deliverTo', form);
  const freeShipping = Form.useWatch('freeShipping', form);
  const acceptMode = Form.useWatch('acceptMode', form);
  const provinces = (regions.data?.provinces ?? []).map((p) => ({ value: p.code, label: p.name }));

  return (
    <>
      <PageHead title={t('orderRules.title')} note={t('orderRules.note')} />
      <QueryAlert error={rules.error} onRetry={() => void rules.refetch()} />
      <Card className="fm-rules-card">
        {rules.isPending ? (
          <Skeleton active paragraph={{ rows: 8 }} />
        ) : rules.data ? (
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={toValues(rules.data)}
            disabled={readOnly}
            requiredMark={false}
            onFinish={(values) => save.mutate(values)}
            className="fm-rules-form"
          >
            <FormErrorAlert error={save.error} />
            <h3 className="fm-rules-section">{t('orderRules.acceptSection')}</h3>
            <Form.Item name="acceptMode" label={t('orderRules.acceptMode')}>
              <Radio.Group
                options={[
                  { value: 'auto', label: t('orderRules.auto') },
                  { value: 'manual', label: t('orderRules.manual') },
                ]}
              />
            </Form.Item>
            <p className="fm-muted fm-rules-help">{acceptMode === 'manual' ? t('orderRules.manualHelp') : t('orderRules.autoHelp')}</p>
            {acceptMode === 'manual' && (
              <Form.Item name="acceptDeadlineHours" label={t('orderRules.deadline')} rules={[{ required: true, type: 'number', min: 1, max: 168 }]}>
                <InputNumber<number> min={1} max={168} precision={0} suffix={t('orderRules.hours')} className="fm-rules-number" />
              </Form.Item>
            )}

            <h3 className="fm-rules-section">{t('orderRules.conditionsSection')}</h3>
            <Form.Item name="minOrderAmount" label={t('orderRules.minOrderAmount')} extra={t('orderRules.minOrderHelp')}>
              <Yuan />
            </Form.Item>
            <Form.Item label={t('orderRules.maxQuantity')} required={false}>
              <div className="fm-rules-inline">
                <Form.Item name="limitQuantity" noStyle>
                  <Radio.Group
                    options={[
                      { value: 'none', label: t('orderRules.noLimit') },
                      { value: 'limit', label: t('orderRules.limitTo') },
                    ]}
                  />
                </Form.Item>
                {limitQuantity === 'limit' && (
                  <Form.Item name="maxQuantityPerSku" noStyle rules={[{ required: true, message: t('orderRules.maxQuantityRequired') }]}>
                    <InputNumber<number> min={1} max={9999} precision={0} suffix={t('orderRules.units')} aria-label={t('orderRules.maxQuantity')} className="fm-rules-number" />
                  </Form.Item>
                )}
              </div>
            </Form.Item>
            <Form.Item name="deliverTo" label={t('orderRules.deliverTo')}>
              <Radio.Group
                options={[
                  { value: 'all', label: t('orderRules.everywhere') },
                  { value: 'some', label: t('orderRules.someProvinces') },
                ]}
              />
            </Form.Item>
            {deliverTo === 'some' && (
              <Form.Item name="deliveryProvinces" label={t('orderRules.provinces')} rules={[{ required: true, type: 'array', min: 1, message: t('orderRules.provincesRequired') }]}>
                <Select mode="multiple" options={provinces} loading={regions.isPending} optionFilterProp="label" placeholder={t('orderRules.provincesPlaceholder')} />
              </Form.Item>
            )}

            <h3 className="fm-rules-section">{t('orderRules.shippingSection')}</h3>
            <Form.Item name="shippingFee" label={t('orderRules.shippingFee')} extra={t('orderRules.shippingFeeHelp')}>
              <Yuan />
            </Form.Item>
            <Form.Item label={t('orderRules.freeShipping')}>
              <div className="fm-rules-inline">
                <Form.Item name="freeShipping" noStyle>
                  <Radio.Group
                    options={[
                      { value: 'never', label: t('orderRules.freeNever') },
                      { value: 'above', label: t('orderRules.freeAbove') },
                    ]}
                  />
                </Form.Item>
                {freeShipping === 'above' && (
                  <Form.Item name="freeShippingFrom" noStyle rules={[{ required: true, message: t('orderRules.freeFromRequired') }]}>
                    <Yuan ariaLabel={t('orderRules.freeShippingFrom')} />
                  </Form.Item>
                )}
              </div>
            </Form.Item>

            <div className="fm-form-actions">
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('common.save')}
              </Button>
            </div>
          </Form>
        ) : null}
      </Card>
      <ShippingSettingsCard readOnly={readOnly} />
    </>
  );
}
