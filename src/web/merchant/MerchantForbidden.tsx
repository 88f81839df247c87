import { ShopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../shared/ButtonLink';
import { Forbidden } from '../shared/StatusPages';

export function MerchantForbidden() {
  const { t } = useTranslation();
  return (
    <Forbidden
      title={t('merchant.forbiddenTitle')}
      text={t('merchant.forbiddenText')}
      extra={
        <ButtonLink to="/merchant/apply" type="primary" icon={<ShopOutlined />}>
          {t('merchant.apply')}
        </ButtonLink>
      }
    />
  );
}
