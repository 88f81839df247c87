import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { hasRole, loginPath, useMe } from './auth';
import { LoadFailed, PageSpin } from './StatusPages';
import type { Role } from './types';

/**
 * Renders `children` only for a signed-in user (with `role`, when given). Logged out: to the
 * login page, which brings them back here. Signed in without the role: `forbidden`.
 */
export function RequireUser({
  role,
  forbidden,
  children,
}: {
  role?: Role;
  forbidden?: ReactNode;
  children: ReactNode;
}) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSpin />;
  if (me.isError) return <LoadFailed error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  if (role && !hasRole(me.data, role)) return forbidden;
  return children;
}
