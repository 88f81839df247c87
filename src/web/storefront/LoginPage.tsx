import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { safeNext, useLogin, useMe, type LoginInput } from '../shared/auth';
import { FormErrorAlert, showFieldErrors } from '../shared/forms';
import { useTitle } from '../shared/useTitle';
import { AuthCard } from './AuthCard';

const FIELDS = ['login', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { data: user } = useMe();
  const login = useLogin();
  const [form] = Form.useForm<LoginInput>();
  useTitle(t('auth.loginTitle'));

  // Signed in (already, or by this form): continue where the user was going.
  if (user) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginInput) => {
    try {
      const { user: signedIn } = await login.mutateAsync({ login: values.login.trim(), password: values.password });
      void message.success(t('auth.welcomeBack', { name: signedIn.name }));
    } catch (error) {
      showFieldErrors(form, FIELDS, error);
    }
  };

  const registerLink = params.has('next') ? `/register?next=${encodeURIComponent(next)}` : '/register';
  return (
    <AuthCard title={t('auth.loginTitle')} subtitle={t('auth.loginSubtitle')}>
      <FormErrorAlert error={login.error} />
      <Form form={form} layout="vertical" size="large" requiredMark={false} onFinish={onFinish} disabled={login.isPending}>
        <Form.Item
          name="login"
          label={t('auth.account')}
          rules={[{ required: true, whitespace: true, message: t('auth.accountRequired') }]}
        >
          <Input prefix={<UserOutlined />} placeholder={t('auth.accountPlaceholder')} autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password
            prefix={<LockOutlined />}
            placeholder={t('auth.passwordPlaceholder')}
            autoComplete="current-password"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending}>
          {t('auth.loginSubmit')}
        </Button>
      </Form>
      <p className="fm-auth-switch">
        {t('auth.noAccount')} <Link to={registerLink}>{t('auth.registerNow')}</Link>
      </p>
    </AuthCard>
  );
}
