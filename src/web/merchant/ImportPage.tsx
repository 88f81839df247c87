import { DownloadOutlined, InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Collapse, Progress, Segmented, Space, Statistic, Table, Tag, Upload, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { categoryName, flattenTree, MAX_BULK_ITEMS, useCategoryTree, type BulkResult, type CategoryNode } from '../shared/catalog';
import { useErrorMessage } from '../shared/errors';
import { useLanguage } from '../shared/i18n';
import { useIssueText } from '../shared/issues';
import { PageHead } from '../shared/PageHead';
import { useTitle } from '../shared/useTitle';
import {
  buildImport,
  categoryResolver,
  chunks,
  CSV_COLUMNS,
  linesOfIssue,
  parseCsv,
  templateCsv,
  toCsv,
  type ParsedImport,
  type RowError,
} from './csvImport';

type Outcome = 'created' | 'updated' | 'unchanged' | 'failed' | 'skipped';
interface ReportRow {
  line: number;
  productCode: string;
  skuCode: string;
  outcome: Outcome;
  messages: string[];
}

const OUTCOME_COLORS: Record<Outcome, string> = {
  created: 'success',
  updated: 'processing',
  unchanged: 'default',
  failed: 'error',
  skipped: 'warning',
};

/** Excel in China often saves CSV as GBK: read UTF-8 when the bytes are UTF-8, else GB18030. */
async function readText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A leaf with spec dimensions, to make the template fit this platform's categories. */
function exampleLeaf(tree: CategoryNode[]) {
  const leaves = flattenTree(tree).filter((e) => e.node.isLeaf);
  return leaves.find((e) => e.node.attributes.some((a) => a.kind === 'spec')) ?? leaves[0];
}

/** 批量导入: products from a CSV file through the bulk upsert, 500 products a call, answered row by row. */
export function ImportPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const { message } = App.useApp();
  const errorMessage = useErrorMessage();
  const issueText = useIssueText();
  const tree = useCategoryTree();
  const [file, setFile] = useState<{ name: string; parsed: ParsedImport; table: string[][] } | null>(null);
  const [submit, setSubmit] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<ReportRow[] | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  useTitle(t('merchant.import.title'));

  const rowError = (e: RowError) =>
    t(`merchant.import.rowErrors.${e.code as 'required'}`, { column: e.column ?? '', detail: e.detail ?? '' });

  const downloadTemplate = () => {
    const leaf = exampleLeaf(tree.data ?? []);
    const specs = (leaf?.node.attributes ?? [])
      .filter((a) => a.kind === 'spec')
      .slice(0, 2)
      .map((a, i) => ({ key: a.key, values: a.options?.slice(0, 2) ?? (i === 0 ? ['白色', '黑色'] : ['M', 'L']) }));
    const attributes = (leaf?.node.attributes ?? [])
      .filter((a) => a.kind === 'attr')
      .map((a) => `${a.key}=${a.options?.[0] ?? a.nameZh}`)
      .join(';');
    const category = leaf ? leaf.path.map((n) => n.nameZh).join(' / ') : '服装 / 上衣 / T恤';
    download('flowmart-products-template.csv', templateCsv({ category, specs, attributes }));
  };

  const load = async (picked: File) => {
    setReport(null);
    const table = parseCsv(await readText(picked));
    const parsed = buildImport(table, categoryResolver(tree.data ?? []));
    setFile({ name: picked.name, parsed, table });
  };

  const run = async () => {
    if (!file) return;
    const { parsed, table } = file;
    const header = table[0] ?? [];
    const col = (name: string) => header.findIndex((h) => h.trim().toLowerCase() === name);
    const rows = new Map<number, ReportRow>();
    for (let line = 2; line <= table.length; line++) {
      const cells = table[line - 1] ?? [];
      const errors = parsed.errors.get(line);
      rows.set(line, {
        line,
        productCode: cells[col('product_code')]?.trim() ?? '',
        skuCode: cells[col('sku_code')]?.trim() ?? '',
        outcome: errors ? (errors.every((e) => e.code === 'held') ? 'skipped' : 'failed') : 'skipped',
        messages: errors?.map(rowError) ?? [],
      });
    }
    const batches = chunks(parsed.products, MAX_BULK_ITEMS);
    setProgress({ done: 0, total: parsed.products.length });
    try {
      for (const batch of batches) {
        const result = await api.put<BulkResult>(
          '/api/v1/merchant/products/bulk',
          { products: batch.map((p) => p.payload) },
          { submit: submit ? 'true' : 'false' },
        );
        for (const item of result.items) {
          const product = batch[item.index]!;
          for (const line of product.lines) {
            const row = rows.get(line)!;
            row.outcome = item.result;
            row.messages = [];
          }
          for (const issue of item.errors) {
            for (const line of linesOfIssue(product, issue)) rows.get(line)!.messages.push(issueText(issue));
          }
          if (item.submitted) for (const line of product.lines) rows.get(line)!.messages.push(t('merchant.import.submitted'));
        }
        setProgress((p) => p && { ...p, done: p.done + batch.length });
      }
    } catch (error) {
      void message.error(errorMessage(error));
    }
    setReport([...rows.values()]);
    setProgress(null);
  };

  const counts = (report ?? []).reduce<Record<Outcome, number>>(
    (acc, r) => ({ ...acc, [r.outcome]: acc[r.outcome] + 1 }),
    { created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
  );
  const shown = (report ?? []).filter((r) => !onlyProblems || r.outcome === 'failed' || r.outcome === 'skipped');
  const columns: TableColumnsType<ReportRow> = [
    { key: 'line', title: t('merchant.import.line'), dataIndex: 'line', width: 70 },
    {
      key: 'codes',
      title: t('merchant.import.codes'),
      width: 200,
      render: (_, r) => (
        <div className="fm-cell-stack fm-mono">
          <span>{r.productCode || '-'}</span>
          <span className="fm-muted">{r.skuCode || '-'}</span>
        </div>
      ),
    },
    {
      key: 'outcome',
      title: t('merchant.import.outcome'),
      dataIndex: 'outcome',
      width: 100,
      render: (o: Outcome) => <Tag color={OUTCOME_COLORS[o]}>{t(`merchant.import.outcomes.${o}`)}</Tag>,
    },
    {
      key: 'messages',
      title: t('merchant.import.messages'),
      render: (_, r) =>
        r.messages.length > 0 ? (
          <ul className="fm-issue-list">
            {r.messages.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        ) : (
          <span className="fm-muted">-</span>
        ),
    },
  ];

  const parsed = file?.parsed;
  const leaves = flattenTree(tree.data ?? []).filter((e) => e.node.isLeaf);

  return (
    <>
      <PageHead title={t('merchant.import.title')} note={t('merchant.import.note')} />
      <Card title={t('merchant.import.step1')} className="fm-section">
        <p>{t('merchant.import.templateText')}</p>
        <Space wrap>
          <Button icon={<DownloadOutlined />} onClick={downloadTemplate} data-testid="download-template">
            {t('merchant.import.template')}
          </Button>
        </Space>
        <Collapse
          ghost
          className="fm-import-help"
          items={[
            {
              key: 'columns',
              label: t('merchant.import.columnsTitle'),
              children: (
                <Table
                  size="small"
                  rowKey="name"
                  pagination={false}
                  scroll={{ x: 520 }}
                  dataSource={CSV_COLUMNS.map((name) => ({ name }))}
                  columns={[
                    { key: 'name', title: t('merchant.import.column'), dataIndex: 'name', width: 130, render: (n: string) => <code>{n}</code> },
                    { key: 'text', title: t('merchant.import.meaning'), render: (_, c) => t(`merchant.import.columns.${c.name}`) },
                  ]}
                />
              ),
            },
            {
              key: 'categories',
              label: t('merchant.import.categoriesTitle', { count: leaves.length }),
              children: (
                <ul className="fm-category-ref">
                  {leaves.map(({ node, path }) => (
                    <li key={node.id}>
                      <span>{path.map((n) => categoryName(n, language)).join(' / ')}</span>
                      <code>{node.id}</code>
                      {node.attributes.length > 0 && (
                        <span className="fm-muted">{node.attributes.map((a) => `${a.key}${a.kind === 'spec' ? '*' : ''}`).join(', ')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      </Card>

      <Card title={t('merchant.import.step2')} className="fm-section">
        <Upload.Dragger
          accept=".csv,text/csv"
          showUploadList={false}
          beforeUpload={(picked) => {
            void load(picked);
            return false;
          }}
          data-testid="csv-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{file ? file.name : t('merchant.import.drop')}</p>
          <p className="ant-upload-hint">{t('merchant.import.dropHint')}</p>
        </Upload.Dragger>
        {parsed && parsed.missingColumns.length > 0 && (
          <Alert
            type="error"
            showIcon
            className="fm-import-alert"
            title={t('merchant.import.badHeader', { columns: parsed.missingColumns.join(', ') })}
          />
        )}
        {parsed && parsed.missingColumns.length === 0 && (
          <div className="fm-import-summary">
            <Statistic title={t('merchant.import.rows')} value={parsed.rowCount} />
            <Statistic title={t('merchant.import.products')} value={parsed.products.length} />
            <Statistic title={t('merchant.import.rowsWithErrors')} value={parsed.errors.size} styles={{ content: parsed.errors.size ? { color: '#cf1322' } : undefined }} />
          </div>
        )}
        <div className="fm-import-actions">
          <Checkbox checked={submit} onChange={(e) => setSubmit(e.target.checked)}>
            {t('merchant.import.submitAfter')}
          </Checkbox>
          <Button
            type="primary"
            icon={<UploadOutlined />}
            disabled={!parsed || parsed.missingColumns.length > 0 || (parsed.products.length === 0 && parsed.errors.size === 0)}
            loading={progress !== null}
            onClick={() => void run()}
          >
            {t('merchant.import.start')}
          </Button>
        </div>
        {progress && <Progress percent={progress.total ? Math.round((progress.done / progress.total) * 100) : 100} />}
      </Card>

      {report && (
        <Card
          title={t('merchant.import.report')}
          className="fm-section"
          classNames={{ body: 'fm-table-card-body' }}
          extra={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              onClick={() =>
                download(
                  'flowmart-import-report.csv',
                  toCsv([
                    ['line', 'product_code', 'sku_code', 'result', 'messages'],
                    ...report.map((r) => [String(r.line), r.productCode, r.skuCode, r.outcome, r.messages.join(' | ')]),
                  ]),
                )
              }
            >
              {t('merchant.import.downloadReport')}
            </Button>
          }
        >
          <div className="fm-import-counts" data-testid="import-summary">
            {(Object.keys(counts) as Outcome[]).map((o) => (
              <Tag key={o} color={OUTCOME_COLORS[o]}>
                {t(`merchant.import.outcomes.${o}`)} {counts[o]}
              </Tag>
            ))}
            <Segmented
              size="small"
              value={onlyProblems ? 'problems' : 'all'}
              onChange={(v) => setOnlyProblems(v === 'problems')}
              options={[
                { value: 'all', label: t('merchant.import.showAll') },
                { value: 'problems', label: t('merchant.import.showProblems') },
              ]}
            />
          </div>
          <Table<ReportRow>
            rowKey="line"
            size="small"
            columns={columns}
            dataSource={shown}
            pagination={shown.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 640 }}
          />
        </Card>
      )}
    </>
  );
}
