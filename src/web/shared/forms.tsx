import { Alert, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { useErrorMessage } from './errors';

/**
 * Puts a failed submit's per-field messages under the form's fields. The server's `path` may be
 * `email` or `body.email`; its last segment names the field.
 */
export function showFieldErrors(
  form: FormInstance,
  fields: readonly string[],
  error: unknown,
  extra: Record<string, string> = {},
): void {
  if (!(error instanceof ApiError)) return;
  const byField = new Map<string, string[]>();
  for (const { path, message } of error.fieldErrors) {
    const field = path.split(/[./]/).filter(Boolean).pop();
    if (field && fields.includes(field)) byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  for (const [field, message] of Object.entries(extra)) byField.set(field, [message]);
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
}

/** The translated error of a failed submit, above the form. */
export function FormErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  if (!error) return null;
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      className="fm-form-alert"
      role="alert"
      title={errorMessage(error)}
      description={requestId ? t('errors.requestId', { id: requestId }) : undefined}
    />
  );
}
