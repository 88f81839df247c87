import { ShoppingCartOutlined } from '@ant-design/icons';
import { Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../shared/ButtonLink';
import { useTitle } from '../shared/useTitle';

// Placeholder until the cart module lands.
export function CartPage() {
  const { t } = useTranslation();
  useTitle(t('cart.title'));
  return (
    <>
      <Typography.Title level={4} className="fm-page-title">
        {t('cart.title')}
      </Typography.Title>
      <Card>
        <Result
          icon={<ShoppingCartOutlined className="fm-result-icon-muted" />}
          title={t('cart.empty')}
          subTitle={t('cart.emptyText')}
          extra={
            <ButtonLink to="/" type="primary">{t('cart.goShopping')}</ButtonLink>
          }
        />
      </Card>
    </>
  );
}
