import { DeleteOutlined } from '@ant-design/icons';
import { Button, Checkbox, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ItemThumb } from '../../shared/CommerceBits';
import { MAX_LINE_QUANTITY, specText, type CartLine, type CartWarning } from '../../shared/commerce';
import { formatFen } from '../../shared/money';
import { QuantityStepper } from './QuantityStepper';

// Below this many units left, the line says how many remain.
const LOW_STOCK = 5;

/** One line of the cart: select, picture and title, honest warnings, price, quantity, remove. */
export function CartLineItem({
  line,
  limit,
  busy,
  onSelect,
  onQuantity,
  onRemove,
}: {
  line: CartLine;
  /** The store's most units of one SKU per order, if it sets one. */
  limit: number | null;
  busy: boolean;
  onSelect: (selected: boolean) => void;
  onQuantity: (quantity: number) => Promise<unknown>;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const specs = specText(line.specs);
  const max = Math.min(line.available, limit ?? MAX_LINE_QUANTITY, MAX_LINE_QUANTITY);
  const priceChange = line.warnings.find((w): w is Extract<CartWarning, { code: 'price_changed' }> => w.code === 'price_changed');
  const title = line.productId ? (
    <Link to={`/p/${line.productId}`} className="fm-item-title">
      {line.title}
    </Link>
  ) : (
    <span className="fm-item-title">{line.title}</span>
  );

  return (
    <li className={`fm-cart-line${line.purchasable ? '' : ' fm-cart-line-dead'}`} data-testid="cart-line">
      <Checkbox
        className="fm-cart-check"
        checked={line.purchasable && line.selected}
        disabled={!line.purchasable || busy}
        aria-label={t('cartPage.selectLine', { title: line.title })}
        onChange={(e) => onSelect(e.target.checked)}
      />
      <ItemThumb src={line.imageUrl} />
      <div className="fm-cart-line-body">
        <div className="fm-cart-line-info">
          {title}
          {specs && <span className="fm-muted fm-item-specs">{specs}</span>}
          <Warnings line={line} />
        </div>
        <div className="fm-cart-line-price">
          <span className="fm-price">{formatFen(line.price)}</span>
          {priceChange && <s className="fm-muted">{formatFen(priceChange.was)}</s>}
        </div>
        <div className="fm-cart-line-qty">
          {line.purchasable ? (
            <QuantityStepper value={line.quantity} max={max} disabled={busy} label={line.title} onCommit={onQuantity} />
          ) : (
            <span className="fm-muted">× {line.quantity}</span>
          )}
        </div>
        <div className="fm-cart-line-total">
          <span className="fm-price">{formatFen(line.lineTotal)}</span>
        </div>
        <Button
          type="text"
          className="fm-cart-line-remove"
          icon={<DeleteOutlined />}
          aria-label={t('cartPage.removeLine', { title: line.title })}
          onClick={onRemove}
        />
      </div>
    </li>
  );
}

function Warnings({ line }: { line: CartLine }) {
  const { t } = useTranslation();
  const tags = line.warnings.map((w) => {
    switch (w.code) {
      case 'price_changed':
        return (
          <Tag key={w.code} color={w.now < w.was ? 'green' : 'orange'}>
            {w.now < w.was
              ? t('cartPage.warning.priceDown', { amount: formatFen(w.was - w.now) })
              : t('cartPage.warning.priceUp', { amount: formatFen(w.now - w.was) })}
          </Tag>
        );
      case 'quantity_capped':
        return (
          <Tag key={w.code} color="orange">
            {t('cartPage.warning.capped', { requested: w.requested, available: w.available })}
          </Tag>
        );
      default:
        return (
          <Tag key={w.code} color="default" className="fm-tag-strong">
            {t(`cartPage.warning.${w.code}`)}
          </Tag>
        );
    }
  });
  const lowStock = line.purchasable && line.available <= LOW_STOCK && !line.warnings.some((w) => w.code === 'quantity_capped');
  if (tags.length === 0 && !lowStock) return null;
  return (
    <div className="fm-cart-warnings">
      {tags}
      {lowStock && <span className="fm-warn-text">{t('cartPage.warning.lowStock', { count: line.available })}</span>}
    </div>
  );
}
