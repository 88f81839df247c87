import { RightOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { type ListingQuery, useShelf } from './api';
import { ProductGrid } from './ProductTile';

/** A titled row of products from a listing query, with a link to the whole listing. */
export function Shelf({ title, icon, query, more, testId }: { title: string; icon?: ReactNode; query: ListingQuery; more?: string; testId?: string }) {
  const shelf = useShelf(query);
  if (shelf.data && shelf.data.length === 0) return null;
  return (
    <section className="fm-shelf" data-testid={testId}>
      <header className="fm-shelf-head">
        <h2>
          {icon && <span className="fm-shelf-icon">{icon}</span>}
          {title}
        </h2>
        {more && (
          <Link to={more} aria-label={title}>
            <RightOutlined />
          </Link>
        )}
      </header>
      <ProductGrid items={shelf.data} loading={shelf.isPending} skeletons={query.limit ?? 5} />
    </section>
  );
}
