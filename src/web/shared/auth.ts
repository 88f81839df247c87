import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api';
import type { Role, User } from './types';

export const meQueryKey = ['me'] as const;

async function fetchMe(): Promise<User | null> {
  try {
    const { user } = await api.get<{ user: User }>('/api/v1/me');
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user: `data` is the user, `null` when logged out, `undefined` while loading. */
export function useMe() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

export function hasRole(user: User | null | undefined, role: Role): boolean {
  return user?.roles.includes(role) ?? false;
}

export interface LoginInput {
  login: string;
  password: string;
}

export type RegisterInput = { password: string; name?: string } & (
  | { email: string; mobile?: never }
  | { mobile: string; email?: never }
);

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<{ user: User }>('/api/v1/auth/login', input),
    onSuccess: ({ user }) => queryClient.setQueryData(meQueryKey, user),
  });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RegisterInput) => api.post<{ user: User }>('/api/v1/auth/register', input),
    onSuccess: ({ user }) => queryClient.setQueryData(meQueryKey, user),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/v1/auth/logout'),
    // Whatever the server said, this browser must stop showing the previous user's data.
    onSettled: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}

/** The login page, bringing the user back to `here` (a path with its query) afterwards. */
export function loginPath(here: string): string {
  const next = safeNext(here, '/');
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/**
 * Where to go after logging in: the `next` path if it stays on this site, else the fallback.
 * Absolute and protocol-relative URLs are refused so a crafted link cannot send users elsewhere.
 */
export function safeNext(next: string | null, fallback = '/account'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login') || next.startsWith('/register')) return fallback;
  return next;
}
