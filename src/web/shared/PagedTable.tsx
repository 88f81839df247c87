import { Button, Table, type TableProps } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryAlert } from './PageHead';
import type { Page } from './types';

/** What PagedTable reads of a `useInfiniteQuery` over a cursor-paged list (`Page<T>`). */
export interface PagedQuery<T> {
  data?: { pages: Page<T>[] } | undefined;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
  isFetchingNextPage: boolean;
  hasNextPage: boolean;
  refetch: () => unknown;
  fetchNextPage: () => unknown;
}

/**
 * A table over a cursor-paged list: the rows loaded so far, a failed load with a retry, and 加载更多
 * while the server has more. `summary` words the count of rows loaded in the footer.
 */
export function PagedTable<T extends object>({
  query,
  empty,
  summary,
  ...table
}: Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination'> & {
  query: PagedQuery<T>;
  /** Shown when the list is empty (once loaded). */
  empty: string;
  summary?: (loaded: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <QueryAlert error={query.error} onRetry={() => void query.refetch()} />
      <Table<T>
        {...table}
        dataSource={rows}
        loading={query.isFetching && !query.isFetchingNextPage}
        pagination={false}
        locale={{ emptyText: query.isPending ? ' ' : empty }}
      />
      {(summary || query.hasNextPage) && (
        <div className="fm-table-footer">
          {summary && <span className="fm-muted">{summary(rows.length)}</span>}
          {query.hasNextPage && (
            <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
              {t('common.loadMore')}
            </Button>
          )}
        </div>
      )}
    </>
  );
}
