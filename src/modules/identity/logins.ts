import { AppError } from '../../platform/errors.js';

/** A login name as typed: an email address or a mainland mobile number. */
export type LoginName = { email: string } | { mobile: string };

export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Accepts `13812345678`, `138 1234 5678`, `138-1234-5678` and a `+86` prefix. */
export function normalizeMobile(mobile: string): string {
  return mobile.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
}

export function parseLoginName(login: string): LoginName {
  const trimmed = login.trim();
  if (trimmed.includes('@')) return { email: normalizeEmail(trimmed) };
  const mobile = normalizeMobile(trimmed);
  if (MOBILE_PATTERN.test(mobile)) return { mobile };
  // Not a shape we know; it can match no account, which answers like a wrong password.
  return { email: normalizeEmail(trimmed) };
}

export function loginKey(name: LoginName): string {
  return 'email' in name ? `account:${name.email}` : `account:${name.mobile}`;
}

export const invalidCredentials = () =>
  new AppError(401, 'invalid_credentials', 'The account or password is wrong');
