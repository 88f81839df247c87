import { Alert, Card, Empty, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useTitle } from '../shared/useTitle';
import type { ProductPage } from './browse/api';
import { Listing } from './browse/Listing';
import { Shelf } from './browse/Shelf';

/** /search?q= — results with highlights, the same filters and sorts as a category, and help when nothing matched. */
export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const [page, setPage] = useState<ProductPage | undefined>(undefined);
  const onPage = useCallback((first: ProductPage | undefined) => setPage(first), []);
  useTitle(q ? t('search.resultsFor', { q }) : t('search.title'));
  const info = page?.query;
  const empty = page !== undefined && page.items.length === 0;

  return (
    <div className="fm-browse">
      <Listing
        key={q}
        onPage={onPage}
        header={
          <>
            <Typography.Title level={4} className="fm-page-title">
              {q ? t('search.resultsFor', { q }) : t('search.title')}
            </Typography.Title>
            {info?.correctedQuery && !empty && (
              <Alert
                className="fm-search-note"
                type="info"
                showIcon
                title={
                  <>
                    {t('shop.search.showingFor')} <Link to={`/search?q=${encodeURIComponent(info.correctedQuery)}`}>{info.correctedQuery}</Link>
                  </>
                }
              />
            )}
            {info?.fuzzy && !info.correctedQuery && !empty && <Alert className="fm-search-note" type="info" showIcon title={t('shop.search.fuzzy')} />}
            {empty && q && (
              <Card className="fm-search-empty">
                <Empty description={t('shop.search.nothing', { q })} />
                {info && info.suggestions.length > 0 && (
                  <div className="fm-search-try">
                    <span>{t('shop.search.tryInstead')}</span>
                    {info.suggestions.map((s) => (
                      <Link key={s} to={`/search?q=${encodeURIComponent(s)}`} className="fm-chip">
                        {s}
                      </Link>
                    ))}
                  </div>
                )}
              </Card>
            )}
          </>
        }
      />
      {empty && (
        <Shelf title={t('shop.bestSellers')} query={{ sort: 'sales', limit: 10 }} />
      )}
    </div>
  );
}
