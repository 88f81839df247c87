import { useTranslation } from 'react-i18next';

const FRAME_STYLE = `<style>
  body { margin: 12px; font: 14px/1.7 -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; color: rgba(0,0,0,.88); }
  img { max-width: 100%; height: auto; }
  table { border-collapse: collapse; } td, th { border: 1px solid #eee; padding: 4px 8px; }
</style>`;

/**
 * A product description as the shopper will see it. Merchant HTML renders in a sandboxed frame
 * with no scripts and no access to this page, so even unsanitized input cannot act here.
 */
export function HtmlPreview({ html, height = 320 }: { html: string; height?: number }) {
  const { t } = useTranslation();
  if (!html.trim()) return <div className="fm-html-empty fm-muted">{t('merchant.editor.noDescription')}</div>;
  return (
    <iframe
      className="fm-html-preview"
      title={t('merchant.editor.preview')}
      sandbox=""
      srcDoc={`<!doctype html><meta charset="utf-8">${FRAME_STYLE}${html}`}
      style={{ height }}
    />
  );
}
