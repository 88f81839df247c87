// Shapes of the merchants API (`/api/v1/merchant/*`, `/api/v1/admin/merchants*`). The server's
// schemas live in its route file beside server-only imports, so they are mirrored here.
import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import { useMe } from './auth';

export const MERCHANT_STATES = ['applied', 'active', 'rejected', 'suspended'] as const;
export type MerchantState = (typeof MERCHANT_STATES)[number];

export interface Merchant {
  id: string;
  name: string;
  state: MerchantState;
  contactName: string;
  contactMobile: string;
  contactEmail: string;
  creditCode: string;
  description: string;
  logoUrl: string | null;
  stateReason: string | null;
  createdAt: string;
  approvedAt: string | null;
}

export interface StoreProfileInput {
  name: string;
  contactName: string;
  contactMobile: string;
  contactEmail: string;
  description?: string;
  logoUrl?: string | null;
}

export type ApplicationInput = StoreProfileInput & { creditCode: string };

export type StaffRole = 'owner' | 'operator';

export interface StaffMember {
  userId: string;
  role: StaffRole;
  name: string;
  email: string | null;
  mobile: string | null;
  addedAt: string;
}

export const API_SCOPES = ['store:write', 'products:read', 'products:write', 'orders:read', 'orders:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiScope[];
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const storeQueryKey = ['merchant', 'store'] as const;
export const staffQueryKey = ['merchant', 'staff'] as const;

/** The signed-in staff member's store. */
export function useStore() {
  return useQuery({
    queryKey: storeQueryKey,
    queryFn: () => api.get<{ merchant: Merchant }>('/api/v1/merchant/store').then((r) => r.merchant),
  });
}

export function useStaff() {
  return useQuery({
    queryKey: staffQueryKey,
    queryFn: () => api.get<{ items: StaffMember[] }>('/api/v1/merchant/staff').then((r) => r.items),
  });
}

/** The signed-in user's role in their store; undefined while loading. */
export function useStaffRole(): StaffRole | undefined {
  const { data: me } = useMe();
  const staff = useStaff();
  return staff.data?.find((s) => s.userId === me?.id)?.role;
}
