import { LockOutlined, MailOutlined, MobileOutlined, SmileOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../shared/api';
import { safeNext, useMe, useRegister, type RegisterInput } from '../shared/auth';
import { useErrorMessage } from '../shared/errors';
import { FormErrorAlert, showFieldErrors } from '../shared/forms';
import { useTitle } from '../shared/useTitle';
import { AuthCard } from './AuthCard';

type Method = 'email' | 'mobile';

interface Values {
  email?: string;
  mobile?: string;
  password: string;
  name?: string;
}

const FIELDS = ['email', 'mobile', 'password', 'name'] as const;
const MIN_PASSWORD = 8;
const MAX_NAME = 40;
// Mainland China mobile numbers, as the server validates them.
const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** "Already registered" belongs under the field the user typed it in, not in the banner. */
function takenField(error: unknown): Method | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'email_taken') return 'email';
  if (error.code === 'mobile_taken') return 'mobile';
  return undefined;
}

export function RegisterPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { data: user } = useMe();
  const register = useRegister();
  const [form] = Form.useForm<Values>();
  const [method, setMethod] = useState<Method>('email');
  useTitle(t('auth.registerTitle'));

  if (user) return <Navigate to={next} replace />;

  const onFinish = async (values: Values) => {
    const name = values.name?.trim() || undefined;
    const input: RegisterInput =
      method === 'email'
        ? { email: (values.email ?? '').trim(), password: values.password, name }
        : { mobile: (values.mobile ?? '').replace(/\s+/g, ''), password: values.password, name };
    try {
      const { user: created } = await register.mutateAsync(input);
      void message.success(t('auth.welcomeNew', { name: created.name }));
    } catch (error) {
      const field = takenField(error);
      showFieldErrors(form, FIELDS, error, field ? { [field]: errorMessage(error) } : {});
    }
  };

  const loginLink = params.has('next') ? `/login?next=${encodeURIComponent(next)}` : '/login';
  return (
    <AuthCard title={t('auth.registerTitle')} subtitle={t('auth.registerSubtitle')}>
      <Segmented<Method>
        block
        className="fm-auth-method"
        value={method}
        onChange={(value) => {
          setMethod(value);
          register.reset();
        }}
        options={[
          { value: 'email', label: t('auth.byEmail'), icon: <MailOutlined /> },
          { value: 'mobile', label: t('auth.byMobile'), icon: <MobileOutlined /> },
        ]}
      />
      {!takenField(register.error) && <FormErrorAlert error={register.error} />}
      <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={onFinish} disabled={register.isPending}>
        {method === 'email' ? (
          <Form.Item
            name="email"
            label={t('auth.email')}
            rules={[
              { required: true, whitespace: true, message: t('auth.emailRequired') },
              { type: 'email', message: t('auth.emailInvalid') },
            ]}
          >
            <Input prefix={<MailOutlined />} placeholder={t('auth.emailPlaceholder')} autoComplete="email" inputMode="email" />
          </Form.Item>
        ) : (
          <Form.Item
            name="mobile"
            label={t('auth.mobile')}
            rules={[
              { required: true, whitespace: true, message: t('auth.mobileRequired') },
              {
                validator: async (_rule, value: string | undefined) => {
                  const digits = (value ?? '').replace(/\s+/g, '');
                  if (digits && !MOBILE_PATTERN.test(digits)) throw new Error(t('auth.mobileInvalid'));
                },
              },
            ]}
          >
            <Input prefix={<MobileOutlined />} placeholder={t('auth.mobilePlaceholder')} autoComplete="tel" inputMode="tel" maxLength={13} />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[
            { required: true, message: t('auth.passwordRequired') },
            { min: MIN_PASSWORD, message: t('auth.passwordTooShort') },
          ]}
        >
          <Input.Password prefix={<LockOutlined />} placeholder={t('auth.passwordNewPlaceholder')} autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="name"
          label={
            <>
              {t('auth.name')}
              <span className="fm-optional">{t('auth.nameOptional')}</span>
            </>
          }
          rules={[{ max: MAX_NAME, message: t('auth.nameTooLong') }]}
        >
          <Input prefix={<SmileOutlined />} placeholder={t('auth.namePlaceholder')} autoComplete="nickname" maxLength={MAX_NAME} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={register.isPending}>
          {t('auth.registerSubmit')}
        </Button>
      </Form>
      <p className="fm-auth-switch">
        {t('auth.haveAccount')} <Link to={loginLink}>{t('auth.loginNow')}</Link>
      </p>
    </AuthCard>
  );
}
