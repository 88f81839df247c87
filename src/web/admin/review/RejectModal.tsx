import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FormModal } from '../../shared/FormModal';
import { useTemplates } from './hooks';

export type RejectInput = { templateId?: string; reason?: string };

/**
 * A rejection's reason: a reason template, free text, or both (the merchant reads the template's
 * text followed by the free text).
 */
export function RejectModal({
  open,
  title,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  onSubmit: (input: RejectInput) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const templates = useTemplates();
  const [form] = Form.useForm<RejectInput>();
  const templateId = Form.useWatch('templateId', form);
  const chosen = templates.data?.find((x) => x.id === templateId);
  return (
    <FormModal
      form={form}
      open={open}
      title={title}
      okText={t('reviewAdmin.actions.reject')}
      danger
      onSubmit={(values) => {
        const reason = values.reason?.trim();
        return onSubmit({ ...(values.templateId ? { templateId: values.templateId } : {}), ...(reason ? { reason } : {}) });
      }}
      onClose={onClose}
    >
      <Form.Item
        name="templateId"
        label={t('reviewAdmin.reject.template')}
        extra={
          chosen ? (
            <span className="fm-review-template-body">{chosen.body}</span>
          ) : templates.data?.length === 0 ? (
            <Link to="/admin/review/templates">{t('reviewAdmin.reject.noTemplates')}</Link>
          ) : undefined
        }
      >
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('reviewAdmin.reject.templatePlaceholder')}
          loading={templates.isPending}
          options={(templates.data ?? []).map((x) => ({ value: x.id, label: x.title }))}
        />
      </Form.Item>
      <Form.Item
        name="reason"
        label={t('reviewAdmin.reject.reason')}
        extra={t('reviewAdmin.reject.reasonHint')}
        dependencies={['templateId']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, value: string | undefined) => {
              const text = value?.trim() ?? '';
              if (!getFieldValue('templateId') && text.length === 0) return Promise.reject(new Error(t('reviewAdmin.reject.required')));
              if (text.length === 1) return Promise.reject(new Error(t('reviewAdmin.reject.length')));
              return Promise.resolve();
            },
          }),
        ]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
    </FormModal>
  );
}
