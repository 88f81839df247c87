import {
  AuditOutlined,
  CarOutlined,
  ClusterOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FundOutlined,
  ProfileOutlined,
  ShopOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Routes } from 'react-router';
import '../shared/layout/consoles.css';
import { consoleRoutes, type ConsolePage } from '../shared/layout/consoleRoutes';
import { AftersalesDisputesPage } from './AftersalesDisputesPage';
import { AnalyticsPage } from './AnalyticsPage';
import { CategoriesPage } from './CategoriesPage';
import { FulfillmentPage } from './FulfillmentPage';
import { MerchantsPage } from './MerchantsPage';
import { ReviewConsole } from './review/ReviewConsole';
import { UsersPage } from './UsersPage';

/** 平台管理, mounted at /admin/* for platform admins. Loaded on demand. */
export default function AdminArea() {
  const { t } = useTranslation();
  const pages: ConsolePage[] = [
    { segment: '', icon: <DashboardOutlined />, label: t('admin.nav.overview') },
    { segment: 'users', icon: <TeamOutlined />, label: t('admin.nav.users'), element: <UsersPage /> },
    { segment: 'merchants', icon: <ShopOutlined />, label: t('admin.nav.merchants'), element: <MerchantsPage /> },
    { segment: 'categories', icon: <ClusterOutlined />, label: t('admin.nav.categories'), element: <CategoriesPage /> },
    { segment: 'review', icon: <AuditOutlined />, label: t('admin.nav.review'), element: <ReviewConsole /> },
    { segment: 'orders', icon: <ProfileOutlined />, label: t('admin.nav.orders') },
    { segment: 'fulfillment', icon: <CarOutlined />, label: t('tracking.admin.nav'), element: <FulfillmentPage /> },
    { segment: 'aftersales', icon: <CustomerServiceOutlined />, label: t('aftersales.admin.nav'), element: <AftersalesDisputesPage /> },
    { segment: 'analytics', icon: <FundOutlined />, label: t('analytics.nav'), element: <AnalyticsPage /> },
  ];
  // The review console's other tabs (dashboard, rules, …) under /admin/review/<tab>.
  const subPages = [{ path: 'review/:tab', element: <ReviewConsole /> }];
  return <Routes>{consoleRoutes('/admin', t('admin.title'), pages, { subPages })}</Routes>;
}
