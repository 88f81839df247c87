import {
  AccountBookOutlined,
  CarOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  GiftOutlined,
  LogoutOutlined,
  ShopOutlined,
  StarOutlined,
} from '@ant-design/icons';
import { Button, Card, Descriptions, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { hasRole, useMe } from '../shared/auth';
import { ButtonLink } from '../shared/ButtonLink';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { UserAvatar } from '../shared/layout/AccountMenu';
import { RoleTags } from '../shared/RoleTags';
import { useTitle } from '../shared/useTitle';
import type { User } from '../shared/types';
import { useSignOut } from '../shared/useSignOut';

/** Rendered behind `RequireUser`, so the user is known. */
export function AccountPage() {
  const { data: user } = useMe();
  return user ? <Account user={user} /> : null;
}

function Account({ user }: { user: User }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const signOut = useSignOut();
  useTitle(t('account.title'));
  const notSet = <span className="fm-muted">{t('account.notSet')}</span>;
  // Each shortcut opens its tab of 我的订单, or 我的售后; reviews have not landed yet.
  const orderStatuses = [
    { key: 'pendingPayment', icon: <AccountBookOutlined />, to: '/orders?tab=pending_payment' },
    { key: 'toShip', icon: <GiftOutlined />, to: '/orders?tab=to_ship' },
    { key: 'shipped', icon: <CarOutlined />, to: '/orders?tab=to_receive' },
    { key: 'toReview', icon: <StarOutlined />, to: null },
    { key: 'aftersales', icon: <CustomerServiceOutlined />, to: '/aftersales' },
  ] as const;

  return (
    <div className="fm-account">
      <Card className="fm-account-hero">
        <UserAvatar user={user} size={64} />
        <div className="fm-account-hero-text">
          <h1 data-testid="account-name">{user.name}</h1>
          <RoleTags roles={user.roles} />
        </div>
        <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
          {t('account.logout')}
        </Button>
      </Card>

      <Card title={t('account.orders')} extra={<Link to="/orders">{t('myOrders.all')}</Link>}>
        <ul className="fm-order-shortcuts">
          {orderStatuses.map(({ key, icon, to }) => (
            <li key={key}>
              {to ? (
                <Link to={to} className="fm-order-shortcut" data-testid={`shortcut-${key}`}>
                  {icon}
                  <span>{t(`account.orderStatus.${key}`)}</span>
                </Link>
              ) : (
                <Tooltip title={t('common.comingSoonTitle')}>
                  <span className="fm-order-shortcut" aria-disabled="true">
                    {icon}
                    <span>{t(`account.orderStatus.${key}`)}</span>
                  </span>
                </Tooltip>
              )}
            </li>
          ))}
        </ul>
      </Card>

      <Card title={t('account.profile')}>
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2 }}
          colon={false}
          className="fm-account-profile"
          items={[
            { key: 'name', label: t('account.name'), children: user.name },
            { key: 'email', label: t('account.email'), children: user.email ?? notSet },
            { key: 'mobile', label: t('account.mobile'), children: user.mobile ?? notSet },
            { key: 'roles', label: t('account.roles'), children: <RoleTags roles={user.roles} /> },
            {
              key: 'since',
              label: t('account.memberSince'),
              children: <time dateTime={user.createdAt}>{formatDateTime(user.createdAt, language)}</time>,
            },
          ]}
        />
      </Card>

      {(hasRole(user, 'merchant') || hasRole(user, 'admin')) && (
        <Card title={t('account.shortcuts')}>
          <div className="fm-result-actions">
            {hasRole(user, 'merchant') && (
              <ButtonLink to="/merchant" icon={<ShopOutlined />}>
                {t('nav.merchantCenter')}
              </ButtonLink>
            )}
            {hasRole(user, 'admin') && (
              <ButtonLink to="/admin" icon={<DashboardOutlined />}>
                {t('nav.adminConsole')}
              </ButtonLink>
            )}
          </div>
        </Card>
      )}
    </div>
  );
}
