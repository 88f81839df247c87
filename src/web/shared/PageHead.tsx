import { Alert, Button, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorMessage } from './errors';

/** A console page's title row: the title, an optional note under it, and its actions. */
export function PageHead({ title, note, extra }: { title: ReactNode; note?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="fm-page-head">
      <div className="fm-page-head-text">
        <Typography.Title level={4} className="fm-page-title">
          {title}
        </Typography.Title>
        {note && <div className="fm-page-note">{note}</div>}
      </div>
      {extra && <div className="fm-page-actions">{extra}</div>}
    </div>
  );
}

/** A failed load above a list, with a retry. */
export function QueryAlert({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      className="fm-form-alert"
      title={errorMessage(error)}
      action={
        <Button size="small" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}
