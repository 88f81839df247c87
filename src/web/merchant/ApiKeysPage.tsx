import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, Input, Modal, Popconfirm, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../shared/api';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { FormErrorAlert } from '../shared/forms';
import { useLanguage } from '../shared/i18n';
import { API_SCOPES, type ApiKey, type ApiScope } from '../shared/merchants';
import { PageHead } from '../shared/PageHead';
import { Forbidden } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';

const keysQueryKey = ['merchant', 'api-keys'] as const;

/** API 密钥: the owner's Open API keys; a secret is shown once, when the key is made. */
export function ApiKeysPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);
  useTitle(t('merchant.apiKeys.title'));

  const keys = useQuery({
    queryKey: keysQueryKey,
    queryFn: () => api.get<{ items: ApiKey[] }>('/api/v1/merchant/api-keys').then((r) => r.items),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/merchant/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keysQueryKey }),
  });

  if (keys.error instanceof ApiError && keys.error.code === 'owner_only') {
    return <Forbidden title={t('merchant.apiKeys.title')} text={t('merchant.apiKeys.ownerOnly')} />;
  }

  const time = (iso: string | null, empty: string) =>
    iso ? <time dateTime={iso}>{formatDateTime(iso, language)}</time> : <span className="fm-muted">{empty}</span>;
  const columns: TableColumnsType<ApiKey> = [
    {
      key: 'name',
      title: t('merchant.apiKeys.name'),
      render: (_, key) => (
        <div className="fm-cell-stack">
          <strong>{key.name}</strong>
          <span className="fm-mono fm-muted">{key.prefix}…</span>
        </div>
      ),
    },
    {
      key: 'scopes',
      title: t('merchant.apiKeys.scopes'),
      dataIndex: 'scopes',
      render: (scopes: ApiScope[]) => (
        <span className="fm-tags">
          {scopes.map((s) => (
            <Tag key={s} className="fm-mono">
              {s}
            </Tag>
          ))}
        </span>
      ),
    },
    { key: 'created', title: t('merchant.apiKeys.createdAt'), dataIndex: 'createdAt', responsive: ['lg'], render: (iso: string) => time(iso, '-') },
    {
      key: 'lastUsed',
      title: t('merchant.apiKeys.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      responsive: ['md'],
      render: (iso: string | null) => time(iso, t('merchant.apiKeys.neverUsed')),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      render: (_, key) =>
        key.revokedAt ? (
          <Tag>{t('merchant.apiKeys.revoked')}</Tag>
        ) : (
          <Popconfirm
            title={t('merchant.apiKeys.revokeConfirm', { name: key.name })}
            description={t('merchant.apiKeys.revokeText')}
            okText={t('merchant.apiKeys.revoke')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              revoke.mutateAsync(key.id).then(
                () => void message.success(t('merchant.apiKeys.revokedToast')),
                (error: unknown) => void message.error(errorMessage(error)),
              )
            }
          >
            <Button type="link" danger size="small">
              {t('merchant.apiKeys.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHead
        title={t('merchant.apiKeys.title')}
        note={
          <>
            {t('merchant.apiKeys.note')} <a href="/docs" target="_blank" rel="noreferrer">{t('merchant.apiKeys.docs')}</a>
          </>
        }
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('merchant.apiKeys.create')}
          </Button>
        }
      />
      {keys.isError && <Alert type="error" showIcon className="fm-form-alert" title={errorMessage(keys.error)} />}
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <Table<ApiKey>
          rowKey="id"
          columns={columns}
          dataSource={keys.data ?? []}
          loading={keys.isPending}
          pagination={false}
          rowClassName={(key) => (key.revokedAt ? 'fm-row-muted' : '')}
          locale={{ emptyText: keys.isPending ? ' ' : t('merchant.apiKeys.empty') }}
        />
      </Card>
      <CreateKeyModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(result) => {
          setCreating(false);
          setCreated(result);
          void queryClient.invalidateQueries({ queryKey: keysQueryKey });
        }}
      />
      <Modal
        open={created !== null}
        title={t('merchant.apiKeys.createdTitle')}
        onCancel={() => setCreated(null)}
        footer={
          <Button type="primary" onClick={() => setCreated(null)}>
            {t('merchant.apiKeys.savedIt')}
          </Button>
        }
        maskClosable={false}
      >
        <Alert type="warning" showIcon className="fm-form-alert" title={t('merchant.apiKeys.onceWarning')} />
        <Typography.Paragraph
          copyable={{ text: created?.secret, tooltips: [t('common.copy'), t('common.copied')] }}
          className="fm-secret"
          data-testid="api-key-secret"
        >
          {created?.secret}
        </Typography.Paragraph>
        <p className="fm-muted">{t('merchant.apiKeys.usage')}</p>
        <pre className="fm-code">{`Authorization: Bearer ${created?.key.prefix ?? ''}…`}</pre>
      </Modal>
    </>
  );
}

function CreateKeyModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (result: { key: ApiKey; secret: string }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; scopes: ApiScope[] }>();
  const create = useMutation({
    mutationFn: (input: { name: string; scopes: ApiScope[] }) =>
      api.post<{ key: ApiKey; secret: string }>('/api/v1/merchant/api-keys', input),
  });
  return (
    <Modal
      open={open}
      title={
        <>
          <KeyOutlined /> {t('merchant.apiKeys.create')}
        </>
      }
      okText={t('merchant.apiKeys.createOk')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        create.reset();
      }}
      destroyOnHidden
    >
      <FormErrorAlert error={create.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ scopes: ['products:read', 'products:write'] }}
        onFinish={(values) => create.mutateAsync({ name: values.name.trim(), scopes: values.scopes }).then(onCreated, () => undefined)}
      >
        <Form.Item
          name="name"
          label={t('merchant.apiKeys.name')}
          rules={[{ required: true, whitespace: true, message: t('merchant.apiKeys.nameRequired') }]}
        >
          <Input maxLength={60} placeholder={t('merchant.apiKeys.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t('merchant.apiKeys.scopes')}
          rules={[{ required: true, type: 'array', min: 1, message: t('merchant.apiKeys.scopesRequired') }]}
        >
          <Checkbox.Group className="fm-scope-list">
            {API_SCOPES.map((scope) => (
              <Checkbox key={scope} value={scope}>
                <span className="fm-mono">{scope}</span>
                <span className="fm-muted fm-scope-text">{t(`merchant.apiKeys.scopeText.${scope.replace(':', '_') as ScopeKey}`)}</span>
              </Checkbox>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}

type ScopeKey = 'store_write' | 'products_read' | 'products_write' | 'orders_read' | 'orders_write';
