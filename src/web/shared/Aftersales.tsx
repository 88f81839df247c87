// The pieces of an after-sales request every side shows: its state, its facts, its progress, and
// the buttons its `actions` allow the viewer, each with the dialog it needs.
import { App, Button, type ButtonProps, Form, Input, Popconfirm, Select, Space, type TableColumnsType, Tag, Timeline } from 'antd';
import type { TFunction } from 'i18next';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  type Aftersales,
  type AftersalesAction,
  type AftersalesState,
  AFTERSALES_STATE_COLORS,
  eventKey,
  useAftersalesAction,
  useAftersalesErrorMessage,
  type Viewer,
} from './aftersales';
import './aftersales.css';
import { ItemLine } from './CommerceBits';
import { formatDateTime } from './format';
import { FormModal } from './FormModal';
import { useLanguage } from './i18n';
import { formatFen } from './money';
import { carrierName, normalizeTrackingNumber, trackingNumberRule, useCarriers } from './tracking';
import './tracking.css';

export function AftersalesStateTag({ state }: { state: AftersalesState }) {
  const { t } = useTranslation();
  return (
    <Tag color={AFTERSALES_STATE_COLORS[state]} className="fm-state-tag" data-testid="aftersales-state-tag">
      {t(`aftersales.state.${state}`)}
    </Tag>
  );
}

/** The money a request gives back, or that an exchange gives none. */
export function AftersalesAmount({ aftersales }: { aftersales: Aftersales }) {
  const { t } = useTranslation();
  return aftersales.kind === 'exchange' ? <span className="fm-muted">{t('aftersales.facts.noRefund')}</span> : <strong className="fm-price">{formatFen(aftersales.amount)}</strong>;
}

function Parcel({ parcel }: { parcel: NonNullable<Aftersales['returnParcel']> }) {
  const language = useLanguage();
  return (
    <span data-testid="aftersales-parcel">
      {carrierName(parcel, language)} <span className="fm-mono">{parcel.trackingNumber}</span>
      <span className="fm-muted"> · {formatDateTime(parcel.at, language)}</span>
    </span>
  );
}

/** What was asked, by whom and why, and what the store and the platform answered. */
export function AftersalesFacts({ aftersales: a, showStore = false, extra }: { aftersales: Aftersales; showStore?: boolean; extra?: ReactNode }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const row = (key: string, label: string, value: ReactNode) => (
    <div key={key} className="fm-as-fact" data-testid={`fact-${key}`}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <div className="fm-as-facts">
      <ItemLine item={{ ...a.item, quantity: a.quantity }} />
      <dl className="fm-order-facts fm-as-fact-list">
        {showStore && row('store', t('aftersales.facts.store'), a.storeName)}
        {row('kind', t('aftersales.facts.kind'), t(`aftersales.kind.${a.kind}`))}
        {row('quantity', t('aftersales.facts.quantity'), `${a.quantity} / ${a.item.quantity}`)}
        {row('amount', t('aftersales.facts.amount'), <AftersalesAmount aftersales={a} />)}
        {row('reason', t('aftersales.facts.reason'), t(`aftersales.reason.${a.reason}`))}
        {a.description && row('description', t('aftersales.facts.description'), a.description)}
        {a.rejectReason && row('rejectReason', t('aftersales.facts.rejectReason'), a.rejectReason)}
        {a.escalationReason && row('escalationReason', t('aftersales.facts.escalationReason'), a.escalationReason)}
        {a.ruling &&
          row(
            'ruling',
            t('aftersales.facts.ruling'),
            <>
              <Tag color={a.ruling.for === 'buyer' ? 'green' : 'blue'}>{t(`aftersales.facts.rulingFor.${a.ruling.for}`)}</Tag>
              {a.ruling.note}
              <span className="fm-muted"> · {formatDateTime(a.ruling.at, language)}</span>
            </>,
          )}
        {a.returnParcel && row('returnParcel', t('aftersales.facts.returnParcel'), <Parcel parcel={a.returnParcel} />)}
        {a.replacementParcel && row('replacementParcel', t('aftersales.facts.replacementParcel'), <Parcel parcel={a.replacementParcel} />)}
        {row('createdAt', t('aftersales.createdAt'), formatDateTime(a.createdAt, language))}
        {extra}
      </dl>
    </div>
  );
}

// Who takes each step (the log's actor is a user id either way); the clock's steps read as 系统.
const SIDES: Record<string, 'buyer' | 'merchant' | 'admin'> = {
  request: 'buyer',
  escalate: 'buyer',
  ship_back: 'buyer',
  confirm: 'buyer',
  cancel: 'buyer',
  approve_refund: 'merchant',
  approve_return: 'merchant',
  reject: 'merchant',
  receive_return: 'merchant',
  refund: 'merchant',
  reship: 'merchant',
  rule_refund: 'admin',
  rule_return: 'admin',
  rule_for_merchant: 'admin',
};

/** Every step so far, newest first. */
export function AftersalesTimeline({ aftersales }: { aftersales: Aftersales }) {
  const { t, i18n } = useTranslation();
  const language = useLanguage();
  const steps = [...(aftersales.timeline ?? [])].reverse();
  return (
    <Timeline
      className="fm-as-timeline"
      items={steps.map((step, i) => {
        const key = eventKey(step.type);
        const label = i18n.exists(`aftersales.event.${key}`) ? t(`aftersales.event.${key}` as 'aftersales.event.other') : t('aftersales.event.other');
        const side = step.actor.kind === 'system' ? 'system' : SIDES[key];
        const actor = side ? t(`aftersales.actor.${side}`) : null;
        // A person's own words (a refusal, a plea, a ruling); the request's reason is a code, shown above.
        const words = key === 'request' ? undefined : (step.data['reason'] ?? step.data['note']);
        const said = typeof words === 'string' ? words : null;
        return {
          key: `${step.type}-${step.at}-${i}`,
          color: i === 0 ? 'blue' : 'gray',
          content: (
            <div data-testid="aftersales-event">
              <div>
                <strong>{label}</strong>
                {actor && <span className="fm-muted"> · {actor}</span>}
              </div>
              {said && <div className="fm-as-said">{said}</div>}
              <div className="fm-muted fm-as-time">{formatDateTime(step.at, language)}</div>
            </div>
          ),
        };
      })}
    />
  );
}

/** A parcel (carrier and tracking number), checked the way the ship dialog checks it. */
function ParcelDialog({ open, title, okText, onSubmit, onClose }: { open: boolean; title: string; okText: string; onSubmit: (p: { carrier: string; trackingNumber: string }) => Promise<unknown>; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const carriers = useCarriers();
  const [form] = Form.useForm<{ carrier: string; trackingNumber: string }>();
  const byCode = new Map((carriers.data ?? []).map((c) => [c.code, c]));
  return (
    <FormModal
      form={form}
      open={open}
      title={title}
      okText={okText}
      requiredMark={false}
      okTestId="parcel-submit"
      onSubmit={(values) => onSubmit({ carrier: values.carrier, trackingNumber: normalizeTrackingNumber(values.trackingNumber) })}
      onClose={onClose}
    >
      <Form.Item name="carrier" label={t('aftersales.parcel.carrier')} rules={[{ required: true, message: t('tracking.ship.carrierPlaceholder') }]}>
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('tracking.ship.carrierPlaceholder')}
          loading={carriers.isPending}
          data-testid="parcel-carrier"
          options={(carriers.data ?? []).map((c) => ({ value: c.code, label: `${carrierName(c, language)} · ${c.code}` }))}
        />
      </Form.Item>
      <Form.Item
        name="trackingNumber"
        label={t('aftersales.parcel.number')}
        validateTrigger="onBlur"
        rules={[trackingNumberRule(t, language, () => byCode.get(form.getFieldValue('carrier') as string))]}
      >
        <Input className="fm-mono" autoComplete="off" data-testid="parcel-number" />
      </Form.Item>
    </FormModal>
  );
}

/** A reason or a note in words (1–500 characters). */
function TextDialog({
  open,
  title,
  label,
  hint,
  okText,
  danger,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: ReactNode;
  label: string;
  hint?: string;
  okText: string;
  danger?: boolean;
  onSubmit: (text: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text: string }>();
  return (
    <FormModal form={form} open={open} title={title} okText={okText} danger={danger} requiredMark={false} okTestId="text-submit" onSubmit={({ text }) => onSubmit(text.trim())} onClose={onClose}>
      <Form.Item name="text" label={label} extra={hint} rules={[{ required: true, whitespace: true, message: t('aftersales.actions.reasonRequired') }]}>
        <Input.TextArea rows={4} maxLength={500} showCount data-testid="text-input" />
      </Form.Item>
    </FormModal>
  );
}

type Asking = 'escalate' | 'ship_back' | 'reject' | 'reship' | 'rule_buyer' | 'rule_merchant' | null;

/**
 * The buttons the server's `actions` allow this viewer, in the order a person would press them.
 * Plain presses ask for confirmation; the ones that need words or a parcel open a dialog.
 */
export function AftersalesActions({ aftersales: a, viewer, size }: { aftersales: Aftersales; viewer: Viewer; size?: ButtonProps['size'] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorMessage = useAftersalesErrorMessage();
  const act = useAftersalesAction(viewer);
  const [asking, setAsking] = useState<Asking>(null);
  const has = (action: AftersalesAction) => a.actions.includes(action);
  const busy = (action: AftersalesAction) => act.isPending && act.variables?.action === action;

  // A dialog shows the refusal itself; a plain press shows it as a message.
  const send = (action: AftersalesAction, body?: Record<string, unknown>) =>
    act.mutateAsync({ id: a.id, action, ...(body ? { body } : {}) }).then(() => void message.success(t(`aftersales.actions.done.${action}`)));
  const press = (action: AftersalesAction) => send(action).catch((error: unknown) => void message.error(errorMessage(error)));

  const confirmButton = (action: AftersalesAction, label: string, title: string, description: string | undefined, props: ButtonProps = {}) => (
    <Popconfirm
      key={action}
      title={title}
      description={description}
      okText={label}
      cancelText={t('common.cancel')}
      onConfirm={() => press(action)}
      okButtonProps={{ 'data-testid': `confirm-${action}` } as ButtonProps}
    >
      <Button size={size} loading={busy(action)} data-testid={`as-${action}`} {...props}>
        {label}
      </Button>
    </Popconfirm>
  );
  const dialogButton = (action: AftersalesAction, label: string, ask: Exclude<Asking, null>, props: ButtonProps = {}) => (
    <Button key={ask} size={size} onClick={() => setAsking(ask)} data-testid={`as-${ask === 'rule_buyer' || ask === 'rule_merchant' ? ask : action}`} {...props}>
      {label}
    </Button>
  );
  const refundText = a.kind === 'refund_only' ? t('aftersales.actions.approveRefundText', { amount: formatFen(a.amount) }) : t('aftersales.actions.approveReturnText');

  const buttons = [
    // buyer
    // The server lets the buyer correct the parcel until the store has the goods.
    has('ship_back') && (a.returnParcel ? dialogButton('ship_back', t('aftersales.actions.changeParcel'), 'ship_back') : dialogButton('ship_back', t('aftersales.actions.shipBack'), 'ship_back', { type: 'primary' })),
    has('confirm') && confirmButton('confirm', t('aftersales.actions.confirm'), t('aftersales.actions.confirmTitle'), t('aftersales.actions.confirmText'), { type: 'primary' }),
    has('escalate') && dialogButton('escalate', t('aftersales.actions.escalate'), 'escalate', { type: 'primary' }),
    has('cancel') && confirmButton('cancel', t('aftersales.actions.cancel'), t('aftersales.actions.cancelTitle'), t('aftersales.actions.cancelText')),
    // store
    has('approve') && confirmButton('approve', t('aftersales.actions.approve'), t('aftersales.actions.approveTitle'), refundText, { type: 'primary' }),
    has('reject') && dialogButton('reject', t('aftersales.actions.reject'), 'reject', { danger: true }),
    has('receive_return') &&
      confirmButton(
        'receive_return',
        t('aftersales.actions.receiveReturn'),
        t('aftersales.actions.receiveReturnTitle'),
        a.kind === 'exchange' ? t('aftersales.actions.receiveReturnExchange') : t('aftersales.actions.receiveReturnRefund', { amount: formatFen(a.amount) }),
        { type: 'primary' },
      ),
    has('reship') && dialogButton('reship', t('aftersales.actions.reship'), 'reship', { type: 'primary' }),
    // platform
    has('rule') && dialogButton('rule', t('aftersales.admin.ruleBuyer'), 'rule_buyer', { type: 'primary' }),
    has('rule') && dialogButton('rule', t('aftersales.admin.ruleMerchant'), 'rule_merchant'),
  ].filter(Boolean);
  if (buttons.length === 0) return null;

  const close = () => setAsking(null);
  return (
    <>
      <Space wrap className="fm-as-actions">
        {buttons}
      </Space>
      <TextDialog
        open={asking === 'escalate'}
        title={t('aftersales.actions.escalateTitle')}
        label={t('aftersales.actions.escalateReason')}
        hint={t('aftersales.actions.escalateHint')}
        okText={t('aftersales.actions.submit')}
        onSubmit={(reason) => send('escalate', { reason })}
        onClose={close}
      />
      <TextDialog
        open={asking === 'reject'}
        title={t('aftersales.actions.rejectTitle')}
        label={t('aftersales.actions.rejectReason')}
        hint={t('aftersales.actions.rejectHint')}
        okText={t('aftersales.actions.reject')}
        danger
        onSubmit={(reason) => send('reject', { reason })}
        onClose={close}
      />
      <TextDialog
        open={asking === 'rule_buyer' || asking === 'rule_merchant'}
        title={
          <div>
            <div>{asking === 'rule_merchant' ? t('aftersales.admin.ruleMerchantTitle') : t('aftersales.admin.ruleBuyerTitle')}</div>
            <div className="fm-muted fm-as-dialog-note">{asking === 'rule_merchant' ? t('aftersales.admin.ruleMerchantText') : t('aftersales.admin.ruleBuyerText')}</div>
          </div>
        }
        label={t('aftersales.admin.ruleNote')}
        hint={t('aftersales.admin.ruleNoteHint')}
        okText={asking === 'rule_merchant' ? t('aftersales.admin.ruleMerchant') : t('aftersales.admin.ruleBuyer')}
        onSubmit={(note) => send('rule', { for: asking === 'rule_merchant' ? 'merchant' : 'buyer', note })}
        onClose={close}
      />
      <ParcelDialog
        open={asking === 'ship_back' || asking === 'reship'}
        title={asking === 'reship' ? t('aftersales.actions.reshipTitle') : t('aftersales.actions.shipBackTitle')}
        okText={t('aftersales.actions.submit')}
        onSubmit={(parcel) => send(asking === 'reship' ? 'reship' : 'ship_back', parcel)}
        onClose={close}
      />
    </>
  );
}

/** What the buyer's page says about where the request stands. */
export function useAftersalesNote(): (a: Aftersales) => string {
  const { t } = useTranslation();
  const language = useLanguage();
  return (a) => {
    if (a.state === 'requested') return a.respondBy ? t('aftersales.note.requested', { time: formatDateTime(a.respondBy, language) }) : t('aftersales.note.requestedNoDeadline');
    if (a.state === 'awaiting_return' && a.returnParcel) return t('aftersales.note.awaiting_return_shipped');
    return t(`aftersales.note.${a.state}`);
  };
}


/** The columns every console's after-sales table shows beside the item: kind, amount and state. */
export function aftersalesFactColumns(t: TFunction): TableColumnsType<Aftersales> {
  return [
    { key: 'kind', title: t('aftersales.merchant.kind'), width: 110, render: (_, a) => t(`aftersales.kind.${a.kind}`) },
    { key: 'amount', title: t('aftersales.merchant.amount'), width: 120, render: (_, a) => <AftersalesAmount aftersales={a} /> },
    { key: 'state', title: t('aftersales.merchant.state'), width: 130, render: (_, a) => <AftersalesStateTag state={a.state} /> },
  ];
}

/** The request open in a console's drawer, kept in the URL (`?id=`) so a reload keeps it open. */
export function useOpenRequest(): [string | null, (id: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const show = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('id', id);
    else next.delete('id');
    setParams(next);
  };
  return [params.get('id'), show];
}
