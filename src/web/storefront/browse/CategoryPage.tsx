import { Typography } from 'antd';
import { useParams } from 'react-router';
import { categoryName, categoryPath, useCategoryTree } from '../../shared/catalog';
import { useLanguage } from '../../shared/i18n';
import { NotFound, PageSpin } from '../../shared/StatusPages';
import { useTitle } from '../../shared/useTitle';
import { CategoryCrumbs, Listing } from './Listing';

/** /c/:id — a category with its descendants: grid, filters, sorts, infinite scroll. */
export function CategoryPage() {
  const { id = '' } = useParams();
  const language = useLanguage();
  const tree = useCategoryTree();
  const path = tree.data ? categoryPath(tree.data, id) : [];
  const category = path[path.length - 1];
  useTitle(category ? categoryName(category, language) : undefined);
  if (tree.isPending) return <PageSpin />;
  if (!category) return <NotFound />;
  return (
    <div className="fm-browse">
      <CategoryCrumbs path={path} />
      <Listing
        key={id}
        fixed={{ category: id }}
        header={
          <Typography.Title level={4} className="fm-page-title">
            {categoryName(category, language)}
          </Typography.Title>
        }
      />
    </div>
  );
}
