import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Cascader, DatePicker, Form, Image, Input, Modal, Tag, Upload, type TableColumnsType, type UploadFile } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../shared/api';
import { categoryName, categoryPath, IMAGE_TYPES, MAX_IMAGE_BYTES, useCategoryTree, type CategoryNode, type ImageRef } from '../../shared/catalog';
import { formatDateTime } from '../../shared/format';
import { useLanguage, type Language } from '../../shared/i18n';
import { useStore } from '../../shared/merchants';
import { PagedTable } from '../../shared/PagedTable';
import { PageHead } from '../../shared/PageHead';
import { QUALIFICATION_STATE_COLORS, type StoreQualification } from '../../shared/review';
import { useTitle } from '../../shared/useTitle';
import { reviewKeys, useQualifications, useReviewErrorMessage } from './reviewApi';
import './review.css';

const MAX_SCANS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;
/** An approved qualification this close to its expiry is flagged. */
const EXPIRY_WARNING_DAYS = 30;

type ShownState = StoreQualification['state'] | 'expired';
const shownState = (q: StoreQualification): ShownState => (q.state === 'approved' && !q.valid ? 'expired' : q.state);
const STATE_COLORS: Record<ShownState, string> = { ...QUALIFICATION_STATE_COLORS, expired: 'warning' };

interface Values {
  category: string[];
  name: string;
  number: string;
  /** antd's date value (a dayjs object); only its instant is read. */
  expiresAt: { toDate(): Date };
}

interface CategoryOption {
  value: string;
  label: string;
  children?: CategoryOption[];
}
const categoryOptions = (nodes: CategoryNode[], language: Language): CategoryOption[] =>
  nodes.map((node) => ({
    value: node.id,
    label: categoryName(node, language),
    ...(node.children.length > 0 ? { children: categoryOptions(node.children, language) } : {}),
  }));

/** 资质: the store's licences for regulated categories, their state and why; upload a new one. */
export function QualificationsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const tree = useCategoryTree();
  const { data: store } = useStore();
  const list = useQualifications();
  const [uploading, setUploading] = useState(false);
  useTitle(t('reviewMerchant.qualifications.title'));

  const formatDate = (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(iso));
  const categoryLabel = (id: string) => {
    const path = tree.data ? categoryPath(tree.data, id) : [];
    return path.length > 0 ? path.map((n) => categoryName(n, language)).join(' / ') : id;
  };

  const columns: TableColumnsType<StoreQualification> = [
    {
      key: 'name',
      title: t('reviewMerchant.qualifications.name'),
      render: (_, q) => (
        <div className="fm-qualification-name">
          <strong>{q.name}</strong>
          <span className="fm-muted fm-mono">{q.number}</span>
          <Image.PreviewGroup>
            <span className="fm-qualification-scans" aria-label={t('reviewMerchant.qualifications.scanCount', { count: q.images.length })}>
              {q.images.map((image) => (
                <Image key={image.id} src={image.thumbUrl} preview={{ src: image.url }} width={40} height={40} alt="" />
              ))}
            </span>
          </Image.PreviewGroup>
          <span className="fm-muted fm-mobile-only">{categoryLabel(q.categoryId)}</span>
          <span className="fm-muted fm-mobile-only">
            {t('reviewMerchant.qualifications.expiresAt')} {formatDate(q.expiresAt)}
          </span>
        </div>
      ),
    },
    { key: 'category', title: t('reviewMerchant.qualifications.category'), responsive: ['md'], render: (_, q) => categoryLabel(q.categoryId) },
    {
      key: 'expiresAt',
      title: t('reviewMerchant.qualifications.expiresAt'),
      dataIndex: 'expiresAt',
      width: 150,
      responsive: ['md'],
      render: (iso: string, q) => {
        const days = Math.ceil((new Date(iso).getTime() - Date.now()) / DAY_MS);
        return (
          <div className="fm-cell-stack">
            <time dateTime={iso}>{formatDate(iso)}</time>
            {q.valid && days <= EXPIRY_WARNING_DAYS && <Tag color="warning">{t('reviewMerchant.qualifications.expiresIn', { days })}</Tag>}
          </div>
        );
      },
    },
    {
      key: 'state',
      title: t('reviewMerchant.qualifications.state'),
      width: 200,
      render: (_, q) => {
        const state = shownState(q);
        return (
          <div className="fm-qualification-state" data-testid="qualification-state">
            <Tag color={STATE_COLORS[state]}>{t(`reviewMerchant.qualifications.states.${state}`)}</Tag>
            {q.reason && <span className="fm-qualification-reason">{t('reviewMerchant.qualifications.reason', { reason: q.reason })}</span>}
          </div>
        );
      },
    },
    {
      key: 'createdAt',
      title: t('reviewMerchant.qualifications.createdAt'),
      dataIndex: 'createdAt',
      width: 180,
      responsive: ['lg'],
      render: (iso: string) => <time dateTime={iso}>{formatDateTime(iso, language)}</time>,
    },
  ];

  return (
    <>
      <PageHead
        title={t('reviewMerchant.qualifications.title')}
        note={t('reviewMerchant.qualifications.note')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setUploading(true)} disabled={store !== undefined && store.state !== 'active'}>
            {t('reviewMerchant.qualifications.upload')}
          </Button>
        }
      />
      <Card classNames={{ body: 'fm-table-card-body' }}>
        <PagedTable<StoreQualification> query={list} rowKey="id" columns={columns} empty={t('reviewMerchant.qualifications.empty')} />
      </Card>
      <UploadModal open={uploading} tree={tree.data ?? []} onClose={() => setUploading(false)} />
    </>
  );
}

function UploadModal({ open, tree, onClose }: { open: boolean; tree: CategoryNode[]; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useReviewErrorMessage();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile<ImageRef>[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) => api.post<{ qualification: StoreQualification }>('/api/v1/merchant/qualifications', body),
  });

  const close = () => {
    form.resetFields();
    setFiles([]);
    setProblem(null);
    onClose();
  };

  const onFinish = async (values: Values) => {
    const imageIds = files.flatMap((f) => (f.status === 'done' && f.response ? [f.response.id] : []));
    if (imageIds.length === 0) return setProblem(t('reviewMerchant.qualifications.scansRequired'));
    setProblem(null);
    const expires = values.expiresAt.toDate();
    // The licence runs to the end of its last day, in the merchant's time zone.
    expires.setHours(23, 59, 59, 0);
    try {
      await submit.mutateAsync({
        categoryId: values.category.at(-1),
        name: values.name.trim(),
        number: values.number.trim(),
        imageIds,
        expiresAt: expires.toISOString(),
      });
      void queryClient.invalidateQueries({ queryKey: reviewKeys.qualifications });
      void message.success(t('reviewMerchant.qualifications.submitted'));
      close();
    } catch (error) {
      const issues = error instanceof ApiError ? ((error.details as { issues?: { path: string; code: string }[] } | undefined)?.issues ?? []) : [];
      const known = (code: string): code is 'already_expired' | 'category_not_found' | 'unknown_image' =>
        ['already_expired', 'category_not_found', 'unknown_image'].includes(code);
      const field = (path: string) => (path === 'expiresAt' ? 'expiresAt' : path === 'categoryId' ? 'category' : null);
      form.setFields(
        issues.flatMap((issue) => {
          const name = field(issue.path);
          return name && known(issue.code) ? [{ name, errors: [t(`reviewMerchant.qualifications.issues.${issue.code}`)] }] : [];
        }),
      );
      const scans = issues.some((issue) => issue.code === 'unknown_image');
      setProblem(scans ? t('reviewMerchant.qualifications.issues.unknown_image') : errorMessage(error));
    }
  };

  return (
    <Modal
      open={open}
      title={t('reviewMerchant.qualifications.uploadTitle')}
      okText={t('reviewMerchant.qualifications.submit')}
      okButtonProps={{ loading: submit.isPending, htmlType: 'submit', form: 'qualification-form' }}
      onCancel={close}
      destroyOnHidden
    >
      <Form<Values> id="qualification-form" form={form} layout="vertical" onFinish={(values) => void onFinish(values)} preserve={false}>
        <Form.Item
          name="category"
          label={t('reviewMerchant.qualifications.category')}
          extra={t('reviewMerchant.qualifications.categoryHint')}
          rules={[{ required: true, message: t('reviewMerchant.qualifications.categoryRequired') }]}
        >
          <Cascader options={categoryOptions(tree, language)} changeOnSelect showSearch />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('reviewMerchant.qualifications.name')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('reviewMerchant.qualifications.nameRequired') }]}
        >
          <Input maxLength={60} placeholder={t('reviewMerchant.qualifications.namePlaceholder')} />
        </Form.Item>
        <Form.Item
          name="number"
          label={t('reviewMerchant.qualifications.number')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('reviewMerchant.qualifications.numberRequired') }]}
        >
          <Input maxLength={60} className="fm-mono" />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('reviewMerchant.qualifications.expiresAt')} rules={[{ required: true, message: t('reviewMerchant.qualifications.expiresRequired') }]}>
          <DatePicker className="fm-review-date" disabledDate={(day: { valueOf(): number }) => day.valueOf() < Date.now() - DAY_MS} />
        </Form.Item>
        <Form.Item label={t('reviewMerchant.qualifications.scans')} extra={t('reviewMerchant.qualifications.scansHint')} required validateStatus={problem ? 'error' : undefined} help={problem ?? undefined}>
          <Upload<ImageRef>
            listType="picture-card"
            accept={IMAGE_TYPES.join(',')}
            multiple
            maxCount={MAX_SCANS}
            fileList={files}
            onChange={({ fileList }) => {
              setFiles(fileList);
              setProblem(null);
            }}
            beforeUpload={(file) => file.size <= MAX_IMAGE_BYTES || Upload.LIST_IGNORE}
            customRequest={({ file, onSuccess, onError }) => {
              const blob = file as File;
              api.upload<{ image: ImageRef }>('/api/v1/merchant/images', blob, blob.name).then(
                ({ image }) => onSuccess?.(image),
                (error: unknown) => {
                  void message.error(t('reviewMerchant.qualifications.uploadFailed', { name: blob.name, reason: errorMessage(error) }));
                  onError?.(error as Error);
                },
              );
            }}
            data-testid="qualification-scans"
          >
            {files.length < MAX_SCANS && (
              <div>
                <UploadOutlined />
                <div>{t('reviewMerchant.qualifications.scansUpload')}</div>
              </div>
            )}
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
