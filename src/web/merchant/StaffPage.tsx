import { DeleteOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { useMe } from '../shared/auth';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { staffQueryKey, useStaff, useStaffRole, useStore, type StaffMember } from '../shared/merchants';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { useTitle } from '../shared/useTitle';

/** 员工: the store's owner and operators; the owner adds and removes operators. */
export function StaffPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const { data: me } = useMe();
  const { data: store } = useStore();
  const staff = useStaff();
  const role = useStaffRole();
  const isOwner = role === 'owner' && store?.state === 'active';
  const [form] = Form.useForm<{ login: string }>();
  useTitle(t('merchant.staff.title'));

  const add = useMutation({
    mutationFn: (login: string) => api.post<{ userId: string }>('/api/v1/merchant/staff', { login }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffQueryKey }),
  });
  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/api/v1/merchant/staff/${encodeURIComponent(userId)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: staffQueryKey }),
  });

  const onAdd = async ({ login }: { login: string }) => {
    try {
      await add.mutateAsync(login.trim());
      form.resetFields();
      void message.success(t('merchant.staff.added'));
    } catch (error) {
      form.setFields([{ name: 'login', errors: [errorMessage(error)] }]);
    }
  };

  const columns: TableColumnsType<StaffMember> = [
    {
      key: 'name',
      title: t('merchant.staff.name'),
      dataIndex: 'name',
      render: (name: string, member) => (
        <span className="fm-staff-name">
          {name}
          {member.userId === me?.id && <Tag className="fm-tag-me">{t('merchant.staff.me')}</Tag>}
        </span>
      ),
    },
    {
      key: 'login',
      title: t('merchant.staff.login'),
      render: (_, member) => member.email ?? member.mobile ?? '-',
      responsive: ['sm'],
    },
    {
      key: 'role',
      title: t('merchant.staff.role'),
      dataIndex: 'role',
      width: 100,
      render: (r: StaffMember['role']) => <Tag color={r === 'owner' ? 'orange' : 'default'}>{t(`merchant.staff.roles.${r}`)}</Tag>,
    },
    {
      key: 'addedAt',
      title: t('merchant.staff.addedAt'),
      dataIndex: 'addedAt',
      width: 180,
      responsive: ['md'],
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
    ...(isOwner
      ? [
          {
            key: 'actions',
            title: t('common.actions'),
            width: 100,
            render: (_: unknown, member: StaffMember) =>
              member.role === 'operator' && (
                <Popconfirm
                  title={t('merchant.staff.removeConfirm', { name: member.name })}
                  okText={t('merchant.staff.remove')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    remove.mutateAsync(member.userId).then(
                      () => void message.success(t('merchant.staff.removed')),
                      (error: unknown) => void message.error(errorMessage(error)),
                    )
                  }
                >
                  <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                    {t('merchant.staff.remove')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHead title={t('merchant.staff.title')} note={t('merchant.staff.note')} />
      {isOwner ? (
        <Card title={t('merchant.staff.addTitle')} className="fm-section">
          <Form form={form} layout="inline" className="fm-inline-form" onFinish={(values) => void onAdd(values)}>
            <Form.Item
              name="login"
              className="fm-inline-form-grow"
              rules={[{ required: true, whitespace: true, message: t('merchant.staff.loginRequired') }]}
            >
              <Input placeholder={t('merchant.staff.loginPlaceholder')} aria-label={t('merchant.staff.loginPlaceholder')} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={add.isPending}>
                {t('merchant.staff.add')}
              </Button>
            </Form.Item>
          </Form>
          <p className="fm-muted fm-hint">{t('merchant.staff.addHint')}</p>
        </Card>
      ) : (
        role && <Alert type="info" showIcon className="fm-form-alert" title={t('merchant.staff.ownerOnly')} />
      )}
      <QueryAlert error={staff.error} onRetry={() => void staff.refetch()} />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <Table<StaffMember>
          rowKey="userId"
          columns={columns}
          dataSource={staff.data ?? []}
          loading={staff.isPending}
          pagination={false}
        />
      </Card>
    </>
  );
}
