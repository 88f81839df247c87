import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, InputNumber, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { FormErrorAlert } from '../../shared/forms';
import '../../shared/tracking.css';

type Settings = { shipDeadlineHours: number };
const key = ['merchant', 'shipping-settings'];

/** 发货时限: hours from 接单 to shipping; later orders are flagged late to the store and the platform. */
export function ShippingSettingsCard({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: key, queryFn: () => api.get<{ settings: Settings }>('/api/v1/merchant/shipping-settings').then((r) => r.settings) });
  const save = useMutation({
    mutationFn: (values: Settings) => api.put<{ settings: Settings }>('/api/v1/merchant/shipping-settings', values),
    onSuccess: ({ settings: saved }) => {
      queryClient.setQueryData(key, saved);
      void message.success(t('common.saved'));
    },
  });
  return (
    <Card className="fm-rules-card fm-shipping-settings" title={t('tracking.settings.title')}>
      {settings.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : settings.data ? (
        <Form<Settings> layout="vertical" initialValues={settings.data} disabled={readOnly} requiredMark={false} onFinish={(values) => save.mutate(values)}>
          <FormErrorAlert error={save.error} />
          <Form.Item name="shipDeadlineHours" label={t('tracking.settings.hours')} extra={t('tracking.settings.help')} rules={[{ required: true, type: 'number', min: 1, max: 720 }]}>
            <InputNumber min={1} max={720} precision={0} suffix={t('tracking.settings.unit')} />
          </Form.Item>
          <div className="fm-form-actions">
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </div>
        </Form>
      ) : null}
    </Card>
  );
}
