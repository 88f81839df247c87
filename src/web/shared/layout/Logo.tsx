import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The brand mark and word, linking home. */
export function Logo({ to = '/' }: { to?: string }) {
  const { t } = useTranslation();
  return (
    <Link to={to} className="fm-logo" aria-label={t('brand.name')}>
      <svg className="fm-logo-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="9" fill="#ff5000" />
        <path d="M10 9h13v4h-8.5v3.5H21v4h-6.5V25H10z" fill="#fff" />
      </svg>
      <span className="fm-logo-word">{t('brand.name')}</span>
    </Link>
  );
}
