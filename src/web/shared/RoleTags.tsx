import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from './types';

const ROLE_COLORS: Record<Role, string> = { customer: 'default', merchant: 'orange', admin: 'red' };

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  const { t } = useTranslation();
  return (
    <span className="fm-role-tags">
      {roles.map((role) => (
        <Tag key={role} color={ROLE_COLORS[role]}>
          {t(`roles.${role}`)}
        </Tag>
      ))}
    </span>
  );
}
