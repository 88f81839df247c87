import {
  AppstoreOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  ProfileOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Routes } from 'react-router';
import { consoleRoutes, type ConsolePage } from '../shared/layout/consoleRoutes';

/** 商家中心, mounted at /merchant/* for users with the merchant role. Loaded on demand. */
export default function MerchantArea() {
  const { t } = useTranslation();
  const pages: ConsolePage[] = [
    { segment: '', icon: <DashboardOutlined />, label: t('merchant.nav.overview') },
    { segment: 'products', icon: <AppstoreOutlined />, label: t('merchant.nav.products') },
    { segment: 'orders', icon: <ProfileOutlined />, label: t('merchant.nav.orders') },
    { segment: 'aftersales', icon: <CustomerServiceOutlined />, label: t('merchant.nav.aftersales') },
    { segment: 'settings', icon: <SettingOutlined />, label: t('merchant.nav.settings') },
  ];
  return <Routes>{consoleRoutes('/merchant', t('merchant.title'), pages)}</Routes>;
}
