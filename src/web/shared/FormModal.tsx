import { type ButtonProps, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { FormErrorAlert } from './forms';

/**
 * A dialog around one form: OK submits it, the server's refusal shows above the fields, and the
 * fields are cleared once it closes. `onSubmit` resolving closes the dialog.
 */
export function FormModal<T extends object>({
  form,
  open,
  title,
  okText,
  danger = false,
  onSubmit,
  onClose,
  initialValues,
  requiredMark = true,
  okTestId,
  children,
}: {
  form: FormInstance<T>;
  open: boolean;
  title: ReactNode;
  okText: string;
  danger?: boolean;
  onSubmit: (values: T) => Promise<unknown>;
  onClose: () => void;
  /** The fields' values as the dialog opens (an edit's current values). */
  initialValues?: Partial<T> | undefined;
  /** antd's asterisk on required fields. */
  requiredMark?: boolean;
  /** The OK button's `data-testid`, for browser tests. */
  okTestId?: string;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger, ...(okTestId ? { 'data-testid': okTestId } : {}) } as ButtonProps}
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
        requiredMark={requiredMark}
        initialValues={initialValues}
        onFinish={async (values: T) => {
          setBusy(true);
          setError(null);
          try {
            await onSubmit(values);
            onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}
