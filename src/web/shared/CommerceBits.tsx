import { PictureOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ORDER_STATE_COLORS, specText, type OrderState } from './commerce';
import { formatFen } from './money';

/** A product picture in a list, or a grey placeholder when it has none. */
export function ItemThumb({ src, size = 'md' }: { src: string | null; size?: 'sm' | 'md' }) {
  const className = `fm-item-thumb fm-item-thumb-${size}`;
  return src ? (
    <img src={src} alt="" className={className} loading="lazy" />
  ) : (
    <span className={`${className} fm-item-thumb-empty`} aria-hidden="true">
      <PictureOutlined />
    </span>
  );
}

export function OrderStateTag({ state }: { state: OrderState }) {
  const { t } = useTranslation();
  return (
    <Tag color={ORDER_STATE_COLORS[state]} className="fm-state-tag">
      {t(`orderState.${state}`)}
    </Tag>
  );
}

/** One bought item: picture, title, specs, and "¥79.00 × 2". */
export function ItemLine({
  item,
}: {
  item: { title: string; specs: Record<string, string>; imageUrl: string | null; unitPrice: number; quantity: number };
}) {
  const specs = specText(item.specs);
  return (
    <div className="fm-item-line">
      <ItemThumb src={item.imageUrl} />
      <div className="fm-item-line-text">
        <span className="fm-item-title">{item.title}</span>
        {specs && <span className="fm-muted fm-item-specs">{specs}</span>}
      </div>
      <div className="fm-item-line-price">
        <span>{formatFen(item.unitPrice)}</span>
        <span className="fm-muted">× {item.quantity}</span>
      </div>
    </div>
  );
}
