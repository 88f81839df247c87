import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Select, Table, Tooltip, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { attributeName, MAX_SPEC_DIMENSIONS, type AttributeDefinition } from '../shared/catalog';
import { useLanguage } from '../shared/i18n';
import { combinations, comboKey, emptyRow, type RowProblem, type SkuRow, type SpecDimension, type SpecValues } from './skuMatrix';

interface Props {
  /** The category's spec dimensions (`kind: 'spec'`). */
  defs: AttributeDefinition[];
  dims: SpecDimension[];
  onDimsChange: (dims: SpecDimension[]) => void;
  rows: Record<string, SkuRow>;
  onRowsChange: (rows: Record<string, SkuRow>) => void;
  problems: Map<string, Set<RowProblem>> | null;
  /** Base of generated SKU codes (the product code, when given). */
  codeBase: string;
  disabled?: boolean;
}

/** Up to 3 spec dimensions (颜色 × 尺码 …) and the SKU matrix they generate. */
export function SpecEditor({ defs, dims, onDimsChange, rows, onRowsChange, problems, codeBase, disabled }: Props) {
  const { t } = useTranslation();
  const language = useLanguage();
  const defOf = (key: string) => defs.find((d) => d.key === key);
  const unused = defs.filter((d) => !dims.some((dim) => dim.key === d.key));
  const combos = combinations(dims);
  const activeDims = dims.filter((d) => d.values.length > 0);

  const setDim = (index: number, dim: SpecDimension) => onDimsChange(dims.map((d, i) => (i === index ? dim : d)));
  const setRow = (key: string, change: Partial<SkuRow>) => onRowsChange({ ...rows, [key]: { ...(rows[key] ?? emptyRow()), ...change } });

  const fillCodes = () => {
    const base = (codeBase.trim() || `P${Date.now().toString(36).toUpperCase()}`).replace(/\s+/g, '-').slice(0, 56);
    const next = { ...rows };
    const used = new Set(Object.values(rows).map((r) => r.code.trim()).filter(Boolean));
    let n = 1;
    for (const combo of combos) {
      const key = comboKey(combo);
      const row = next[key] ?? emptyRow();
      if (row.code.trim()) continue;
      let code: string;
      do code = `${base}-${String(n++).padStart(2, '0')}`;
      while (used.has(code));
      used.add(code);
      next[key] = { ...row, code };
    }
    onRowsChange(next);
  };

  const has = (key: string, problem: RowProblem) => problems?.get(key)?.has(problem) ?? false;
  const status = (key: string, ...kinds: RowProblem[]) => (kinds.some((k) => has(key, k)) ? ('error' as const) : undefined);

  /** A price cell in 元, kept as text so no float rounding creeps in (see shared/money.ts). */
  const yuanCell = (combo: SpecValues, field: 'price' | 'listPrice', label: string) => {
    const key = comboKey(combo);
    return (
      <InputNumber<string>
        stringMode
        min="0.01"
        step="0.01"
        precision={2}
        prefix="¥"
        className="fm-cell-input"
        aria-label={label}
        status={status(key, field)}
        value={rows[key]?.[field] ?? null}
        onChange={(value) => setRow(key, { [field]: value })}
      />
    );
  };
  const columns: TableColumnsType<SpecValues> = [
    // Spec values stay in view while a narrow screen scrolls the inputs sideways.
    ...activeDims.map((dim) => ({
      key: `spec-${dim.key}`,
      title: attributeName(defOf(dim.key) ?? { nameZh: dim.key, nameEn: dim.key }, language),
      width: 76,
      fixed: 'left' as const,
      render: (_: unknown, combo: SpecValues) => combo[dim.key],
    })),
    {
      key: 'price',
      title: <span className="fm-required">{t('merchant.editor.price')}</span>,
      width: 130,
      render: (_, combo) => yuanCell(combo, 'price', t('merchant.editor.price')),
    },
    {
      key: 'listPrice',
      title: (
        <Tooltip title={t('merchant.editor.listPriceHint')}>
          <span className="fm-help">{t('merchant.editor.listPrice')}</span>
        </Tooltip>
      ),
      width: 130,
      render: (_, combo) => yuanCell(combo, 'listPrice', t('merchant.editor.listPrice')),
    },
    {
      key: 'onHand',
      title: t('merchant.editor.stock'),
      width: 110,
      render: (_, combo) => {
        const key = comboKey(combo);
        return (
          <InputNumber<number>
            min={0}
            precision={0}
            className="fm-cell-input"
            aria-label={t('merchant.editor.stock')}
            status={status(key, 'onHand')}
            value={rows[key]?.onHand ?? null}
            onChange={(value) => setRow(key, { onHand: value })}
          />
        );
      },
    },
    {
      key: 'code',
      title: <span className="fm-required">{t('merchant.editor.skuCode')}</span>,
      width: 170,
      render: (_, combo) => {
        const key = comboKey(combo);
        return (
          <Input
            maxLength={64}
            className="fm-cell-input fm-mono"
            aria-label={t('merchant.editor.skuCode')}
            status={status(key, 'code', 'codeDuplicate')}
            value={rows[key]?.code ?? ''}
            onChange={(event) => setRow(key, { code: event.target.value })}
          />
        );
      },
    },
    {
      key: 'weight',
      title: <span className="fm-required">{t('merchant.editor.weight')}</span>,
      width: 110,
      render: (_, combo) => {
        const key = comboKey(combo);
        return (
          <InputNumber<number>
            min={0}
            precision={0}
            className="fm-cell-input"
            aria-label={t('merchant.editor.weight')}
            status={status(key, 'weightGrams')}
            value={rows[key]?.weightGrams ?? null}
            onChange={(value) => setRow(key, { weightGrams: value })}
          />
        );
      },
    },
  ];

  return (
    <div className="fm-spec-editor">
      {defs.length === 0 ? (
        <p className="fm-muted">{t('merchant.editor.noSpecs')}</p>
      ) : (
        <>
          {dims.map((dim, index) => {
            const def = defOf(dim.key);
            const choices = [def, ...unused].filter((d): d is AttributeDefinition => d !== undefined);
            return (
              <div className="fm-spec-dim" key={dim.key} data-testid={`spec-dim-${index}`}>
                <Select
                  className="fm-spec-key"
                  value={dim.key}
                  disabled={disabled}
                  aria-label={t('merchant.editor.specName')}
                  options={choices.map((d) => ({ value: d.key, label: attributeName(d, language) }))}
                  onChange={(key: string) => setDim(index, { key, values: [] })}
                />
                <Select
                  mode={def?.options ? 'multiple' : 'tags'}
                  className="fm-spec-values"
                  value={dim.values}
                  disabled={disabled}
                  tokenSeparators={[',', '，']}
                  open={def?.options ? undefined : false}
                  suffixIcon={null}
                  aria-label={t('merchant.editor.specValues')}
                  placeholder={def?.options ? t('merchant.editor.specPick') : t('merchant.editor.specType')}
                  options={def?.options?.map((o) => ({ value: o, label: o }))}
                  onChange={(values: string[]) =>
                    setDim(index, { key: dim.key, values: [...new Set(values.map((v) => v.trim()).filter(Boolean))].slice(0, 50) })
                  }
                />
                <Button
                  type="text"
                  icon={<DeleteOutlined />}
                  disabled={disabled}
                  aria-label={t('merchant.editor.removeSpec')}
                  onClick={() => onDimsChange(dims.filter((_, i) => i !== index))}
                />
              </div>
            );
          })}
          {dims.length < MAX_SPEC_DIMENSIONS && unused.length > 0 && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              disabled={disabled}
              onClick={() => onDimsChange([...dims, { key: unused[0]!.key, values: [] }])}
            >
              {t('merchant.editor.addSpec', { count: MAX_SPEC_DIMENSIONS - dims.length })}
            </Button>
          )}
        </>
      )}
      <BatchFill
        disabled={disabled}
        onFill={(change) => {
          const next = { ...rows };
          for (const combo of combos) next[comboKey(combo)] = { ...(next[comboKey(combo)] ?? emptyRow()), ...change };
          onRowsChange(next);
        }}
        onCodes={fillCodes}
        count={combos.length}
      />
      <Table<SpecValues>
        className="fm-sku-table"
        rowKey={comboKey}
        size="small"
        columns={columns}
        dataSource={combos}
        pagination={false}
        scroll={{ x: 680 + activeDims.length * 76 }}
      />
    </div>
  );
}

/** Fills price, list price, stock or weight into every row at once. */
function BatchFill({
  onFill,
  onCodes,
  count,
  disabled,
}: {
  onFill: (change: Partial<SkuRow>) => void;
  onCodes: () => void;
  count: number;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [price, setPrice] = useState<string | null>(null);
  const [listPrice, setListPrice] = useState<string | null>(null);
  const [onHand, setOnHand] = useState<number | null>(null);
  const [weight, setWeight] = useState<number | null>(null);
  const codes = (
    <Button icon={<ThunderboltOutlined />} disabled={disabled} onClick={onCodes}>
      {t('merchant.editor.genCodes')}
    </Button>
  );
  // One SKU needs no filling-in of all rows; generating its code still helps.
  if (count <= 1) return <div className="fm-batch-fill">{codes}</div>;
  return (
    <div className="fm-batch-fill">
      <span className="fm-batch-label">{t('merchant.editor.batch', { count })}</span>
      <InputNumber<string> stringMode min="0.01" precision={2} prefix="¥" placeholder={t('merchant.editor.price')} value={price} onChange={setPrice} disabled={disabled} />
      <InputNumber<string> stringMode min="0.01" precision={2} prefix="¥" placeholder={t('merchant.editor.listPrice')} value={listPrice} onChange={setListPrice} disabled={disabled} />
      <InputNumber<number> min={0} precision={0} placeholder={t('merchant.editor.stock')} value={onHand} onChange={setOnHand} disabled={disabled} />
      <InputNumber<number> min={0} precision={0} placeholder={t('merchant.editor.weight')} value={weight} onChange={setWeight} disabled={disabled} />
      <Button
        disabled={disabled}
        onClick={() =>
          onFill({
            ...(price ? { price } : {}),
            ...(listPrice ? { listPrice } : {}),
            ...(onHand !== null ? { onHand } : {}),
            ...(weight !== null ? { weightGrams: weight } : {}),
          })
        }
      >
        {t('merchant.editor.fill')}
      </Button>
      {codes}
    </div>
  );
}
