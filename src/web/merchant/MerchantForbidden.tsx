import { ShopOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Forbidden } from '../shared/StatusPages';

export function MerchantForbidden() {
  const { t } = useTranslation();
  return (
    <Forbidden
      title={t('merchant.forbiddenTitle')}
      text={t('merchant.forbiddenText')}
      extra={
        <Link to="/merchant/apply">
          <Button type="primary" icon={<ShopOutlined />}>
            {t('merchant.apply')}
          </Button>
        </Link>
      }
    />
  );
}
