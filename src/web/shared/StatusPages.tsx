import { Button, Card, Result, Spin, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ButtonLink } from './ButtonLink';
import { useErrorMessage } from './errors';
import { useTitle } from './useTitle';

export function PageSpin() {
  const { t } = useTranslation();
  return (
    <div className="fm-page-spin">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

export function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return (
    <Result
      status="warning"
      title={t('pages.loadFailed')}
      subTitle={errorMessage(error)}
      extra={
        <Button type="primary" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  useTitle(t('pages.notFoundTitle'));
  return (
    <Result
      status="404"
      title={t('pages.notFoundTitle')}
      subTitle={t('pages.notFoundText')}
      extra={
        <ButtonLink to="/" type="primary">{t('common.backHome')}</ButtonLink>
      }
    />
  );
}

export function Forbidden({ title, text, extra }: { title: string; text: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  useTitle(title);
  return (
    <Result
      status="403"
      title={title}
      subTitle={text}
      extra={
        <div className="fm-result-actions">
          {extra}
          <ButtonLink to="/">{t('common.backHome')}</ButtonLink>
        </div>
      }
    />
  );
}

/** A console page whose feature has not landed yet. */
export function ComingSoon({ title }: { title: string }) {
  const { t } = useTranslation();
  useTitle(title);
  return (
    <>
      <Typography.Title level={4} className="fm-page-title">
        {title}
      </Typography.Title>
      <Card>
        <Result status="info" title={t('common.comingSoonTitle')} subTitle={t('common.comingSoonText')} />
      </Card>
    </>
  );
}

/** Route-level error boundary: a failed lazy chunk or a render error. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  console.error(error);
  return (
    <Result
      status="500"
      title={t('pages.crashedTitle')}
      subTitle={t('pages.crashedText')}
      extra={
        <Button type="primary" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </Button>
      }
    />
  );
}
