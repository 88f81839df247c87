import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Sets the tab title: "<page> - Flowmart". */
export function useTitle(title?: string): void {
  const { t } = useTranslation();
  const brand = t('brand.name');
  const full = title ? `${title} - ${brand}` : `${brand} - ${t('brand.tagline')}`;
  useEffect(() => {
    document.title = full;
  }, [full]);
}
