import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../shared/api';
import { meQueryKey } from '../shared/auth';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A 401 anywhere means the session is gone (expired, logged out in another tab):
      // forget the user so route guards send them to the login page.
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== meQueryKey[0]) {
          client.setQueryData(meQueryKey, null);
        }
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors (4xx) will not fix themselves; network and server errors may.
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
  return client;
}
