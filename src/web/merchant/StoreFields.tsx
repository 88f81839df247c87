import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { isValidCreditCode } from '../../modules/merchants/credit-code';

// Mainland China mobile numbers, as the server validates them.
const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export const PROFILE_FIELDS = ['name', 'contactName', 'contactMobile', 'contactEmail', 'description', 'logoUrl', 'creditCode'] as const;

/** The store profile's fields, shared by the application and the store settings. */
export function StoreFields({ withCreditCode = false }: { withCreditCode?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="name"
        label={t('merchant.store.name')}
        extra={t('merchant.store.nameHint')}
        rules={[
          { required: true, whitespace: true, message: t('merchant.store.nameRequired') },
          { min: 2, max: 40, message: t('merchant.store.nameLength') },
        ]}
      >
        <Input maxLength={40} placeholder={t('merchant.store.namePlaceholder')} />
      </Form.Item>
      {withCreditCode && (
        <Form.Item
          name="creditCode"
          label={t('merchant.store.creditCode')}
          extra={t('merchant.store.creditCodeHint')}
          normalize={(value: string) => value.toUpperCase().replace(/\s+/g, '')}
          rules={[
            { required: true, message: t('merchant.store.creditCodeRequired') },
            {
              validator: (_, value: string | undefined) =>
                !value || isValidCreditCode(value) ? Promise.resolve() : Promise.reject(new Error(t('merchant.store.creditCodeInvalid'))),
            },
          ]}
        >
          <Input maxLength={18} className="fm-mono" placeholder="91350100M000100Y43" />
        </Form.Item>
      )}
      <div className="fm-form-grid">
        <Form.Item
          name="contactName"
          label={t('merchant.store.contactName')}
          rules={[{ required: true, whitespace: true, message: t('merchant.store.contactNameRequired') }]}
        >
          <Input maxLength={40} autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="contactMobile"
          label={t('merchant.store.contactMobile')}
          normalize={(value: string) => value.replace(/\s+/g, '')}
          rules={[
            { required: true, message: t('auth.mobileRequired') },
            { pattern: MOBILE_PATTERN, message: t('auth.mobileInvalid') },
          ]}
        >
          <Input maxLength={11} inputMode="tel" autoComplete="tel" placeholder={t('auth.mobilePlaceholder')} />
        </Form.Item>
      </div>
      <Form.Item
        name="contactEmail"
        label={t('merchant.store.contactEmail')}
        rules={[
          { required: true, whitespace: true, message: t('auth.emailRequired') },
          { type: 'email', message: t('auth.emailInvalid') },
        ]}
      >
        <Input maxLength={254} inputMode="email" autoComplete="email" placeholder={t('auth.emailPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="description"
        label={
          <>
            {t('merchant.store.description')}
            <span className="fm-optional">{t('auth.nameOptional')}</span>
          </>
        }
      >
        <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('merchant.store.descriptionPlaceholder')} />
      </Form.Item>
    </>
  );
}
