import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDateTime } from '../../shared/format';
import { useLanguage } from '../../shared/i18n';
import { QueryAlert } from '../../shared/PageHead';
import type { ReasonTemplate } from '../../shared/review';
import { FormModal } from '../../shared/FormModal';
import { reviewKeys, useReviewErrorMessage, useTemplates } from './hooks';

type Draft = { title: string; body: string };

/** 驳回原因模板: reusable rejection reasons (add, change, retire). */
export function TemplatesTab() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const [editing, setEditing] = useState<ReasonTemplate | 'new' | null>(null);
  const [form] = Form.useForm<Draft>();

  const save = useMutation({
    mutationFn: (draft: Draft) =>
      editing === 'new' || editing === null
        ? api.post('/api/v1/admin/review/reason-templates', draft)
        : api.patch(`/api/v1/admin/review/reason-templates/${editing.id}`, draft),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: reviewKeys.templates }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/v1/admin/review/reason-templates/${id}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: reviewKeys.templates }),
  });

  return (
    <Card
      title={t('reviewAdmin.templates.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('reviewAdmin.templates.add')}
        </Button>
      }
      classNames={{ body: 'fm-table-card-body' }}
    >
      <QueryAlert error={templates.error} onRetry={() => void templates.refetch()} />
      <Table<ReasonTemplate>
        rowKey="id"
        dataSource={templates.data ?? []}
        loading={templates.isPending}
        pagination={false}
        locale={{ emptyText: t('reviewAdmin.templates.empty') }}
        columns={[
          { key: 'title', title: t('reviewAdmin.templates.name'), dataIndex: 'title', width: 180 },
          { key: 'body', title: t('reviewAdmin.templates.body'), dataIndex: 'body' },
          {
            key: 'updated',
            title: t('reviewAdmin.templates.updatedAt'),
            dataIndex: 'updatedAt',
            width: 170,
            responsive: ['md'],
            render: (iso: string) => formatDateTime(iso, language),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 150,
            render: (_, row) => (
              <span className="fm-row-actions">
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(row)}>
                  {t('reviewAdmin.templates.edit')}
                </Button>
                <Popconfirm
                  title={t('reviewAdmin.templates.deleteConfirm')}
                  onConfirm={() =>
                    remove.mutateAsync(row.id).then(
                      () => void message.success(t('reviewAdmin.templates.deleted')),
                      (e: unknown) => void message.error(errorMessage(e)),
                    )
                  }
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                    {t('reviewAdmin.templates.delete')}
                  </Button>
                </Popconfirm>
              </span>
            ),
          },
        ]}
      />
      <FormModal<Draft>
        form={form}
        open={editing !== null}
        title={editing === 'new' ? t('reviewAdmin.templates.add') : t('reviewAdmin.templates.edit')}
        okText={t('common.save')}
        initialValues={editing && editing !== 'new' ? { title: editing.title, body: editing.body } : undefined}
        onSubmit={(draft) => save.mutateAsync({ title: draft.title.trim(), body: draft.body.trim() }).then(() => void message.success(t('reviewAdmin.templates.saved')))}
        onClose={() => setEditing(null)}
      >
        <Form.Item name="title" label={t('reviewAdmin.templates.name')} rules={[{ required: true, whitespace: true, max: 60, message: t('reviewAdmin.templates.nameRule') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item
          name="body"
          label={t('reviewAdmin.templates.body')}
          extra={t('reviewAdmin.templates.bodyHint')}
          rules={[{ required: true, whitespace: true, min: 2, max: 500, message: t('reviewAdmin.templates.bodyRule') }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
