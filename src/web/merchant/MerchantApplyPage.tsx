import { ShopOutlined } from '@ant-design/icons';
import { Button, Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
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
          <Link to="/">
            <Button>{t('common.backHome')}</Button>
          </Link>
        }
      />
    </Card>
  );
}
