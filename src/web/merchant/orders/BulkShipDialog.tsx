import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Modal, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api';
import { type BulkShipResult, useTrackingErrorMessage } from '../../shared/tracking';

type BulkAnswer = { results: BulkShipResult[]; shipped: number; failed: number };

/** Excel in China often saves CSV as GBK: read UTF-8 when the bytes are UTF-8, else GB18030. */
async function readText(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const TEMPLATE = '\uFEFF订单号,快递公司,运单号\r\nord_01JZ8Q3W5X6Y7Z8A9B0C1D2E3F,顺丰速运,SF1234567890123\r\n';

/** 批量发货: a CSV of (order, carrier, number); each order ships whole; the answer per row. */
export function BulkShipButton() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const errorMessage = useTrackingErrorMessage();
  const [open, setOpen] = useState(false);
  const [answer, setAnswer] = useState<BulkAnswer | null>(null);

  const send = useMutation({
    mutationFn: async (file: File) => {
      // The server reads the CSV itself (the same endpoint serves the Open API).
      const res = await fetch('/api/v1/merchant/shipments/bulk', { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8', accept: 'application/json' }, body: await readText(file), credentials: 'same-origin' });
      const data: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
        throw new ApiError({ status: res.status, code: error?.code ?? 'generic', message: error?.message ?? res.statusText, details: error?.details });
      }
      return data as BulkAnswer;
    },
    onSuccess: (data) => {
      setAnswer(data);
      void queryClient.invalidateQueries({ queryKey: ['merchant', 'orders'] });
    },
    onError: (error) => void message.error(errorMessage(error)),
  });

  const template = () => {
    const url = URL.createObjectURL(new Blob([TEMPLATE], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'bulk-shipping.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)} data-testid="bulk-ship">
        {t('tracking.bulk.button')}
      </Button>
      <Modal
        open={open}
        title={t('tracking.bulk.title')}
        footer={null}
        width={720}
        destroyOnHidden
        onCancel={() => {
          setOpen(false);
          setAnswer(null);
        }}
      >
        <p className="fm-muted">{t('tracking.bulk.help')}</p>
        <div className="fm-bulk-actions">
          <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(file) => {
              send.mutate(file);
              return false;
            }}>
            <Button type="primary" icon={<UploadOutlined />} loading={send.isPending}>
              {t('tracking.bulk.choose')}
            </Button>
          </Upload>
          <Button type="link" icon={<DownloadOutlined />} onClick={template}>
            {t('tracking.bulk.template')}
          </Button>
        </div>
        {answer && (
          <>
            <Alert
              className="fm-bulk-summary"
              type={answer.failed > 0 ? 'warning' : 'success'}
              title={[t('tracking.bulk.shipped', { count: answer.shipped }), answer.failed > 0 ? t('tracking.bulk.failed', { count: answer.failed }) : ''].filter(Boolean).join(' · ')}
            />
            <Table<BulkShipResult & { key: number }>
              size="small"
              pagination={false}
              dataSource={answer.results.map((r, key) => ({ ...r, key }))}
              columns={[
                { key: 'order', title: t('tracking.bulk.row'), render: (_, r) => <span className="fm-mono">{r.orderId}</span> },
                { key: 'number', title: t('tracking.ship.number'), render: (_, r) => <span className="fm-mono">{r.trackingNumber}</span> },
                {
                  key: 'result',
                  title: t('tracking.bulk.result'),
                  render: (_, r) =>
                    r.ok ? <Tag color="success">{t('tracking.bulk.ok')}</Tag> : <span className="fm-warn-text">{r.error ? errorMessage(new ApiError({ status: 422, code: r.error.code, message: r.error.message })) : ''}</span>,
                },
              ]}
            />
          </>
        )}
      </Modal>
    </>
  );
}
