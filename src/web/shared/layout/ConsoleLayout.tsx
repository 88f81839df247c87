import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Layout, Menu } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { useMe } from '../auth';
import { AccountDropdown } from './AccountMenu';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Logo';

export interface ConsoleNavItem {
  path: string;
  icon: ReactNode;
  label: string;
}

// The media query behind antd's `lg` breakpoint on Layout.Sider.
const BELOW_LG = '(max-width: 991.98px)';

/**
 * The merchant and admin consoles: a header and a side navigation that folds away below the
 * `lg` breakpoint (phones, small tablets) and then slides over the page from a header button.
 */
export function ConsoleLayout({
  title,
  nav,
  notice,
}: {
  title: string;
  nav: readonly ConsoleNavItem[];
  notice?: ReactNode;
}) {
  const { t } = useTranslation();
  const { data: user } = useMe();
  const { pathname } = useLocation();
  // Start in the right state so a phone never sees the open sider flash and fold.
  const [narrow, setNarrow] = useState(() => window.matchMedia(BELOW_LG).matches);
  const [collapsed, setCollapsed] = useState(narrow);

  // The deepest nav entry containing the current page is the selected one.
  const selected = nav
    .filter((item) => pathname === item.path || pathname.startsWith(`${item.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;

  return (
    <Layout className="fm-console">
      <Layout.Header className="fm-console-header">
        {narrow && (
          <Button
            type="text"
            className="fm-console-nav-toggle"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            aria-label={t('nav.openNav')}
            aria-expanded={!collapsed}
            onClick={() => setCollapsed(!collapsed)}
          />
        )}
        <Logo />
        <span className="fm-console-title">{title}</span>
        <div className="fm-console-header-actions">
          <Link to="/" className="fm-desktop-only">
            {t('nav.backToStore')}
          </Link>
          <LanguageSwitch />
          {user && <AccountDropdown user={user} />}
        </div>
      </Layout.Header>
      <Layout className="fm-console-body">
        <Layout.Sider
          className="fm-console-sider"
          theme="light"
          width={208}
          breakpoint="lg"
          collapsedWidth={0}
          collapsed={collapsed}
          trigger={null}
          onBreakpoint={(broken) => {
            setNarrow(broken);
            setCollapsed(broken);
          }}
        >
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            items={nav.map((item) => ({
              key: item.path,
              icon: item.icon,
              label: <Link to={item.path}>{item.label}</Link>,
            }))}
            onClick={() => narrow && setCollapsed(true)}
          />
        </Layout.Sider>
        {narrow && !collapsed && (
          <div className="fm-console-backdrop" aria-hidden="true" onClick={() => setCollapsed(true)} />
        )}
        <Layout.Content className="fm-console-content">
          {notice}
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
