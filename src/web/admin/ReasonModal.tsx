import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../shared/FormModal';

/** Asks for the reason of a rejection or a suspension (2–500 characters), which the merchant sees. */
export function ReasonModal({
  open,
  title,
  okText,
  presets = [],
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  okText: string;
  presets?: string[];
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <FormModal form={form} open={open} title={title} okText={okText} danger onSubmit={({ reason }) => onSubmit(reason.trim())} onClose={onClose}>
      <Form.Item
        name="reason"
        label={t('admin.reason')}
        extra={t('admin.reasonHint')}
        rules={[
          { required: true, whitespace: true, message: t('admin.reasonRequired') },
          { min: 2, max: 500, message: t('admin.reasonLength') },
        ]}
      >
        <Input.TextArea rows={4} maxLength={500} showCount />
      </Form.Item>
      {presets.length > 0 && (
        <div className="fm-reason-presets">
          {presets.map((preset) => (
            <button type="button" key={preset} className="fm-chip" onClick={() => form.setFieldValue('reason', preset)}>
              {preset}
            </button>
          ))}
        </div>
      )}
    </FormModal>
  );
}
