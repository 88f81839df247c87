import { Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useTitle } from '../shared/useTitle';

// Placeholder until the search module lands: says honestly that there is nothing to find yet.
export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  useTitle(q ? t('search.resultsFor', { q }) : t('search.title'));
  return (
    <>
      <Typography.Title level={4} className="fm-page-title">
        {q ? t('search.resultsFor', { q }) : t('search.title')}
      </Typography.Title>
      <Card>
        <Empty
          className="fm-empty-lg"
          description={
            q ? (
              <>
                <strong>{t('search.comingSoon')}</strong>
                <br />
                {t('search.comingSoonText', { q })}
              </>
            ) : (
              t('search.emptyQuery')
            )
          }
        />
      </Card>
    </>
  );
}
