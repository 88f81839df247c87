import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter } from 'react-router';
import { MerchantApplyPage } from '../merchant/MerchantApplyPage';
import { MerchantForbidden } from '../merchant/MerchantForbidden';
import { RequireUser } from '../shared/guards';
import { Forbidden, NotFound, PageSpin, RouteError } from '../shared/StatusPages';
import { AccountPage } from '../storefront/AccountPage';
import { CategoryPage } from '../storefront/browse/CategoryPage';
import { ProductPage } from '../storefront/browse/ProductPage';
import { StorePage } from '../storefront/browse/StorePage';
import { AddressesPage } from '../storefront/addresses/AddressesPage';
import { AftersalesDetailPage } from '../storefront/aftersales/AftersalesDetailPage';
import { AftersalesListPage } from '../storefront/aftersales/AftersalesListPage';
import { CartPage } from '../storefront/CartPage';
import { CheckoutPage } from '../storefront/checkout/CheckoutPage';
import { HomePage } from '../storefront/HomePage';
import { LoginPage } from '../storefront/LoginPage';
import { OrderListPage } from '../storefront/orders/OrderListPage';
import { SandboxPayPage } from '../storefront/pay/SandboxPayPage';
import { RegisterPage } from '../storefront/RegisterPage';
import { SearchPage } from '../storefront/SearchPage';
import { StoreLayout } from '../storefront/StoreLayout';
import { OrderDetailPage } from '../storefront/orders/OrderDetailPage';

// The consoles are separate chunks: shoppers never download them.
const MerchantArea = lazy(() => import('../merchant/MerchantArea'));
const AdminArea = lazy(() => import('../admin/AdminArea'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<PageSpin />}>{children}</Suspense>;
}

function AdminForbidden() {
  const { t } = useTranslation();
  return <Forbidden title={t('admin.forbiddenTitle')} text={t('admin.forbiddenText')} />;
}

export const router = createBrowserRouter([
  {
    errorElement: <StoreLayout><RouteError /></StoreLayout>,
    children: [
      {
        element: <StoreLayout />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'search', element: <SearchPage /> },
          { path: 'c/:id', element: <CategoryPage /> },
          { path: 'p/:id', element: <ProductPage /> },
          { path: 's/:id', element: <StorePage /> },
          { path: 'cart', element: <CartPage /> },
          { path: 'checkout', element: <RequireUser><CheckoutPage /></RequireUser> },
          { path: 'orders', element: <RequireUser><OrderListPage /></RequireUser> },
          { path: 'orders/:id', element: <RequireUser><OrderDetailPage /></RequireUser> },
          { path: 'aftersales', element: <RequireUser><AftersalesListPage /></RequireUser> },
          { path: 'aftersales/:id', element: <RequireUser><AftersalesDetailPage /></RequireUser> },
          { path: 'addresses', element: <RequireUser><AddressesPage /></RequireUser> },
          { path: 'login', element: <LoginPage /> },
          { path: 'register', element: <RegisterPage /> },
          { path: 'account', element: <RequireUser><AccountPage /></RequireUser> },
          { path: 'merchant/apply', element: <RequireUser><MerchantApplyPage /></RequireUser> },
          { path: '*', element: <NotFound /> },
        ],
      },
      // The sandbox provider's hosted cashier: a page of its own, as a real provider's would be.
      { path: 'pay/sandbox/:paymentId', element: <RequireUser><SandboxPayPage /></RequireUser> },
      {
        path: 'merchant/*',
        element: (
          <RequireUser role="merchant" forbidden={<StoreLayout><MerchantForbidden /></StoreLayout>}>
            <Lazy><MerchantArea /></Lazy>
          </RequireUser>
        ),
      },
      {
        path: 'admin/*',
        element: (
          <RequireUser role="admin" forbidden={<StoreLayout><AdminForbidden /></StoreLayout>}>
            <Lazy><AdminArea /></Lazy>
          </RequireUser>
        ),
      },
    ],
  },
]);
