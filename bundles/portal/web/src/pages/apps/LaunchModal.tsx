import { useEffect, useState } from 'react';
import { Alert, Form, Input, InputNumber, Modal, Select, Spin } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api, ApiError, enc } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { AppForm, AppSummary, initialValues, launchValues, SessionView } from '../../lib/apps';

/** The launch form of an app on a cluster, as the server fills it for the user; the account choice reloads it. */
export default function LaunchModal({
  app,
  cluster,
  onClose,
  onLaunched,
}: {
  app: AppSummary;
  cluster: string;
  onClose: () => void;
  onLaunched: (s: SessionView) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const [spec, setSpec] = useState<AppForm>();
  const [account, setAccount] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    api.get<AppForm>(`/api/v1/apps/${enc(app.id)}/form`, { cluster, account }).then(
      (f) => {
        if (!live) return;
        setSpec(f);
        setError(undefined);
        form.setFieldsValue(initialValues(f));
      },
      (e) => live && setError(describeError(e, t)),
    );
    return () => {
      live = false;
    };
  }, [app.id, cluster, account, form, t]);

  const submit = async () => {
    if (!spec) return;
    const values = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const s = await api.post<SessionView>('/api/v1/app-sessions', {
        app: app.id,
        cluster,
        values: launchValues(spec, values),
      });
      onLaunched(s);
    } catch (e) {
      setError(describeError(e, t));
      const field = e instanceof ApiError ? String(e.details.field ?? '').replace(/^values\./, '') : '';
      if (field && spec.fields.some((f) => f.name === field)) {
        form.setFields([{ name: field, errors: [e instanceof Error ? e.message : String(e)] }]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      data-testid="launch-app"
      title={t('apps.launchTitle', { name: app.name })}
      okText={t('apps.launch')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: busy, disabled: !spec, ...{ 'data-testid': 'launch-submit' } }}
      onOk={submit}
      onCancel={onClose}
      destroyOnClose
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="error" />}
      {!spec && !error && <Spin />}
      {spec && (
        <Form form={form} layout="vertical" onValuesChange={(changed) => changed.account && setAccount(changed.account)}>
          {spec.fields
            .filter((f) => !f.hidden)
            .map((f) => (
              <Form.Item
                key={f.name}
                name={f.name}
                label={f.label}
                tooltip={f.fixed ? t('apps.fixed') : undefined}
                extra={f.help ?? undefined}
                rules={f.required && !f.fixed ? [{ required: true, message: t('common.required') }] : []}
              >
                {f.type === 'select' ? (
                  <Select
                    data-testid={`field-${f.name}`}
                    disabled={f.fixed}
                    allowClear={!f.required}
                    options={f.options.map((o) => ({ value: o.value, label: o.label }))}
                  />
                ) : f.type === 'number' ? (
                  <InputNumber
                    data-testid={`field-${f.name}`}
                    disabled={f.fixed}
                    min={f.min ?? undefined}
                    max={f.max ?? undefined}
                    style={{ width: '100%' }}
                  />
                ) : (
                  <Input
                    data-testid={`field-${f.name}`}
                    disabled={f.fixed}
                    placeholder={f.type === 'file' ? t('apps.pathHint') : undefined}
                  />
                )}
              </Form.Item>
            ))}
        </Form>
      )}
    </Modal>
  );
}
