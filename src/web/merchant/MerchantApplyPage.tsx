import { CheckCircleOutlined, ClockCircleOutlined, ShopOutlined, StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Result, Steps } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../shared/api';
import { hasRole, meQueryKey, useMe } from '../shared/auth';
import { ButtonLink } from '../shared/ButtonLink';
import { FormErrorAlert, showFieldErrors } from '../shared/forms';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import type { ApplicationInput, Merchant } from '../shared/merchants';
import { LoadFailed, PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';
import { PROFILE_FIELDS, StoreFields } from './StoreFields';

const applicationKey = ['merchant', 'application'] as const;

/** The signed-in user's latest application; null when they never applied. */
function useApplication() {
  return useQuery({
    queryKey: applicationKey,
    queryFn: async () => {
      try {
        return (await api.get<{ merchant: Merchant }>('/api/v1/merchant/application')).merchant;
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    // While the platform reviews, look again now and then so the answer shows up by itself.
    refetchInterval: (query) => (query.state.data?.state === 'applied' ? 30_000 : false),
  });
}

/** 商家入驻: the store application, then its state until the store opens. */
export function MerchantApplyPage() {
  const { t } = useTranslation();
  const application = useApplication();
  const [editing, setEditing] = useState(false);
  useTitle(t('merchant.application.title'));

  if (application.isPending) return <PageSpin />;
  if (application.isError) return <LoadFailed error={application.error} onRetry={() => void application.refetch()} />;
  const merchant = application.data;

  return (
    <div className="fm-apply">
      <div className="fm-apply-head">
        <h1>{t('merchant.application.title')}</h1>
        <p className="fm-muted">{t('merchant.application.subtitle')}</p>
      </div>
      <Card className="fm-apply-steps">
        <Steps
          size="small"
          responsive={false}
          current={!merchant ? 0 : merchant.state === 'applied' || merchant.state === 'rejected' ? 1 : 2}
          status={merchant?.state === 'rejected' ? 'error' : undefined}
          items={[
            { title: t('merchant.application.stepFill') },
            { title: t('merchant.application.stepReview') },
            { title: t('merchant.application.stepOpen') },
          ]}
        />
      </Card>
      {!merchant || (merchant.state === 'rejected' && editing) ? (
        <ApplicationForm previous={merchant ?? undefined} onDone={() => setEditing(false)} />
      ) : (
        <ApplicationState merchant={merchant} onResubmit={() => setEditing(true)} />
      )}
    </div>
  );
}

function ApplicationForm({ previous, onDone }: { previous?: Merchant; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const [form] = Form.useForm<ApplicationInput>();
  const apply = useMutation({
    mutationFn: (input: ApplicationInput) => api.post<{ merchant: Merchant }>('/api/v1/merchant/application', input),
    onSuccess: ({ merchant }) => queryClient.setQueryData(applicationKey, merchant),
  });

  const onFinish = async (values: ApplicationInput) => {
    try {
      await apply.mutateAsync({
        name: values.name,
        creditCode: values.creditCode,
        contactName: values.contactName,
        contactMobile: values.contactMobile,
        contactEmail: values.contactEmail,
        description: values.description?.trim() ?? '',
        logoUrl: values.logoUrl?.trim() || null,
      });
      void message.success(t('merchant.application.submitted'));
      onDone();
    } catch (error) {
      const extra: Record<string, string> =
        error instanceof ApiError && error.code === 'store_name_taken' ? { name: t('errors.store_name_taken') } : {};
      showFieldErrors(form, PROFILE_FIELDS, error, extra);
    }
  };

  return (
    <Card title={t('merchant.application.formTitle')}>
      {previous?.stateReason && (
        <Alert
          type="error"
          showIcon
          className="fm-form-alert"
          title={t('merchant.application.rejectedTitle')}
          description={t('merchant.application.reason', { reason: previous.stateReason })}
        />
      )}
      <FormErrorAlert error={apply.error} />
      <Form<ApplicationInput>
        form={form}
        layout="vertical"
        className="fm-narrow-form"
        initialValues={
          previous
            ? {
                name: previous.name,
                creditCode: previous.creditCode,
                contactName: previous.contactName,
                contactMobile: previous.contactMobile,
                contactEmail: previous.contactEmail,
                description: previous.description,
                logoUrl: previous.logoUrl,
              }
            : { contactEmail: me?.email ?? '', contactMobile: me?.mobile ?? '' }
        }
        onFinish={(values) => void onFinish(values)}
        scrollToFirstError
      >
        <StoreFields withCreditCode />
        <Form.Item
          name="logoUrl"
          label={
            <>
              {t('merchant.store.logoUrl')}
              <span className="fm-optional">{t('auth.nameOptional')}</span>
            </>
          }
          extra={t('merchant.store.logoUrlHint')}
          rules={[{ type: 'url', message: t('merchant.store.logoUrlInvalid') }]}
        >
          <Input maxLength={500} placeholder="https://" />
        </Form.Item>
        <div className="fm-form-actions">
          {previous && <Button onClick={onDone}>{t('common.cancel')}</Button>}
          <Button type="primary" htmlType="submit" loading={apply.isPending} icon={<ShopOutlined />}>
            {previous ? t('merchant.application.resubmit') : t('merchant.application.submit')}
          </Button>
        </div>
      </Form>
    </Card>
  );
}

function ApplicationState({ merchant, onResubmit }: { merchant: Merchant; onResubmit: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const isMerchant = hasRole(me, 'merchant');
  const open = merchant.state === 'active' || merchant.state === 'suspended';

  // Approval gives the user the merchant role: fetch the user again so the console opens.
  useEffect(() => {
    if (open && !isMerchant) void queryClient.invalidateQueries({ queryKey: meQueryKey });
  }, [open, isMerchant, queryClient]);

  const details = (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2 }}
      className="fm-apply-details"
      items={[
        { key: 'name', label: t('merchant.store.name'), children: merchant.name },
        { key: 'credit', label: t('merchant.store.creditCode'), children: <span className="fm-mono">{merchant.creditCode}</span> },
        { key: 'contact', label: t('merchant.store.contactName'), children: merchant.contactName },
        { key: 'mobile', label: t('merchant.store.contactMobile'), children: merchant.contactMobile },
        { key: 'email', label: t('merchant.store.contactEmail'), children: merchant.contactEmail },
        {
          key: 'at',
          label: t('merchant.application.appliedAt'),
          children: <time dateTime={merchant.createdAt}>{formatDateTime(merchant.createdAt, language)}</time>,
        },
      ]}
    />
  );

  if (merchant.state === 'applied') {
    return (
      <Card>
        <Result
          icon={<ClockCircleOutlined className="fm-result-icon-brand" />}
          title={t('merchant.application.pendingTitle')}
          subTitle={t('merchant.application.pendingText')}
          extra={<Button onClick={() => void queryClient.invalidateQueries({ queryKey: applicationKey })}>{t('merchant.application.refresh')}</Button>}
        />
        {details}
      </Card>
    );
  }
  if (merchant.state === 'rejected') {
    return (
      <Card>
        <Result
          status="error"
          title={t('merchant.application.rejectedTitle')}
          subTitle={t('merchant.application.reason', { reason: merchant.stateReason ?? '-' })}
          extra={
            <Button type="primary" onClick={onResubmit}>
              {t('merchant.application.editAndResubmit')}
            </Button>
          }
        />
        {details}
      </Card>
    );
  }
  return (
    <Card>
      <Result
        icon={
          merchant.state === 'active' ? (
            <CheckCircleOutlined className="fm-result-icon-success" />
          ) : (
            <StopOutlined className="fm-result-icon-muted" />
          )
        }
        title={merchant.state === 'active' ? t('merchant.application.approvedTitle', { name: merchant.name }) : t('merchant.application.suspendedTitle')}
        subTitle={
          merchant.state === 'active'
            ? t('merchant.application.approvedText')
            : t('merchant.application.reason', { reason: merchant.stateReason ?? '-' })
        }
        extra={
          <ButtonLink to="/merchant" type="primary" icon={<ShopOutlined />} loading={!isMerchant} data-testid="go-console">
            {t('merchant.application.goConsole')}
          </ButtonLink>
        }
      />
    </Card>
  );
}
