import { EnvironmentOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { addressesQueryKey, addressLine, maskMobile, useAddresses, useCommerceErrorMessage, type Address } from '../../shared/commerce';
import '../../shared/commerce.css';
import { QueryAlert } from '../../shared/PageHead';
import { PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { AddressFormModal } from './AddressFormModal';

const MAX_ADDRESSES = 20;

/** Who receives the parcel and where, as one block. */
export function AddressText({ address }: { address: Pick<Address, 'recipient' | 'mobile' | 'provinceName' | 'cityName' | 'districtName' | 'detail'> }) {
  return (
    <div className="fm-address-text">
      <div className="fm-address-who">
        <strong>{address.recipient}</strong>
        <span>{maskMobile(address.mobile)}</span>
      </div>
      <div className="fm-address-where">{addressLine(address)}</div>
    </div>
  );
}

/** 收货地址: the address book, the default first. */
export function AddressesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const addresses = useAddresses();
  const [editing, setEditing] = useState<Address | null | undefined>(undefined); // undefined: closed, null: new
  useTitle(t('addressBook.title'));

  const act = useMutation({
    mutationFn: ({ id, kind }: { id: string; kind: 'delete' | 'default' }) =>
      kind === 'delete' ? api.delete(`/api/v1/addresses/${id}`) : api.post(`/api/v1/addresses/${id}/default`),
    onSuccess: (_data, { kind }) => {
      void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
      void message.success(kind === 'delete' ? t('addressBook.deleted') : t('addressBook.defaultSet'));
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  if (addresses.isPending) return <PageSpin />;
  const items = addresses.data ?? [];
  const full = items.length >= MAX_ADDRESSES;

  return (
    <div className="fm-shop-page">
      <div className="fm-shop-head">
        <h1 className="fm-shop-title">{t('addressBook.title')}</h1>
        <Button type="primary" icon={<PlusOutlined />} disabled={full} onClick={() => setEditing(null)}>
          {t('addressBook.add')}
        </Button>
      </div>
      <QueryAlert error={addresses.error} onRetry={() => void addresses.refetch()} />
      {full && <p className="fm-muted">{t('addressBook.full', { max: MAX_ADDRESSES })}</p>}
      {items.length === 0 && !addresses.isError ? (
        <Card>
          <Empty image={<EnvironmentOutlined className="fm-empty-icon" />} description={t('addressBook.empty')}>
            <Button type="primary" onClick={() => setEditing(null)}>
              {t('addressBook.add')}
            </Button>
          </Empty>
        </Card>
      ) : (
        <ul className="fm-address-list">
          {items.map((a) => (
            <li key={a.id}>
              <Card size="small" className={a.isDefault ? 'fm-address-card fm-address-card-default' : 'fm-address-card'} data-testid="address-card">
                <div className="fm-address-card-body">
                  <AddressText address={a} />
                  {a.isDefault && <Tag color="orange">{t('addressBook.default')}</Tag>}
                </div>
                <div className="fm-address-card-actions">
                  {!a.isDefault && (
                    <Button type="link" size="small" onClick={() => act.mutate({ id: a.id, kind: 'default' })}>
                      {t('addressBook.makeDefault')}
                    </Button>
                  )}
                  <Button type="link" size="small" onClick={() => setEditing(a)}>
                    {t('common.edit')}
                  </Button>
                  <Popconfirm
                    title={t('addressBook.deleteConfirm')}
                    okText={t('common.delete')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => act.mutateAsync({ id: a.id, kind: 'delete' }).catch(() => undefined)}
                  >
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <AddressFormModal open={editing !== undefined} address={editing} onClose={() => setEditing(undefined)} />
    </div>
  );
}
