import { ShopOutlined } from '@ant-design/icons';
import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../shared/ButtonLink';
import { useTitle } from '../shared/useTitle';

// Placeholder until the merchants module accepts applications.
export function MerchantApplyPage() {
  const { t } = useTranslation();
  useTitle(t('merchant.applyTitle'));
  return (
    <Card>
      <Result
        icon={<ShopOutlined className="fm-result-icon-brand" />}
        title={t('merchant.applyTitle')}
        subTitle={t('merchant.applyText')}
        extra={
          <ButtonLink to="/">{t('common.backHome')}</ButtonLink>
        }
      />
    </Card>
  );
}
