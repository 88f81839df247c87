import { ArrowLeftOutlined, DatabaseOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Cascader, Form, Input, Select, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useParams } from 'react-router';
import { api } from '../shared/api';
import { ButtonLink } from '../shared/ButtonLink';
import {
  attributeName,
  categoryName,
  categoryPath,
  flattenTree,
  STATUS_COLORS,
  useCategoryTree,
  type CategoryNode,
  type ImageRef,
  type Issue,
  type Product,
  type ProductInput,
} from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { HtmlPreview } from '../shared/HtmlPreview';
import { useLanguage, type Language } from '../shared/i18n';
import { issuesOf, IssuesAlert } from '../shared/issues';
import { useStore } from '../shared/merchants';
import { fenToYuan, yuanToFen } from '../shared/money';
import { PageHead } from '../shared/PageHead';
import { LoadFailed, PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';
import { ImageGallery } from './ImageGallery';
import { useProductAction } from './productActions';
import { ReviewPanel } from './review/ReviewPanel';
import { combinations, comboKey, emptyRow, rowProblems, type RowProblem, type SkuRow, type SpecDimension } from './skuMatrix';
import { SpecEditor } from './SpecEditor';

interface Values {
  title: string;
  subtitle?: string;
  code?: string;
  brand?: string;
  category?: string[];
  attributes?: Record<string, string | undefined>;
  description?: string;
}

type Problems = { title: string; issues: Issue[] };

/**
 * The latest revision of a listed product (a material edit reviewed while the approved version
 * stays on sale). Read loosely: servers without revisions simply do not send it.
 */
interface RevisionInfo {
  state: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  reason: string | null;
}
const revisionOf = (product: Product | undefined): RevisionInfo | null =>
  (product as (Product & { revision?: RevisionInfo | null }) | undefined)?.revision ?? null;

/** The product editor at /merchant/products/new and /merchant/products/:id. */
export function ProductEditorPage() {
  const { id } = useParams();
  const tree = useCategoryTree();
  const product = useQuery({
    queryKey: ['merchant', 'product', id],
    queryFn: () => api.get<{ product: Product }>(`/api/v1/merchant/products/${encodeURIComponent(id!)}`).then((r) => r.product),
    enabled: id !== undefined,
  });
  if (tree.isPending || (id && product.isPending)) return <PageSpin />;
  if (tree.isError) return <LoadFailed error={tree.error} onRetry={() => void tree.refetch()} />;
  if (product.isError) return <LoadFailed error={product.error} onRetry={() => void product.refetch()} />;
  return <ProductEditor product={product.data} tree={tree.data} />;
}

interface CascaderOption {
  value: string;
  label: string;
  disabled?: boolean;
  children?: CascaderOption[];
}

function cascaderOptions(nodes: CategoryNode[], language: Language): CascaderOption[] {
  return nodes.map((node) => ({
    value: node.id,
    label: categoryName(node, language),
    disabled: !node.isLeaf && node.children.length === 0,
    ...(node.children.length > 0 ? { children: cascaderOptions(node.children, language) } : {}),
  }));
}

function rowsOf(product: Product | undefined): Record<string, SkuRow> {
  const rows: Record<string, SkuRow> = {};
  for (const sku of product?.skus ?? []) {
    rows[comboKey(sku.specs)] = {
      code: sku.code,
      price: fenToYuan(sku.price),
      listPrice: sku.listPrice === null ? null : fenToYuan(sku.listPrice),
      onHand: sku.onHand,
      weightGrams: sku.weightGrams,
    };
  }
  return rows;
}

function ProductEditor({ product, tree }: { product: Product | undefined; tree: CategoryNode[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { data: store } = useStore();
  const shelve = useProductAction();
  const [form] = Form.useForm<Values>();
  const [dims, setDims] = useState<SpecDimension[]>(product?.specs ?? []);
  const [rows, setRows] = useState<Record<string, SkuRow>>(() => rowsOf(product));
  const [images, setImages] = useState<ImageRef[]>(product?.images ?? []);
  const [rowCheck, setRowCheck] = useState<Map<string, Set<RowProblem>> | null>(null);
  const [problems, setProblems] = useState<Problems | null>(
    () => (location.state as { problems?: Problems } | null)?.problems ?? null,
  );
  const [saving, setSaving] = useState<'draft' | 'submit' | null>(null);
  const [descTab, setDescTab] = useState('edit');
  useTitle(product ? product.title : t('merchant.editor.newTitle'));

  const categoryValue = Form.useWatch('category', form) as string[] | undefined;
  const codeValue = (Form.useWatch('code', form) as string | undefined) ?? '';
  const description = (Form.useWatch('description', form) as string | undefined) ?? '';
  const leafId = categoryValue?.[categoryValue.length - 1];
  const leaf = flattenTree(tree).find((entry) => entry.node.id === leafId)?.node;
  const specDefs = leaf?.attributes.filter((a) => a.kind === 'spec') ?? [];
  const attrDefs = leaf?.attributes.filter((a) => a.kind === 'attr') ?? [];

  const status = product?.status;
  const revision = revisionOf(product);
  const revisionPending = revision?.state === 'pending';
  const locked = status === 'pending_review' || revisionPending || (store !== undefined && store.state !== 'active');
  const loadedStock = new Map(product?.skus.map((s) => [s.code, s.onHand]));

  const payload = (values: Values): ProductInput => {
    const attributes: Record<string, string> = {};
    for (const def of attrDefs) {
      const value = values.attributes?.[def.key]?.trim();
      if (value) attributes[def.key] = value;
    }
    const skus = combinations(dims).map((specs) => {
      const row = rows[comboKey(specs)] ?? emptyRow();
      const code = row.code.trim();
      const stockChanged = !loadedStock.has(code) || loadedStock.get(code) !== (row.onHand ?? 0);
      return {
        code,
        specs,
        price: yuanToFen(row.price)!,
        listPrice: row.listPrice ? yuanToFen(row.listPrice) : null,
        weightGrams: row.weightGrams!,
        ...(stockChanged ? { onHand: row.onHand ?? 0 } : {}),
      };
    });
    const code = values.code?.trim();
    return {
      ...(code ? { code } : {}),
      title: values.title.trim(),
      subtitle: values.subtitle?.trim() ?? '',
      brand: values.brand?.trim() ?? '',
      description: values.description ?? '',
      categoryId: leafId!,
      attributes,
      specs: dims.filter((d) => d.values.length > 0),
      imageIds: images.map((i) => i.id),
      skus,
    };
  };

  const save = async (submit: boolean) => {
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return; // antd shows the messages under the fields
    }
    const check = rowProblems(combinations(dims).map(comboKey), rows);
    setRowCheck(check);
    if (check.size > 0) {
      setProblems({ title: t('merchant.editor.fixSkus'), issues: [] });
      window.scrollTo({ top: 0, behavior: 'smooth' });
      return;
    }
    setSaving(submit ? 'submit' : 'draft');
    setProblems(null);
    let saved: Product | undefined;
    try {
      const body = payload(values);
      saved = product
        ? (await api.patch<{ product: Product }>(`/api/v1/merchant/products/${product.id}`, body)).product
        : (await api.post<{ product: Product }>('/api/v1/merchant/products', body)).product;
      queryClient.setQueryData(['merchant', 'product', saved.id], saved);
      if (submit && (saved.status === 'draft' || saved.status === 'rejected')) {
        saved = (await api.post<{ product: Product }>(`/api/v1/merchant/products/${saved.id}/submit`)).product;
        queryClient.setQueryData(['merchant', 'product', saved.id], saved);
      }
      const inReview = saved.status === 'pending_review' || (revisionOf(saved)?.state === 'pending' && !revisionPending);
      // A submission the rules decided at once: say how it ended (the review panel shows why).
      if (submit && saved.status === 'rejected') void message.warning(t('reviewMerchant.panel.rejectedToast'));
      else if (submit && saved.status === 'on_sale') void message.success(t('reviewMerchant.panel.approvedToast'));
      else void message.success(inReview ? t('merchant.editor.submitted') : t('merchant.editor.saved'));
      if (!product) void navigate(`/merchant/products/${saved.id}`, { replace: true });
    } catch (error) {
      const failed = { title: errorMessage(error), issues: issuesOf(error) };
      setProblems(failed);
      window.scrollTo({ top: 0, behavior: 'smooth' });
      // A new product saved before its submit failed: open it, keeping the reasons on screen.
      if (!product && saved) void navigate(`/merchant/products/${saved.id}`, { replace: true, state: { problems: failed } });
    } finally {
      setSaving(null);
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'products'] });
    }
  };

  /** From a review finding to its place in the form (a field, the images, the SKUs). */
  const locate = (field: string) => {
    const name = field.startsWith('attributes.') ? ['attributes', field.slice('attributes.'.length)] : field === 'categoryId' ? ['category'] : [field];
    if (['title', 'subtitle', 'brand', 'description', 'category', 'attributes'].includes(name[0]!)) {
      if (field === 'description') setDescTab('edit');
      form.scrollToField(name, { block: 'center' });
      form.focusField(name);
      return;
    }
    const section = field.startsWith('skus') ? '.fm-sku-table' : '[data-testid="image-gallery"]';
    document.querySelector(section)?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };

  const shelveAction = (action: 'off-shelf' | 'on-shelf') =>
    shelve.mutateAsync({ id: product!.id, action }).then(
      () => void message.success(action === 'off-shelf' ? t('merchant.products.offShelfDone') : t('merchant.products.onShelfDone')),
      (error: unknown) => void message.error(errorMessage(error)),
    );

  const valuesOf = (p: Product): Values => ({
    title: p.title,
    subtitle: p.subtitle,
    code: p.code,
    brand: p.brand,
    category: categoryPath(tree, p.categoryId).map((n) => n.id),
    attributes: p.attributes,
    description: p.description,
  });
  const initialValues: Values = product ? valuesOf(product) : { title: '', description: '' };
  /** A withdrawn revision: the form shows the approved version again. */
  const onWithdrawn = (p: Product) => {
    form.setFieldsValue(valuesOf(p));
    setDims(p.specs);
    setRows(rowsOf(p));
    setImages(p.images);
  };

  return (
    <div className="fm-editor">
      <PageHead
        title={
          <Space size={8} wrap>
            <ButtonLink to="/merchant/products" type="text" icon={<ArrowLeftOutlined />} aria-label={t('merchant.editor.back')} />
            {product ? t('merchant.editor.editTitle') : t('merchant.editor.newTitle')}
            {status && <Tag color={STATUS_COLORS[status]}>{t(`productStatus.${status}`)}</Tag>}
          </Space>
        }
        extra={
          product && (
            <Space wrap>
              <ButtonLink to={`/merchant/stock?product=${product.id}`} icon={<DatabaseOutlined />}>
                {t('merchant.editor.manageStock')}
              </ButtonLink>
              {status === 'on_sale' && <Button onClick={() => void shelveAction('off-shelf')}>{t('merchant.products.offShelf')}</Button>}
              {status === 'off_shelf' && <Button onClick={() => void shelveAction('on-shelf')}>{t('merchant.products.onShelf')}</Button>}
            </Space>
          )
        }
      />
      {product && <ReviewPanel product={product} onLocate={locate} onWithdrawn={onWithdrawn} />}
      {status === 'on_sale' && !revisionPending && (
        <Alert type="info" showIcon className="fm-form-alert" title={t('merchant.editor.onSaleNote')} />
      )}
      {problems && <IssuesAlert title={problems.title} issues={problems.issues} />}

      <Form<Values>
        form={form}
        layout="vertical"
        disabled={locked}
        initialValues={initialValues}
        className="fm-editor-form"
        scrollToFirstError
      >
        <Card title={t('merchant.editor.basics')} className="fm-section">
          <Form.Item
            name="title"
            label={t('merchant.editor.title')}
            rules={[{ required: true, whitespace: true, message: t('merchant.editor.titleRequired') }]}
          >
            <Input maxLength={120} showCount placeholder={t('merchant.editor.titlePlaceholder')} />
          </Form.Item>
          <Form.Item name="subtitle" label={t('merchant.editor.subtitle')}>
            <Input maxLength={200} placeholder={t('merchant.editor.subtitlePlaceholder')} />
          </Form.Item>
          <div className="fm-form-grid">
            <Form.Item
              name="category"
              label={t('merchant.editor.category')}
              rules={[{ required: true, message: t('merchant.editor.categoryRequired') }]}
            >
              <Cascader
                options={cascaderOptions(tree, language)}
                placeholder={t('merchant.editor.categoryPlaceholder')}
                showSearch
                onChange={(path) => {
                  const id = (path as string[] | undefined)?.at(-1);
                  const defs = flattenTree(tree).find((e) => e.node.id === id)?.node.attributes ?? [];
                  setDims((current) => current.filter((d) => defs.some((def) => def.kind === 'spec' && def.key === d.key)));
                }}
              />
            </Form.Item>
            <Form.Item name="brand" label={t('merchant.editor.brand')}>
              <Input maxLength={60} />
            </Form.Item>
          </div>
          <Form.Item
            name="code"
            label={t('merchant.editor.code')}
            extra={t('merchant.editor.codeHint')}
            rules={[{ pattern: /^\S*$/, message: t('merchant.editor.noSpaces') }]}
          >
            <Input maxLength={64} className="fm-mono" />
          </Form.Item>
        </Card>

        {attrDefs.length > 0 && (
          <Card title={t('merchant.editor.attributes')} className="fm-section">
            <div className="fm-form-grid">
              {attrDefs.map((def) => (
                <Form.Item
                  key={def.key}
                  name={['attributes', def.key]}
                  label={attributeName(def, language)}
                  required={def.required}
                  tooltip={def.required ? t('merchant.editor.requiredForReview') : undefined}
                >
                  {def.options ? (
                    <Select allowClear options={def.options.map((o) => ({ value: o, label: o }))} />
                  ) : (
                    <Input maxLength={200} />
                  )}
                </Form.Item>
              ))}
            </div>
          </Card>
        )}

        <Card title={t('merchant.editor.images')} extra={<span className="fm-muted">{t('merchant.editor.imagesHint')}</span>} className="fm-section">
          <ImageGallery images={images} onChange={setImages} disabled={locked} />
        </Card>

        <Card title={t('merchant.editor.skus')} className="fm-section">
          {!leaf ? (
            <p className="fm-muted">{t('merchant.editor.pickCategoryFirst')}</p>
          ) : (
            <SpecEditor
              defs={specDefs}
              dims={dims}
              onDimsChange={setDims}
              rows={rows}
              onRowsChange={setRows}
              problems={rowCheck}
              codeBase={codeValue}
              disabled={locked}
            />
          )}
        </Card>

        <Card title={t('merchant.editor.description')} className="fm-section">
          <Tabs
            activeKey={descTab}
            onChange={setDescTab}
            items={[
              {
                key: 'edit',
                label: t('merchant.editor.html'),
                children: (
                  <Form.Item name="description" noStyle>
                    <Input.TextArea rows={10} className="fm-mono" placeholder={t('merchant.editor.htmlPlaceholder')} />
                  </Form.Item>
                ),
              },
              { key: 'preview', label: t('merchant.editor.preview'), children: <HtmlPreview html={description} /> },
            ]}
          />
        </Card>
      </Form>

      <div className="fm-editor-bar">
        <span className="fm-muted fm-desktop-only">
          {t('merchant.editor.skuCount', { count: combinations(dims).length })} · {t('merchant.editor.imageCount', { count: images.length })}
        </span>
        <Space>
          <Button onClick={() => void save(false)} loading={saving === 'draft'} disabled={locked || saving !== null}>
            {status === 'on_sale' || status === 'off_shelf' ? t('common.save') : t('merchant.editor.saveDraft')}
          </Button>
          {status !== 'on_sale' && status !== 'off_shelf' && (
            <Button
              type="primary"
              icon={<SendOutlined />}
              onClick={() => void save(true)}
              loading={saving === 'submit'}
              disabled={locked || saving !== null}
            >
              {status === 'rejected' ? t('merchant.editor.resubmit') : t('merchant.editor.submit')}
            </Button>
          )}
        </Space>
      </div>
    </div>
  );
}
