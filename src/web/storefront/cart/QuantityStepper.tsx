import { MinusOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, InputNumber, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const SETTLE_MS = 400;

/**
 * − [n] + with big enough buttons for a thumb. Clicks change the number at once and are sent as
 * one change once the shopper stops for a moment; the server's answer (maybe capped) wins.
 */
export function QuantityStepper({
  value,
  max,
  disabled,
  label,
  onCommit,
}: {
  value: number;
  max: number;
  disabled?: boolean;
  label: string;
  onCommit: (quantity: number) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  // The server's number replaces ours whenever it changes.
  if (shown !== value) {
    setShown(value);
    setDraft(value);
  }
  const commit = useRef(onCommit);
  const latest = useRef(value);
  useEffect(() => {
    commit.current = onCommit;
    latest.current = value;
  });

  useEffect(() => {
    if (draft === value) return;
    const timer = setTimeout(() => {
      // Refused or capped to the same number: show what the server has.
      void commit.current(draft).finally(() => setDraft(latest.current));
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [draft, value]);

  const top = Math.max(1, max);
  const set = (n: number) => setDraft(Math.min(top, Math.max(1, Math.round(n))));

  return (
    <Space.Compact className="fm-stepper">
      <Button
        icon={<MinusOutlined />}
        aria-label={t('cartPage.decrease', { title: label })}
        disabled={disabled || draft <= 1}
        onClick={() => set(draft - 1)}
      />
      <InputNumber<number>
        className="fm-stepper-input"
        value={draft}
        min={1}
        max={top}
        precision={0}
        controls={false}
        disabled={disabled}
        aria-label={t('cartPage.quantityOf', { title: label })}
        onChange={(n) => n !== null && set(n)}
      />
      <Button
        icon={<PlusOutlined />}
        aria-label={t('cartPage.increase', { title: label })}
        disabled={disabled || draft >= top}
        onClick={() => set(draft + 1)}
      />
    </Space.Compact>
  );
}
