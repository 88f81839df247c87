import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormErrorAlert } from '../shared/forms';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true }}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        setError(null);
      }}
      destroyOnHidden
    >
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
      </Form>
    </Modal>
  );
}
