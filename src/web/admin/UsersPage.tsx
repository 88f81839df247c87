import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../shared/api';
import { useErrorMessage } from '../shared/errors';
import { formatDateTime } from '../shared/format';
import { useLanguage } from '../shared/i18n';
import { RoleTags } from '../shared/RoleTags';
import { useTitle } from '../shared/useTitle';
import type { Page, User } from '../shared/types';

const PAGE_SIZE = 20;

/** 用户: every account on the platform, searchable, loaded 20 at a time. */
export function UsersPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const errorMessage = useErrorMessage();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  useTitle(t('admin.users.title'));

  const users = useInfiniteQuery({
    queryKey: ['admin', 'users', q],
    queryFn: ({ pageParam }) =>
      api.get<Page<User>>('/api/v1/admin/users', { q, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData, // keep the old rows on screen while a new search loads
  });
  const rows = users.data?.pages.flatMap((page) => page.items) ?? [];

  const muted = (text: string | null) => text ?? <span className="fm-muted">-</span>;
  const columns: TableColumnsType<User> = [
    { key: 'name', title: t('admin.users.name'), dataIndex: 'name', width: 140, ellipsis: true },
    { key: 'email', title: t('admin.users.email'), dataIndex: 'email', width: 200, ellipsis: true, render: muted },
    { key: 'mobile', title: t('admin.users.mobile'), dataIndex: 'mobile', width: 130, render: muted },
    {
      key: 'roles',
      title: t('admin.users.roles'),
      dataIndex: 'roles',
      width: 160,
      render: (roles: User['roles']) => <RoleTags roles={roles} />,
    },
    {
      key: 'createdAt',
      title: t('admin.users.createdAt'),
      dataIndex: 'createdAt',
      width: 190,
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
    {
      key: 'id',
      title: t('admin.users.id'),
      dataIndex: 'id',
      width: 200,
      render: (id: string) => (
        <Typography.Text copyable={{ text: id }} ellipsis={{ tooltip: id }} className="fm-id">
          {id}
        </Typography.Text>
      ),
    },
  ];

  return (
    <>
      <div className="fm-page-head">
        <Typography.Title level={4} className="fm-page-title">
          {t('admin.users.title')}
        </Typography.Title>
        <Input.Search
          key={q}
          className="fm-page-search"
          defaultValue={q}
          allowClear
          placeholder={t('admin.users.searchPlaceholder')}
          aria-label={t('admin.users.searchPlaceholder')}
          onSearch={(value) => {
            const next = value.trim();
            setParams(next ? { q: next } : {});
          }}
        />
      </div>
      {users.isError && (
        <Alert
          type="error"
          showIcon
          className="fm-form-alert"
          title={errorMessage(users.error)}
          action={
            <Button size="small" onClick={() => void users.refetch()}>
              {t('common.retry')}
            </Button>
          }
        />
      )}
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <Table<User>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={users.isFetching && !users.isFetchingNextPage}
          pagination={false}
          scroll={{ x: 1020 }}
          locale={{ emptyText: users.isPending ? ' ' : t('admin.users.empty') }}
        />
        <div className="fm-table-footer">
          <span className="fm-muted">{t('admin.users.loaded', { count: rows.length })}</span>
          {users.hasNextPage ? (
            <Button onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
              {t('admin.users.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && <span className="fm-muted">{t('admin.users.allLoaded')}</span>
          )}
        </div>
      </Card>
    </>
  );
}
