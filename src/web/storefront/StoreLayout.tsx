import { Layout } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { StoreHeader } from './StoreHeader';

/** Header, page, footer. Renders `children` instead of the matched route when given. */
export function StoreLayout({ children }: { children?: ReactNode }) {
  return (
    <Layout className="fm-store">
      <StoreHeader />
      <main className="fm-store-main">
        <div className="fm-container">{children ?? <Outlet />}</div>
      </main>
      <StoreFooter />
    </Layout>
  );
}

function StoreFooter() {
  const { t } = useTranslation();
  return (
    <footer className="fm-store-footer">
      <div className="fm-container fm-footer-grid">
        <section className="fm-footer-about">
          <h3>{t('footer.about')}</h3>
          <p>{t('footer.aboutText')}</p>
        </section>
        <section>
          <h3>{t('footer.forShoppers')}</h3>
          <Link to="/register">{t('nav.register')}</Link>
          <Link to="/account">{t('nav.account')}</Link>
          <Link to="/cart">{t('nav.cart')}</Link>
        </section>
        <section>
          <h3>{t('footer.forMerchants')}</h3>
          <Link to="/merchant/apply">{t('header.merchantJoin')}</Link>
          <Link to="/merchant">{t('nav.merchantCenter')}</Link>
        </section>
        <section>
          <h3>{t('footer.developers')}</h3>
          {/* Served by the API server, outside this app's router. */}
          <a href="/docs">{t('footer.apiDocs')}</a>
          <span>{t('footer.openSource')}</span>
        </section>
      </div>
      <div className="fm-container fm-footer-bottom">
        {t('footer.copyright', { year: new Date().getFullYear() })} · {t('brand.tagline')}
      </div>
    </footer>
  );
}
