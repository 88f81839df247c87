// Shapes of the identity API (`/api/v1/auth/*`, `/api/v1/me`, `/api/v1/admin/users`).
// TODO(identity): import the server's response schemas instead once they are exported for the web.
export type Role = 'customer' | 'merchant' | 'admin';

export interface User {
  id: string;
  email: string | null;
  mobile: string | null;
  name: string;
  roles: Role[];
  createdAt: string; // ISO 8601, UTC
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
