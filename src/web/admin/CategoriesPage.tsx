import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tree,
  type TableColumnsType,
} from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../shared/api';
import { categoryName, flattenTree, type AttributeDefinition, type CategoryNode } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { FormErrorAlert } from '../shared/forms';
import { useLanguage } from '../shared/i18n';
import { PageHead, QueryAlert } from '../shared/PageHead';
import { PageSpin } from '../shared/StatusPages';
import { useTitle } from '../shared/useTitle';

const MAX_DEPTH = 3;
const treeKey = ['admin', 'categories'] as const;

type CategoryFields = { nameZh: string; nameEn: string; sortOrder: number; enabled: boolean };

/** 类目: the category tree (3 levels), names in Chinese and English, order, switches, leaf attributes. */
export function CategoriesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[] | null>(null);
  const [adding, setAdding] = useState<{ parent: CategoryNode | null } | null>(null);
  useTitle(t('admin.categories.title'));

  const tree = useQuery({
    queryKey: treeKey,
    queryFn: () => api.get<{ items: CategoryNode[] }>('/api/v1/admin/categories').then((r) => r.items),
  });
  const entries = flattenTree(tree.data ?? []);
  const selected = entries.find((e) => e.node.id === selectedId);
  const expandedKeys = expanded ?? entries.filter((e) => e.node.depth < MAX_DEPTH).map((e) => e.node.id);

  type TreeItem = { key: string; title: ReactNode; children: TreeItem[] };
  const toTreeData = (nodes: CategoryNode[]): TreeItem[] =>
    nodes.map((node) => ({
      key: node.id,
      title: (
        <span className={node.enabled ? 'fm-tree-title' : 'fm-tree-title fm-tree-disabled'}>
          <span>{categoryName(node, language)}</span>
          {!node.enabled && <Tag className="fm-tree-tag">{t('admin.categories.disabled')}</Tag>}
          {node.attributes.length > 0 && (
            <span className="fm-muted fm-tree-count">{t('admin.categories.attrCount', { count: node.attributes.length })}</span>
          )}
        </span>
      ),
      children: toTreeData(node.children),
    }));

  return (
    <>
      <PageHead
        title={t('admin.categories.title')}
        note={t('admin.categories.note')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding({ parent: null })}>
            {t('admin.categories.addRoot')}
          </Button>
        }
      />
      <QueryAlert error={tree.error} onRetry={() => void tree.refetch()} />
      {tree.isPending ? (
        <PageSpin />
      ) : (
        <div className="fm-two-col fm-two-col-tree">
          <Card title={t('admin.categories.tree')} className="fm-two-col-side fm-category-tree-card">
            {entries.length === 0 ? (
              <Empty description={t('admin.categories.empty')} />
            ) : (
              <Tree
                blockNode
                showLine
                treeData={toTreeData(tree.data ?? [])}
                selectedKeys={selectedId ? [selectedId] : []}
                expandedKeys={expandedKeys}
                onExpand={(keys) => setExpanded(keys as string[])}
                onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
              />
            )}
          </Card>
          <div className="fm-two-col-main">
            {selected ? (
              <CategoryEditor
                key={`${selected.node.id}:${selected.node.sortOrder}`}
                node={selected.node}
                path={selected.path}
                siblings={selected.path.length > 1 ? selected.path[selected.path.length - 2]!.children : (tree.data ?? [])}
                onAddChild={() => setAdding({ parent: selected.node })}
                onDeleted={() => setSelectedId(null)}
              />
            ) : (
              <Card>
                <Empty description={t('admin.categories.pick')} />
              </Card>
            )}
          </div>
        </div>
      )}
      <AddCategoryModal
        parent={adding?.parent ?? null}
        open={adding !== null}
        siblings={adding?.parent ? adding.parent.children : (tree.data ?? [])}
        onClose={() => setAdding(null)}
        onCreated={(id, parentId) => {
          setAdding(null);
          setSelectedId(id);
          if (parentId && expanded) setExpanded([...expanded, parentId]);
        }}
      />
    </>
  );
}

function useCategoryMutations() {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: treeKey });
    void queryClient.invalidateQueries({ queryKey: ['categories'] });
  };
  return {
    update: useMutation({
      mutationFn: ({ id, ...changes }: { id: string } & Partial<CategoryFields & { attributes: AttributeDefinition[] }>) =>
        api.patch<{ category: CategoryNode }>(`/api/v1/admin/categories/${id}`, changes),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => api.delete(`/api/v1/admin/categories/${id}`),
      onSuccess: refresh,
    }),
  };
}

function CategoryEditor({
  node,
  path,
  siblings,
  onAddChild,
  onDeleted,
}: {
  node: CategoryNode;
  path: CategoryNode[];
  siblings: CategoryNode[];
  onAddChild: () => void;
  onDeleted: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const [form] = Form.useForm<CategoryFields>();
  const { update, remove } = useCategoryMutations();
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const position = siblings.findIndex((s) => s.id === node.id);

  /** Renumbers the siblings 10, 20, 30… in their new order; only changed ones are written. */
  const moveTo = async (to: number) => {
    const order = [...siblings];
    const [me] = order.splice(position, 1);
    order.splice(to, 0, me!);
    try {
      for (const [i, s] of order.entries()) {
        if (s.sortOrder !== (i + 1) * 10) await update.mutateAsync({ id: s.id, sortOrder: (i + 1) * 10 });
      }
    } catch (error) {
      void message.error(errorMessage(error));
    }
  };

  const inUse = deleteError instanceof ApiError && deleteError.code === 'category_in_use' ? (deleteError.details as { children?: number; products?: number } | undefined) : undefined;

  return (
    <>
      <Card
        className="fm-section"
        title={
          <Breadcrumb
            items={path.map((n) => ({ title: categoryName(n, language) }))}
            className="fm-category-path"
          />
        }
        extra={
          <Space size={4}>
            <Button size="small" icon={<ArrowUpOutlined />} disabled={position <= 0 || update.isPending} onClick={() => void moveTo(position - 1)} aria-label={t('admin.categories.moveUp')} />
            <Button size="small" icon={<ArrowDownOutlined />} disabled={position >= siblings.length - 1 || update.isPending} onClick={() => void moveTo(position + 1)} aria-label={t('admin.categories.moveDown')} />
          </Space>
        }
      >
        <div className="fm-category-facts">
          <Tag>{t('admin.categories.level', { n: node.depth })}</Tag>
          <Tag color={node.isLeaf ? 'orange' : 'default'}>{node.isLeaf ? t('admin.categories.leaf') : t('admin.categories.branch', { count: node.children.length })}</Tag>
          <span className="fm-mono fm-muted">{node.id}</span>
        </div>
        <FormErrorAlert error={update.error} />
        <Form<CategoryFields>
          form={form}
          name="category-edit"
          layout="vertical"
          initialValues={{ nameZh: node.nameZh, nameEn: node.nameEn, sortOrder: node.sortOrder, enabled: node.enabled }}
          onFinish={(values) =>
            update.mutateAsync({ id: node.id, ...values, nameZh: values.nameZh.trim(), nameEn: values.nameEn.trim() }).then(
              () => void message.success(t('common.saved')),
              () => undefined,
            )
          }
        >
          <div className="fm-form-grid">
            <Form.Item name="nameZh" label={t('admin.categories.nameZh')} rules={[{ required: true, whitespace: true, message: t('admin.categories.nameRequired') }]}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="nameEn" label={t('admin.categories.nameEn')} rules={[{ required: true, whitespace: true, message: t('admin.categories.nameRequired') }]}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="sortOrder" label={t('admin.categories.sortOrder')} tooltip={t('admin.categories.sortHint')}>
              <InputNumber<number> precision={0} min={-1_000_000} max={1_000_000} className="fm-full" />
            </Form.Item>
            <Form.Item name="enabled" label={t('admin.categories.enabled')} valuePropName="checked" tooltip={t('admin.categories.enabledHint')}>
              <Switch />
            </Form.Item>
          </div>
          <div className="fm-form-actions fm-form-actions-split">
            <Space wrap>
              {node.depth < MAX_DEPTH && (
                <Button icon={<PlusOutlined />} onClick={onAddChild}>
                  {t('admin.categories.addChild')}
                </Button>
              )}
              <Popconfirm
                title={t('admin.categories.deleteConfirm', { name: categoryName(node, language) })}
                okText={t('common.delete')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove.mutateAsync(node.id).then(
                    () => {
                      void message.success(t('admin.categories.deleted'));
                      onDeleted();
                    },
                    (error: unknown) => setDeleteError(error),
                  )
                }
              >
                <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            </Space>
            <Button type="primary" htmlType="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </div>
        </Form>
        {deleteError !== null && (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setDeleteError(null) }}
            className="fm-delete-error"
            role="alert"
            title={errorMessage(deleteError)}
            description={inUse && t('admin.categories.inUse', { children: inUse.children ?? 0, products: inUse.products ?? 0 })}
          />
        )}
      </Card>
      <AttributesCard node={node} />
    </>
  );
}

type AttrRow = AttributeDefinition & { rowId: number };
const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

function AttributesCard({ node }: { node: CategoryNode }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { update } = useCategoryMutations();
  const [rows, setRows] = useState<AttrRow[]>(() => node.attributes.map((a, i) => ({ ...a, rowId: i })));
  const [checked, setChecked] = useState(false);
  const [nextId, setNextId] = useState(node.attributes.length);

  if (!node.isLeaf) {
    return (
      <Card title={t('admin.categories.attributes')} className="fm-section">
        <p className="fm-muted">{t('admin.categories.attributesOnLeaves')}</p>
      </Card>
    );
  }

  const set = (rowId: number, change: Partial<AttributeDefinition>) => setRows(rows.map((r) => (r.rowId === rowId ? { ...r, ...change } : r)));
  const keyCounts = rows.reduce((m, r) => m.set(r.key, (m.get(r.key) ?? 0) + 1), new Map<string, number>());
  const bad = (r: AttrRow) => ({
    key: !KEY_PATTERN.test(r.key) || (keyCounts.get(r.key) ?? 0) > 1,
    nameZh: !r.nameZh.trim(),
    nameEn: !r.nameEn.trim(),
  });
  const invalid = rows.some((r) => Object.values(bad(r)).some(Boolean));
  const status = (wrong: boolean) => (checked && wrong ? ('error' as const) : undefined);

  const save = () => {
    setChecked(true);
    if (invalid) return;
    const attributes = rows.map(({ rowId: _rowId, ...a }) => ({
      key: a.key,
      nameZh: a.nameZh.trim(),
      nameEn: a.nameEn.trim(),
      kind: a.kind,
      required: a.kind === 'attr' ? a.required : false,
      ...(a.options && a.options.length > 0 ? { options: a.options } : {}),
    }));
    update.mutateAsync({ id: node.id, attributes }).then(
      () => void message.success(t('common.saved')),
      () => undefined,
    );
  };

  const columns: TableColumnsType<AttrRow> = [
    {
      key: 'key',
      title: t('admin.categories.attrKey'),
      width: 120,
      render: (_, r) => (
        <Input value={r.key} status={status(bad(r).key)} className="fm-mono" placeholder="color" aria-label={t('admin.categories.attrKey')} onChange={(e) => set(r.rowId, { key: e.target.value.trim() })} />
      ),
    },
    {
      key: 'nameZh',
      title: t('admin.categories.nameZh'),
      width: 100,
      render: (_, r) => <Input value={r.nameZh} status={status(bad(r).nameZh)} placeholder="颜色" maxLength={40} aria-label={t('admin.categories.nameZh')} onChange={(e) => set(r.rowId, { nameZh: e.target.value })} />,
    },
    {
      key: 'nameEn',
      title: t('admin.categories.nameEn'),
      width: 110,
      render: (_, r) => <Input value={r.nameEn} status={status(bad(r).nameEn)} placeholder="Colour" maxLength={60} aria-label={t('admin.categories.nameEn')} onChange={(e) => set(r.rowId, { nameEn: e.target.value })} />,
    },
    {
      key: 'kind',
      title: t('admin.categories.attrKind'),
      width: 100,
      render: (_, r) => (
        <Select
          value={r.kind}
          className="fm-full"
          aria-label={t('admin.categories.attrKind')}
          onChange={(kind: 'spec' | 'attr') => set(r.rowId, { kind })}
          options={[
            { value: 'spec', label: t('admin.categories.kinds.spec') },
            { value: 'attr', label: t('admin.categories.kinds.attr') },
          ]}
        />
      ),
    },
    {
      key: 'required',
      title: t('admin.categories.attrRequired'),
      width: 56,
      align: 'center',
      render: (_, r) => (
        <Checkbox checked={r.kind === 'attr' && r.required} disabled={r.kind !== 'attr'} aria-label={t('admin.categories.attrRequired')} onChange={(e) => set(r.rowId, { required: e.target.checked })} />
      ),
    },
    {
      key: 'options',
      title: t('admin.categories.attrOptions'),
      width: 180,
      render: (_, r) => (
        <Select
          mode="tags"
          className="fm-full"
          value={r.options ?? []}
          open={false}
          suffixIcon={null}
          tokenSeparators={[',', '，']}
          placeholder={t('admin.categories.optionsPlaceholder')}
          aria-label={t('admin.categories.attrOptions')}
          onChange={(options: string[]) => set(r.rowId, { options: options.map((o) => o.trim()).filter(Boolean) })}
        />
      ),
    },
    {
      key: 'remove',
      width: 48,
      render: (_, r) => (
        <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => setRows(rows.filter((x) => x.rowId !== r.rowId))} />
      ),
    },
  ];

  return (
    <Card
      title={t('admin.categories.attributes')}
      className="fm-section"
      extra={
        <Button type="primary" size="small" icon={<SaveOutlined />} loading={update.isPending} onClick={save}>
          {t('admin.categories.saveAttributes')}
        </Button>
      }
    >
      <p className="fm-muted fm-hint">{t('admin.categories.attributesHint')}</p>
      <FormErrorAlert error={update.error} />
      {checked && invalid && <Alert type="error" showIcon className="fm-form-alert" title={t('admin.categories.attrInvalid')} />}
      <Table<AttrRow>
        rowKey="rowId"
        size="small"
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('admin.categories.noAttributes') }}
      />
      <Button
        type="dashed"
        block
        icon={<PlusOutlined />}
        className="fm-add-row"
        onClick={() => {
          setRows([...rows, { rowId: nextId, key: '', nameZh: '', nameEn: '', kind: 'spec', required: false }]);
          setNextId(nextId + 1);
        }}
      >
        {t('admin.categories.addAttribute')}
      </Button>
    </Card>
  );
}

function AddCategoryModal({
  parent,
  open,
  siblings,
  onClose,
  onCreated,
}: {
  parent: CategoryNode | null;
  open: boolean;
  siblings: CategoryNode[];
  onClose: () => void;
  onCreated: (id: string, parentId: string | null) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CategoryFields>();
  const create = useMutation({
    mutationFn: (body: CategoryFields & { parentId: string | null }) => api.post<{ category: CategoryNode }>('/api/v1/admin/categories', body),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: treeKey });
      void queryClient.invalidateQueries({ queryKey: ['categories'] });
    },
  });
  const nextSort = (siblings.reduce((max, s) => Math.max(max, s.sortOrder), 0) / 10 + 1) * 10;
  return (
    <Modal
      open={open}
      title={parent ? t('admin.categories.addChildTo', { name: categoryName(parent, language) }) : t('admin.categories.addRoot')}
      okText={t('admin.categories.create')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      afterClose={() => {
        form.resetFields();
        create.reset();
      }}
      destroyOnHidden
    >
      <FormErrorAlert error={create.error} />
      <Form<CategoryFields>
        form={form}
        name="category-add"
        layout="vertical"
        initialValues={{ sortOrder: Math.ceil(nextSort), enabled: true }}
        onFinish={(values) =>
          create
            .mutateAsync({ parentId: parent?.id ?? null, ...values, nameZh: values.nameZh.trim(), nameEn: values.nameEn.trim() })
            .then(({ category }) => {
              void message.success(t('admin.categories.created'));
              onCreated(category.id, parent?.id ?? null);
            }, () => undefined)
        }
      >
        <Form.Item name="nameZh" label={t('admin.categories.nameZh')} rules={[{ required: true, whitespace: true, message: t('admin.categories.nameRequired') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="nameEn" label={t('admin.categories.nameEn')} rules={[{ required: true, whitespace: true, message: t('admin.categories.nameRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <div className="fm-form-grid">
          <Form.Item name="sortOrder" label={t('admin.categories.sortOrder')}>
            <InputNumber<number> precision={0} className="fm-full" />
          </Form.Item>
          <Form.Item name="enabled" label={t('admin.categories.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
