import {
  AppstoreOutlined,
  CarOutlined,
  CoffeeOutlined,
  CustomerServiceOutlined,
  FireOutlined,
  GiftOutlined,
  GlobalOutlined,
  HeartOutlined,
  HomeOutlined,
  LaptopOutlined,
  RightOutlined,
  ShopOutlined,
  ShoppingOutlined,
  SkinOutlined,
  SmileOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Button, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMe } from '../shared/auth';
import { ButtonLink } from '../shared/ButtonLink';
import { categoryName, type CategoryNode, useCategoryTree } from '../shared/catalog';
import { useLanguage } from '../shared/i18n';
import { UserAvatar } from '../shared/layout/AccountMenu';
import { useTitle } from '../shared/useTitle';
import { Shelf } from './browse/Shelf';

/** An icon for a top category by its English name; anything unknown gets a generic one. */
function categoryIcon(node: CategoryNode): ReactNode {
  const name = node.nameEn.toLowerCase();
  if (/cloth|fashion|apparel|wear|shoe/.test(name)) return <SkinOutlined />;
  if (/digital|electronic|phone|computer/.test(name)) return <LaptopOutlined />;
  if (/beauty|cosmetic|care/.test(name)) return <HeartOutlined />;
  if (/food|drink|grocer|snack/.test(name)) return <CoffeeOutlined />;
  if (/home|furniture|kitchen|living/.test(name)) return <HomeOutlined />;
  if (/baby|kid|toy|mother/.test(name)) return <SmileOutlined />;
  if (/sport|outdoor/.test(name)) return <TrophyOutlined />;
  return <AppstoreOutlined />;
}

function CategoryNav({ roots, loading }: { roots: CategoryNode[]; loading: boolean }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <nav className="fm-category-nav" aria-label={t('home.categoriesTitle')} data-testid="category-nav">
      <h2 className="fm-category-nav-title">{t('home.categoriesTitle')}</h2>
      {loading ? (
        <Skeleton active paragraph={{ rows: 6 }} title={false} />
      ) : (
        <ul>
          {roots.map((root) => (
            <li key={root.id}>
              <Link to={`/c/${root.id}`}>
                {categoryIcon(root)}
                <span>
                  {categoryName(root, language)}
                  <small className="fm-category-nav-children">
                    {root.children
                      .slice(0, 3)
                      .map((c) => categoryName(c, language))
                      .join(' · ')}
                  </small>
                </span>
                <RightOutlined className="fm-category-nav-arrow" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const tree = useCategoryTree();
  useTitle();
  const roots = tree.data ?? [];
  const features = [
    { icon: <ShoppingOutlined />, text: t('home.features.oneCheckout') },
    { icon: <CarOutlined />, text: t('home.features.tracking') },
    { icon: <CustomerServiceOutlined />, text: t('home.features.aftersales') },
    { icon: <GlobalOutlined />, text: t('home.features.bilingual') },
  ];

  return (
    <div className="fm-home">
      <section className="fm-home-top">
        <CategoryNav roots={roots} loading={tree.isPending} />
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

      <div id="shelves" className="fm-home-shelves">
        <Shelf title={t('shop.newArrivals')} icon={<GiftOutlined />} query={{ sort: 'newest', limit: 10 }} more="/search?sort=newest" testId="shelf-new" />
        <Shelf title={t('shop.bestSellers')} icon={<FireOutlined />} query={{ sort: 'sales', limit: 10 }} more="/search?sort=sales" testId="shelf-best" />
        {roots.map((root) => (
          <Shelf key={root.id} title={categoryName(root, language)} icon={categoryIcon(root)} query={{ category: root.id, limit: 5 }} more={`/c/${root.id}`} />
        ))}
      </div>
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
