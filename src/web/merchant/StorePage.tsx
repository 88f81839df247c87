import { DeleteOutlined, ShopOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Card, Descriptions, Form, Space, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../shared/api';
import { IMAGE_TYPES, MAX_IMAGE_BYTES, type ImageRef } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { FormErrorAlert, showFieldErrors } from '../shared/forms';
import { useLanguage } from '../shared/i18n';
import { storeQueryKey, useStaffRole, useStore, type Merchant, type StoreProfileInput } from '../shared/merchants';
import { PageHead } from '../shared/PageHead';
import { LoadFailed, PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';
import { MerchantStateTag } from '../shared/MerchantStateTag';
import { PROFILE_FIELDS, StoreFields } from './StoreFields';

/** 店铺设置: the store profile; the owner edits it, operators read it. */
export function StorePage() {
  const { t } = useTranslation();
  const store = useStore();
  useTitle(t('merchant.store.title'));
  if (store.isPending) return <PageSpin />;
  if (store.isError) return <LoadFailed error={store.error} onRetry={() => void store.refetch()} />;
  return <StoreProfile store={store.data} />;
}

function StoreProfile({ store }: { store: Merchant }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const role = useStaffRole();
  const [form] = Form.useForm<StoreProfileInput>();
  const [logoUrl, setLogoUrl] = useState(store.logoUrl);
  const [uploading, setUploading] = useState(false);
  const canEdit = role === 'owner' && store.state === 'active';

  const save = useMutation({
    mutationFn: (input: StoreProfileInput) => api.patch<{ merchant: Merchant }>('/api/v1/merchant/store', input),
    onSuccess: ({ merchant }) => queryClient.setQueryData(storeQueryKey, merchant),
  });

  const onFinish = async (values: StoreProfileInput) => {
    try {
      await save.mutateAsync({
        name: values.name,
        contactName: values.contactName,
        contactMobile: values.contactMobile,
        contactEmail: values.contactEmail,
        description: values.description?.trim() ?? '',
        logoUrl,
      });
      void message.success(t('common.saved'));
    } catch (error) {
      const extra: Record<string, string> =
        error instanceof ApiError && error.code === 'store_name_taken' ? { name: t('errors.store_name_taken') } : {};
      showFieldErrors(form, PROFILE_FIELDS, error, extra);
    }
  };

  const uploadLogo = async (file: File) => {
    setUploading(true);
    try {
      const { image } = await api.upload<{ image: ImageRef }>('/api/v1/merchant/images', file, file.name);
      setLogoUrl(image.smallUrl);
      form.setFieldValue('logoUrl', image.smallUrl);
    } catch (error) {
      void message.error(errorMessage(error));
    } finally {
      setUploading(false);
    }
  };

  return (
    <>
      <PageHead title={t('merchant.store.title')} note={role === 'operator' ? t('merchant.store.operatorNote') : undefined} />
      <div className="fm-two-col">
        <Card title={t('merchant.store.profile')} className="fm-two-col-main">
          <FormErrorAlert error={save.error} />
          <Form<StoreProfileInput>
            form={form}
            layout="vertical"
            disabled={!canEdit}
            initialValues={{
              name: store.name,
              contactName: store.contactName,
              contactMobile: store.contactMobile,
              contactEmail: store.contactEmail,
              description: store.description,
            }}
            onFinish={(values) => void onFinish(values)}
          >
            <Form.Item label={t('merchant.store.logo')} extra={t('merchant.store.logoHint')}>
              <div className="fm-logo-field">
                <Avatar shape="square" size={72} src={logoUrl ?? undefined} icon={<ShopOutlined />} className="fm-store-logo" />
                <Space wrap>
                  <Upload
                    accept={IMAGE_TYPES.join(',')}
                    showUploadList={false}
                    beforeUpload={(file) => {
                      if (file.size > MAX_IMAGE_BYTES) void message.error(t('merchant.editor.imageTooLarge'));
                      else void uploadLogo(file);
                      return false;
                    }}
                  >
                    <Button icon={<UploadOutlined />} loading={uploading}>
                      {t('merchant.store.uploadLogo')}
                    </Button>
                  </Upload>
                  {logoUrl && (
                    <Button icon={<DeleteOutlined />} onClick={() => setLogoUrl(null)}>
                      {t('merchant.store.removeLogo')}
                    </Button>
                  )}
                </Space>
              </div>
            </Form.Item>
            <StoreFields />
            {canEdit && (
              <div className="fm-form-actions">
                <Button type="primary" htmlType="submit" loading={save.isPending}>
                  {t('common.save')}
                </Button>
              </div>
            )}
          </Form>
        </Card>
        <Card title={t('merchant.store.facts')} className="fm-two-col-side">
          <Descriptions
            column={1}
            size="small"
            layout="vertical"
            colon={false}
            className="fm-facts"
            items={[
              { key: 'state', label: t('merchant.store.state'), children: <MerchantStateTag state={store.state} /> },
              { key: 'credit', label: t('merchant.store.creditCode'), children: <span className="fm-mono">{store.creditCode}</span> },
              {
                key: 'approved',
                label: t('merchant.store.approvedAt'),
                children: store.approvedAt ? formatDateTime(store.approvedAt, language) : '-',
              },
              { key: 'role', label: t('merchant.store.myRole'), children: role ? <Tag>{t(`merchant.staff.roles.${role}`)}</Tag> : '-' },
              { key: 'id', label: t('merchant.store.id'), children: <span className="fm-mono">{store.id}</span> },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
