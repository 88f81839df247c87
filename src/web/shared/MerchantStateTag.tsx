import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MerchantState } from './merchants';

const COLORS: Record<MerchantState, string> = { applied: 'processing', active: 'success', rejected: 'error', suspended: 'warning' };

export function MerchantStateTag({ state }: { state: MerchantState }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[state]}>{t(`merchantStates.${state}`)}</Tag>;
}
