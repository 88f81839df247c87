import {
  AppstoreOutlined,
  AuditOutlined,
  ControlOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  KeyOutlined,
  ProfileOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { Routes } from 'react-router';
import '../shared/layout/consoles.css';
import { consoleRoutes, type ConsolePage } from '../shared/layout/consoleRoutes';
import { useStaffRole, useStore } from '../shared/merchants';
import { MerchantAftersalesPage } from './aftersales/MerchantAftersalesPage';
import { ApiKeysPage } from './ApiKeysPage';
import { ImportPage } from './ImportPage';
import { MerchantOrderListPage } from './orders/OrderListPage';
import { OrderRulesPage } from './orders/OrderRulesPage';
import { MerchantOrderDetailPage } from './orders/MerchantOrderDetailPage';
import { OverviewPage } from './OverviewPage';
import { ProductEditorPage } from './ProductEditorPage';
import { ProductsPage } from './ProductsPage';
import { QualificationsPage } from './review/QualificationsPage';
import { StoreReviewPage } from './review/StoreReviewPage';
import { StaffPage } from './StaffPage';
import { StockPage } from './StockPage';
import { StorePage } from './StorePage';

/** 商家中心, mounted at /merchant/* for users with the merchant role. Loaded on demand. */
export default function MerchantArea() {
  const { t } = useTranslation();
  // 商家审核 is the owner's: operators reach the page only by its address (it says so).
  const isOwner = useStaffRole() === 'owner';
  const pages: ConsolePage[] = [
    { segment: '', icon: <DashboardOutlined />, label: t('merchant.nav.overview'), element: <OverviewPage /> },
    { segment: 'products', icon: <AppstoreOutlined />, label: t('merchant.nav.products'), element: <ProductsPage /> },
    { segment: 'stock', icon: <DatabaseOutlined />, label: t('merchant.nav.stock'), element: <StockPage /> },
    { segment: 'import', icon: <UploadOutlined />, label: t('merchant.nav.import'), element: <ImportPage /> },
    ...(isOwner ? [{ segment: 'review', icon: <AuditOutlined />, label: t('reviewMerchant.nav.storeReview'), element: <StoreReviewPage /> }] : []),
    { segment: 'qualifications', icon: <SafetyCertificateOutlined />, label: t('reviewMerchant.nav.qualifications'), element: <QualificationsPage /> },
    { segment: 'orders', icon: <ProfileOutlined />, label: t('merchant.nav.orders'), element: <MerchantOrderListPage /> },
    { segment: 'order-rules', icon: <ControlOutlined />, label: t('orderRules.title'), element: <OrderRulesPage /> },
    { segment: 'aftersales', icon: <CustomerServiceOutlined />, label: t('merchant.nav.aftersales'), element: <MerchantAftersalesPage /> },
    { segment: 'settings', icon: <SettingOutlined />, label: t('merchant.nav.settings'), element: <StorePage /> },
    { segment: 'staff', icon: <TeamOutlined />, label: t('merchant.nav.staff'), element: <StaffPage /> },
    { segment: 'api-keys', icon: <KeyOutlined />, label: t('merchant.nav.apiKeys'), element: <ApiKeysPage /> },
  ];
  return (
    <Routes>
      {consoleRoutes('/merchant', t('merchant.title'), pages, {
        subPages: [
          { path: 'products/new', element: <ProductEditorPage /> },
          { path: 'products/:id', element: <ProductEditorPage /> },
          { path: 'orders/:id', element: <MerchantOrderDetailPage /> },
          ...(isOwner ? [] : [{ path: 'review', element: <StoreReviewPage /> }]),
        ],
        notice: <SuspendedNotice />,
      })}
    </Routes>
  );
}

/** A suspended store's staff keep read-only access: say so on every page. */
function SuspendedNotice() {
  const { t } = useTranslation();
  const { data: store } = useStore();
  if (store?.state !== 'suspended') return null;
  return (
    <Alert
      type="warning"
      showIcon
      banner
      className="fm-console-notice"
      title={t('merchant.suspendedTitle')}
      description={t('merchant.suspendedText', { reason: store.stateReason ?? '-' })}
    />
  );
}
