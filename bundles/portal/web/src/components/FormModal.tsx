import { ReactNode, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useI18n } from '../i18n/I18n';
import { describeError } from '../lib/errors';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'number' | 'select' | 'password' | 'datetime' | 'textarea';
  required?: boolean;
  options?: { value: string; label: string }[];
  initial?: unknown;
  min?: number;
  placeholder?: string;
}

/**
 * A button that opens a small form; the form stays open with the API's error shown until the call succeeds.
 * Field values reach onSubmit as typed (datetime as an ISO string).
 */
export default function FormModal({
  trigger,
  title,
  fields,
  onSubmit,
  testId,
  buttonProps,
}: {
  trigger: ReactNode;
  title: string;
  fields: Field[];
  onSubmit: (values: Record<string, unknown>) => Promise<unknown>;
  testId?: string;
  buttonProps?: Record<string, unknown>;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [form] = Form.useForm();

  const submit = async () => {
    const values = await form.validateFields();
    for (const f of fields) {
      const v = values[f.name];
      if (f.type === 'datetime' && v) values[f.name] = (v as { toISOString: () => string }).toISOString();
      if (typeof v === 'string') values[f.name] = v.trim() === '' ? undefined : v.trim();
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(values);
      message.success(t('common.done'));
      setOpen(false);
      form.resetFields();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button data-testid={testId} onClick={() => setOpen(true)} {...buttonProps}>
        {trigger}
      </Button>
      <Modal
        open={open}
        title={title}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': `${testId ?? 'form'}-ok` }}
        destroyOnClose
      >
        {error && (
          <div data-testid="error" style={{ color: '#ff4d4f', marginBottom: 12 }}>
            {error}
          </div>
        )}
        <Form form={form} layout="vertical" preserve={false}>
          {fields.map((f) => (
            <Form.Item
              key={f.name}
              name={f.name}
              label={f.label}
              initialValue={f.initial}
              rules={f.required ? [{ required: true, message: t('common.required') }] : undefined}
            >
              {f.type === 'number' ? (
                <InputNumber min={f.min} style={{ width: '100%' }} data-testid={`field-${f.name}`} placeholder={f.placeholder} />
              ) : f.type === 'select' ? (
                <Select options={f.options} allowClear data-testid={`field-${f.name}`} placeholder={f.placeholder} showSearch />
              ) : f.type === 'password' ? (
                <Input.Password data-testid={`field-${f.name}`} autoComplete="new-password" />
              ) : f.type === 'datetime' ? (
                <DatePicker showTime style={{ width: '100%' }} data-testid={`field-${f.name}`} />
              ) : f.type === 'textarea' ? (
                <Input.TextArea data-testid={`field-${f.name}`} rows={3} />
              ) : (
                <Input data-testid={`field-${f.name}`} placeholder={f.placeholder} />
              )}
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </>
  );
}

/** Runs an API call from a button and reports success or the API's error. */
export function useRun() {
  const { t } = useI18n();
  const { message } = App.useApp();
  return async (work: () => Promise<unknown>, after?: () => void) => {
    try {
      await work();
      message.success(t('common.done'));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      after?.();
    }
  };
}
