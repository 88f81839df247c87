import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Cascader, Checkbox, Form, Input, Modal } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/api';
import { addressesQueryKey, useCommerceErrorMessage, useRegions, type Address, type RegionTree } from '../../shared/commerce';
import { FormErrorAlert, showFieldErrors } from '../../shared/forms';

interface Values {
  recipient: string;
  mobile: string;
  region: string[];
  detail: string;
  postalCode?: string;
  isDefault?: boolean;
}

type RegionOption = { value: string; label: string; children?: RegionOption[] };

function toOptions(tree: RegionTree): RegionOption[] {
  return tree.provinces.map((p) => ({
    value: p.code,
    label: p.name,
    children: p.cities.map((c) => ({ value: c.code, label: c.name, children: c.districts.map((d) => ({ value: d.code, label: d.name })) })),
  }));
}

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * Add or edit an address: recipient, mobile, province / city / district from the division list,
 * detail, optional postal code. `onSaved` gets the saved address (checkout selects a new one).
 */
export function AddressFormModal({
  open,
  address,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The address to edit; none to add one. */
  address?: Address | null;
  onClose: () => void;
  onSaved?: (address: Address) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const errorMessage = useCommerceErrorMessage();
  const regions = useRegions();
  const options = useMemo(() => (regions.data ? toOptions(regions.data) : []), [regions.data]);

  const save = useMutation({
    mutationFn: (values: Values) => {
      const [provinceCode, cityCode, districtCode] = values.region;
      const body = {
        recipient: values.recipient.trim(),
        mobile: values.mobile.trim(),
        provinceCode,
        cityCode,
        districtCode,
        detail: values.detail.trim(),
        postalCode: values.postalCode?.trim() || null,
      };
      if (address) {
        return api.patch<{ address: Address }>(`/api/v1/addresses/${address.id}`, {
          ...body,
          ...(values.isDefault && !address.isDefault ? { isDefault: true } : {}),
        });
      }
      return api.post<{ address: Address }>('/api/v1/addresses', { ...body, isDefault: values.isDefault ?? false });
    },
    onSuccess: ({ address: saved }) => {
      void queryClient.invalidateQueries({ queryKey: addressesQueryKey });
      void message.success(address ? t('addressBook.updated') : t('addressBook.added'));
      onSaved?.(saved);
      onClose();
    },
    onError: (error) => {
      const region: Record<string, string> = error instanceof ApiError && error.code === 'invalid_region' ? { region: errorMessage(error) } : {};
      showFieldErrors(form, ['recipient', 'mobile', 'detail', 'postalCode'], error, region);
    },
  });

  const initial: Partial<Values> = address
    ? {
        recipient: address.recipient,
        mobile: address.mobile,
        region: [address.provinceCode, address.cityCode, address.districtCode],
        detail: address.detail,
        postalCode: address.postalCode ?? undefined,
        isDefault: address.isDefault,
      }
    : { isDefault: false };

  return (
    <Modal
      open={open}
      title={address ? t('addressBook.editTitle') : t('addressBook.addTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterOpenChange={(visible) => !visible && save.reset()}
    >
      <FormErrorAlert error={save.error instanceof ApiError && save.error.code === 'validation_failed' ? null : save.error} />
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initial}
        requiredMark={false}
        onFinish={(values) => save.mutate(values)}
        clearOnDestroy
      >
        <div className="fm-address-form-row">
          <Form.Item
            name="recipient"
            label={t('addressBook.recipient')}
            rules={[{ required: true, whitespace: true, message: t('addressBook.recipientRequired') }, { max: 30 }]}
          >
            <Input autoComplete="name" maxLength={30} />
          </Form.Item>
          <Form.Item
            name="mobile"
            label={t('addressBook.mobile')}
            rules={[
              { required: true, message: t('addressBook.mobileRequired') },
              { pattern: MOBILE, message: t('addressBook.mobileInvalid') },
            ]}
            normalize={(v: string) => v.replace(/[\s-]/g, '')}
          >
            <Input autoComplete="tel" inputMode="tel" maxLength={20} />
          </Form.Item>
        </div>
        <Form.Item name="region" label={t('addressBook.region')} rules={[{ required: true, message: t('addressBook.regionRequired') }]}>
          <Cascader<RegionOption>
            options={options}
            loading={regions.isPending}
            placeholder={t('addressBook.regionPlaceholder')}
            showSearch={{ filter: (input, path) => path.some((o) => o.label.includes(input)) }}
          />
        </Form.Item>
        <Form.Item
          name="detail"
          label={t('addressBook.detail')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('addressBook.detailRequired') }, { max: 120 }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={120} placeholder={t('addressBook.detailPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="postalCode"
          label={
            <>
              {t('addressBook.postalCode')}
              <span className="fm-optional">{t('auth.nameOptional')}</span>
            </>
          }
          rules={[{ pattern: /^\d{6}$/, message: t('addressBook.postalCodeInvalid') }]}
        >
          <Input inputMode="numeric" maxLength={6} />
        </Form.Item>
        <Form.Item name="isDefault" valuePropName="checked" className="fm-form-last">
          <Checkbox disabled={address?.isDefault}>{t('addressBook.setDefault')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
