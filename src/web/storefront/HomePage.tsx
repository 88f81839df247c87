import {
  CarOutlined,
  CustomerServiceOutlined,
  GlobalOutlined,
  RightOutlined,
  ShopOutlined,
  ShoppingOutlined,
} from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../shared/auth';
import { ButtonLink } from '../shared/ButtonLink';
import { UserAvatar } from '../shared/layout/AccountMenu';
import { useTitle } from '../shared/useTitle';
import { HOME_CATEGORIES } from './categories';

const SHELF_TILES = 5;

export function HomePage() {
  const { t } = useTranslation();
  useTitle();
  const features = [
    { icon: <ShoppingOutlined />, text: t('home.features.oneCheckout') },
    { icon: <CarOutlined />, text: t('home.features.tracking') },
    { icon: <CustomerServiceOutlined />, text: t('home.features.aftersales') },
    { icon: <GlobalOutlined />, text: t('home.features.bilingual') },
  ];

  return (
    <div className="fm-home">
      <section className="fm-home-top">
        <nav className="fm-category-nav" aria-label={t('home.categoriesTitle')}>
          <h2 className="fm-category-nav-title">{t('home.categoriesTitle')}</h2>
          <ul>
            {HOME_CATEGORIES.map(({ key, icon }) => {
              const name = t(`categories.${key}`);
              return (
                <li key={key}>
                  <Link to={`/search?q=${encodeURIComponent(name)}`}>
                    {icon}
                    <span>{name}</span>
                    <RightOutlined className="fm-category-nav-arrow" />
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>

        <div className="fm-hero">
          <h1>{t('home.heroTitle')}</h1>
          <p>{t('home.heroSubtitle')}</p>
          <div className="fm-hero-actions">
            <Button href="#shelves" size="large" className="fm-hero-primary">
              {t('home.heroShop')}
            </Button>
            <ButtonLink to="/merchant/apply" size="large" ghost icon={<ShopOutlined />}>
              {t('home.heroMerchant')}
            </ButtonLink>
          </div>
          <ul className="fm-hero-features">
            {features.map((f) => (
              <li key={f.text}>
                {f.icon}
                {f.text}
              </li>
            ))}
          </ul>
        </div>

        <WelcomeCard />
      </section>

      <section id="shelves" className="fm-shelves">
        {HOME_CATEGORIES.slice(0, 6).map(({ key, icon }) => {
          const name = t(`categories.${key}`);
          return (
            <article key={key} className="fm-shelf">
              <header className="fm-shelf-head">
                <h2>
                  <span className="fm-shelf-icon">{icon}</span>
                  {name}
                </h2>
                <Link to={`/search?q=${encodeURIComponent(name)}`} aria-label={t('home.browseCategory', { name })}>
                  <RightOutlined />
                </Link>
              </header>
              <div className="fm-shelf-tiles" aria-hidden="true">
                {Array.from({ length: SHELF_TILES }, (_, i) => (
                  <div key={i} className="fm-shelf-tile">
                    {icon}
                  </div>
                ))}
              </div>
              <p className="fm-shelf-note">
                <strong>{t('home.shelfComingSoon')}</strong>
                <span>{t('home.shelfComingSoonText')}</span>
              </p>
            </article>
          );
        })}
      </section>
    </div>
  );
}

function WelcomeCard() {
  const { t } = useTranslation();
  const { data: user } = useMe();
  return (
    <aside className="fm-welcome-card">
      {user ? (
        <>
          <UserAvatar user={user} size={56} />
          <strong>{t('home.welcomeUser', { name: user.name })}</strong>
          <span>{t('home.welcomeUserText')}</span>
          <ButtonLink to="/account" type="primary" block>
            {t('nav.account')}
          </ButtonLink>
        </>
      ) : (
        <>
          <span className="fm-welcome-avatar">
            <ShoppingOutlined />
          </span>
          <strong>{t('home.welcomeGuest')}</strong>
          <span>{t('home.welcomeGuestText')}</span>
          <div className="fm-welcome-actions">
            <ButtonLink to="/login" type="primary" block>
              {t('nav.login')}
            </ButtonLink>
            <ButtonLink to="/register" block>{t('nav.register')}</ButtonLink>
          </div>
        </>
      )}
    </aside>
  );
}
