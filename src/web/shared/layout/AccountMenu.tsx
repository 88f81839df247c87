import {
  DashboardOutlined,
  DownOutlined,
  EnvironmentOutlined,
  LogoutOutlined,
  ProfileOutlined,
  ShopOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { hasRole } from '../auth';
import type { User } from '../types';
import { useSignOut } from '../useSignOut';

/** The signed-in user's menu entries; used by the header dropdown and the phone drawer. */
export function useAccountMenu(user: User, onNavigate?: () => void): MenuProps {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const items: MenuProps['items'] = [
    { key: '/account', icon: <UserOutlined />, label: t('nav.account') },
    { key: '/orders', icon: <ProfileOutlined />, label: t('myOrders.title') },
    { key: '/addresses', icon: <EnvironmentOutlined />, label: t('addressBook.title') },
    ...(hasRole(user, 'merchant') ? [{ key: '/merchant', icon: <ShopOutlined />, label: t('nav.merchantCenter') }] : []),
    ...(hasRole(user, 'admin') ? [{ key: '/admin', icon: <DashboardOutlined />, label: t('nav.adminConsole') }] : []),
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('nav.logout'), danger: true },
  ];
  return {
    items,
    onClick: ({ key }) => {
      onNavigate?.();
      if (key === 'logout') void signOut();
      else void navigate(key);
    },
  };
}

export function UserAvatar({ user, size = 'small' }: { user: User; size?: 'small' | 'default' | 'large' | number }) {
  return (
    <Avatar size={size} className="fm-avatar">
      {Array.from(user.name.trim())[0]?.toUpperCase() ?? <UserOutlined />}
    </Avatar>
  );
}

/** Avatar and name opening the account menu. */
export function AccountDropdown({ user }: { user: User }) {
  const menu = useAccountMenu(user);
  return (
    <Dropdown trigger={['click']} menu={menu} placement="bottomRight">
      <Button type="text" className="fm-account-trigger" data-testid="account-menu">
        <UserAvatar user={user} />
        <span className="fm-account-name">{user.name}</span>
        <DownOutlined className="fm-caret" />
      </Button>
    </Dropdown>
  );
}
