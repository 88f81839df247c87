import { MenuOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Menu, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { loginPath, useMe } from '../shared/auth';
import { ButtonLink } from '../shared/ButtonLink';
import { useCartCount } from '../shared/cart';
import { AccountDropdown, UserAvatar, useAccountMenu } from '../shared/layout/AccountMenu';
import { LanguageSwitch } from '../shared/layout/LanguageSwitch';
import { Logo } from '../shared/layout/Logo';
import type { User } from '../shared/types';
import { HeaderSearch } from './browse/HeaderSearch';

export function StoreHeader() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const loginLink = loginPath(location.pathname + location.search);

  return (
    <header className="fm-store-header">
      <div className="fm-topbar">
        <div className="fm-container fm-topbar-inner">
          <span>{user ? t('header.greetingUser', { name: user.name }) : t('header.greetingGuest')}</span>
          <Space size="middle">
            <Link to="/merchant/apply">{t('header.merchantJoin')}</Link>
            <LanguageSwitch />
          </Space>
        </div>
      </div>
      <div className="fm-container fm-header-main">
        <Logo />
        <HeaderSearch />
        <div className="fm-header-actions">
          <CartLink />
          <div className="fm-desktop-only">
            {user ? (
              <AccountDropdown user={user} />
            ) : (
              <Space size="small">
                <ButtonLink to={loginLink} type="primary">
                  {t('nav.login')}
                </ButtonLink>
                <ButtonLink to="/register">{t('nav.register')}</ButtonLink>
              </Space>
            )}
          </div>
          <Button
            className="fm-mobile-only"
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('nav.menu')}
            data-testid="mobile-menu"
            onClick={() => setDrawerOpen(true)}
          />
        </div>
      </div>
      <Drawer
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        placement="right"
        size={280}
        title={<Logo />}
        classNames={{ body: 'fm-drawer-body' }}
      >
        {user ? (
          <DrawerAccount user={user} onNavigate={() => setDrawerOpen(false)} />
        ) : (
          <div className="fm-drawer-guest">
            <ButtonLink to={loginLink} type="primary" block onClick={() => setDrawerOpen(false)}>
              {t('nav.login')}
            </ButtonLink>
            <ButtonLink to="/register" block onClick={() => setDrawerOpen(false)}>
              {t('nav.register')}
            </ButtonLink>
          </div>
        )}
        <div className="fm-drawer-footer">
          <Link to="/merchant/apply" onClick={() => setDrawerOpen(false)}>
            {t('header.merchantJoin')}
          </Link>
          <LanguageSwitch />
        </div>
      </Drawer>
    </header>
  );
}

function CartLink() {
  const { t } = useTranslation();
  const count = useCartCount();
  return (
    <Link to="/cart" className="fm-cart-link" aria-label={t('header.cartLabel', { count })}>
      <Badge count={count} size="small" offset={[2, 0]}>
        <ShoppingCartOutlined className="fm-cart-icon" />
      </Badge>
      <span className="fm-desktop-only">{t('nav.cart')}</span>
    </Link>
  );
}

function DrawerAccount({ user, onNavigate }: { user: User; onNavigate: () => void }) {
  const menu = useAccountMenu(user, onNavigate);
  return (
    <>
      <div className="fm-drawer-user">
        <UserAvatar user={user} size="large" />
        <span className="fm-drawer-user-name">{user.name}</span>
      </div>
      <Menu mode="inline" selectable={false} className="fm-drawer-menu" {...menu} />
    </>
  );
}
