import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { describeError } from '../../lib/errors';
import { fromMinutes, TimeUnit, toMinutes } from '../../lib/format';
import type { JobSpec, JobTemplate, Partition } from '../../lib/types';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle } from '../../components/common';
import LazyScriptEditor from '../../components/LazyScriptEditor';
import DirectoryPicker from '../../components/DirectoryPicker';

interface FormValues {
  name: string;
  account: string;
  partition: string;
  qos?: string;
  nodes: number;
  coresPerNode: number;
  gpusPerNode: number;
  memoryMbPerNode?: number | null;
  timeValue?: number | null;
  timeUnit: TimeUnit;
  workingDirectory: string;
  stdout?: string;
  stderr?: string;
  script: string;
}

const DEFAULT_SCRIPT = '#!/bin/bash\n\necho "hello from $(hostname)"\n';

export default function SubmitJobPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [form] = Form.useForm<FormValues>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [saveOpen, setSaveOpen] = useState(false);
  const [templateName, setTemplateName] = useState('');
  const account = Form.useWatch('account', form);
  const partitionName = Form.useWatch('partition', form);
  const nodes = Form.useWatch('nodes', form) ?? 1;

  const accounts = useAsync(
    () =>
      cluster && me
        ? api.get<string[]>(`/api/v1/clusters/${enc(cluster)}/users/${enc(me.user)}/accounts`)
        : Promise.resolve([]),
    [cluster, me?.user],
  );
  const partitions = useAsync(
    () =>
      cluster && account
        ? api.get<Partition[]>(`/api/v1/clusters/${enc(cluster)}/partitions`, { account, user: me?.user })
        : Promise.resolve([]),
    [cluster, account, me?.user],
  );
  const templates = useAsync(() => api.get<JobTemplate[]>('/api/v1/job-templates').catch(() => []), []);
  const partition: Partition | undefined = partitions.data?.find((p) => p.name === partitionName);
  const perNode = useMemo(() => {
    if (!partition) return { cores: undefined, gpus: undefined, memory: undefined };
    const n = Math.max(partition.nodes, 1);
    return {
      cores: Math.max(1, Math.floor(partition.cores / n)),
      gpus: Math.floor(partition.gpus / n),
      memory: partition.memoryMb > 0 ? Math.floor(partition.memoryMb / n) : undefined,
    };
  }, [partition]);

  // The first valid choice is preselected at each level so a new user can submit at once.
  useEffect(() => {
    const list = accounts.data ?? [];
    if (list.length && !list.includes(form.getFieldValue('account'))) form.setFieldValue('account', list[0]);
  }, [accounts.data, form]);
  useEffect(() => {
    const list = partitions.data ?? [];
    if (list.length && !list.find((p) => p.name === form.getFieldValue('partition'))) {
      form.setFieldValue('partition', list[0].name);
    }
  }, [partitions.data, form]);
  useEffect(() => {
    if (partition && form.getFieldValue('qos') && !partition.qos.includes(form.getFieldValue('qos'))) {
      form.setFieldValue('qos', undefined);
    }
  }, [partition, form]);
  useEffect(() => {
    if (!cluster || form.getFieldValue('workingDirectory')) return;
    api
      .get<{ path: string }>(`/api/v1/clusters/${enc(cluster)}/files/home`)
      .then((home) => {
        if (!form.getFieldValue('workingDirectory')) form.setFieldValue('workingDirectory', home.path);
      })
      .catch(() => undefined);
  }, [cluster, form]);

  // ?template=<id> fills the form from a saved template.
  const templateId = params.get('template');
  useEffect(() => {
    const template = templates.data?.find((x) => String(x.id) === templateId);
    if (template) applyTemplate(template);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [templateId, templates.data]);

  function applyTemplate(template: JobTemplate) {
    if (template.cluster && template.cluster !== cluster) setCluster(template.cluster);
    const s = template.spec;
    const [timeValue, timeUnit] = s.timeLimitMinutes ? fromMinutes(s.timeLimitMinutes) : [null, 'minutes' as TimeUnit];
    form.setFieldsValue({
      name: s.name ?? template.name,
      account: s.account,
      partition: s.partition,
      qos: s.qos ?? undefined,
      nodes: s.nodes ?? 1,
      coresPerNode: s.coresPerNode ?? 1,
      gpusPerNode: s.gpusPerNode ?? 0,
      memoryMbPerNode: s.memoryMbPerNode ?? null,
      timeValue,
      timeUnit,
      workingDirectory: s.workingDirectory,
      stdout: s.stdout ?? undefined,
      stderr: s.stderr ?? undefined,
      script: s.script,
    });
  }

  function spec(values: FormValues): JobSpec {
    return {
      user: me!.user,
      name: values.name.trim(),
      account: values.account,
      partition: values.partition,
      qos: values.qos || null,
      nodes: values.nodes,
      coresPerNode: values.coresPerNode,
      gpusPerNode: values.gpusPerNode ?? 0,
      memoryMbPerNode: values.memoryMbPerNode || null,
      timeLimitMinutes: values.timeValue ? toMinutes(values.timeValue, values.timeUnit) : null,
      script: values.script,
      workingDirectory: values.workingDirectory.trim(),
      stdout: values.stdout?.trim() || null,
      stderr: values.stderr?.trim() || null,
    };
  }

  const submit = async (values: FormValues) => {
    if (!cluster) return;
    setBusy(true);
    setError(undefined);
    try {
      const job = await api.post<{ jobId: string }>(`/api/v1/clusters/${enc(cluster)}/jobs`, spec(values));
      message.success(t('submit.submitted', { id: job.jobId }));
      navigate(`/jobs/${enc(cluster)}/${enc(job.jobId)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const saveTemplate = async () => {
    try {
      const values = await form.validateFields();
      await api.post('/api/v1/job-templates', { name: templateName.trim(), cluster, spec: spec(values) });
      message.success(t('templates.saved'));
      setSaveOpen(false);
      templates.reload();
    } catch (e) {
      if ((e as { errorFields?: unknown }).errorFields) return;
      message.error(describeError(e, t));
    }
  };

  const maxMinutes = partition?.maxTimeMinutes ?? undefined;
  const timeUnit: TimeUnit = Form.useWatch('timeUnit', form) ?? 'minutes';

  return (
    <div data-testid="submit-page">
      <PageTitle
        title={t('submit.title')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <Select
              data-testid="template-select"
              style={{ minWidth: 180 }}
              placeholder={t('submit.useTemplate')}
              value={null}
              options={(templates.data ?? []).map((x) => ({ value: String(x.id), label: x.name }))}
              onChange={(id) => {
                const template = templates.data?.find((x) => String(x.id) === id);
                if (template) applyTemplate(template);
              }}
            />
          </>
        }
      />
      <ErrorAlert error={accounts.error} onRetry={accounts.reload} />
      {accounts.data && accounts.data.length === 0 && (
        <EmptyHint text={t('submit.noAccounts')} />
      )}
      <ErrorAlert error={partitions.error} />
      {account && !partitions.loading && partitions.data && partitions.data.length === 0 && (
        // the scheduler lists no partition for this account: blocked, or never granted one
        <Alert
          type="warning"
          showIcon
          data-testid="no-partitions"
          style={{ marginBottom: 16 }}
          message={t('submit.noPartitions', { account })}
        />
      )}
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          name: 'job',
          nodes: 1,
          coresPerNode: 1,
          gpusPerNode: 0,
          timeUnit: 'hours',
          timeValue: 1,
          script: DEFAULT_SCRIPT,
        }}
      >
        <Card>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name="name" label={t('job.name')} rules={[{ required: true, whitespace: true, max: 200 }]}>
                <Input data-testid="job-name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="account" label={t('common.account')} rules={[{ required: true, message: t('submit.chooseAccount') }]}>
                <Select
                  data-testid="job-account"
                  loading={accounts.loading}
                  options={(accounts.data ?? []).map((a) => ({ value: a, label: a }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="partition" label={t('common.partition')} rules={[{ required: true, message: t('submit.choosePartition') }]}>
                <Select
                  data-testid="job-partition"
                  loading={partitions.loading}
                  options={(partitions.data ?? []).map((p) => ({
                    value: p.name,
                    label: p.up ? p.name : `${p.name} (${t('submit.partitionDown')})`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="qos" label={t('common.qos')}>
                <Select
                  allowClear
                  data-testid="job-qos"
                  placeholder={t('submit.defaultQos')}
                  options={(partition?.qos ?? []).map((q) => ({ value: q, label: q }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="nodes"
                label={t('submit.nodes')}
                rules={[{ required: true }, { type: 'number', min: 1, max: partition?.nodes || undefined }]}
                extra={partition ? t('submit.max', { n: partition.nodes }) : undefined}
              >
                <InputNumber min={1} max={partition?.nodes || undefined} style={{ width: '100%' }} data-testid="job-nodes" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="coresPerNode"
                label={t('submit.coresPerNode')}
                rules={[{ required: true }, { type: 'number', min: 1, max: perNode.cores }]}
                extra={perNode.cores ? t('submit.max', { n: perNode.cores }) : undefined}
              >
                <InputNumber min={1} max={perNode.cores} style={{ width: '100%' }} data-testid="job-cores" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="gpusPerNode"
                label={t('submit.gpusPerNode')}
                rules={[{ type: 'number', min: 0, max: perNode.gpus ?? 0 }]}
                extra={partition ? t('submit.max', { n: perNode.gpus ?? 0 }) : undefined}
              >
                <InputNumber min={0} max={perNode.gpus ?? 0} disabled={!perNode.gpus} style={{ width: '100%' }} data-testid="job-gpus" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="memoryMbPerNode"
                label={t('submit.memoryMb')}
                rules={[{ type: 'number', min: 1, max: perNode.memory }]}
                extra={perNode.memory ? t('submit.maxMemory', { n: perNode.memory }) : t('submit.memoryDefault')}
              >
                <InputNumber min={1} max={perNode.memory} style={{ width: '100%' }} data-testid="job-memory" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                label={t('submit.timeLimit')}
                extra={maxMinutes ? t('submit.maxTime', { n: maxMinutes }) : undefined}
                required
              >
                <Space.Compact style={{ width: '100%' }}>
                  <Form.Item
                    name="timeValue"
                    noStyle
                    rules={[
                      { required: true, message: t('submit.timeRequired') },
                      {
                        validator: (_, v) =>
                          !maxMinutes || !v || toMinutes(v, timeUnit) <= maxMinutes
                            ? Promise.resolve()
                            : Promise.reject(new Error(t('submit.timeTooLong', { n: maxMinutes }))),
                      },
                    ]}
                  >
                    <InputNumber min={1} style={{ width: '60%' }} data-testid="job-time" />
                  </Form.Item>
                  <Form.Item name="timeUnit" noStyle>
                    <Select
                      style={{ width: '40%' }}
                      data-testid="job-time-unit"
                      options={[
                        { value: 'minutes', label: t('unit.minutes') },
                        { value: 'hours', label: t('unit.hours') },
                        { value: 'days', label: t('unit.days') },
                      ]}
                    />
                  </Form.Item>
                </Space.Compact>
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="workingDirectory"
                label={t('submit.workingDirectory')}
                rules={[
                  { required: true, message: t('submit.workingDirectoryRequired') },
                  { pattern: /^\//, message: t('submit.absolutePath') },
                ]}
              >
                <DirectoryPicker cluster={cluster} testId="job-workdir" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="stdout" label={t('submit.stdout')} extra={t('submit.patternHint')}>
                <Input placeholder="%j.out" data-testid="job-stdout" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="stderr" label={t('submit.stderr')}>
                <Input placeholder="%j.err" data-testid="job-stderr" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="script" label={t('submit.script')} rules={[{ required: true, whitespace: true, message: t('submit.scriptRequired') }]}>
            <LazyScriptEditor />
          </Form.Item>
          {nodes > 1 && <Typography.Paragraph type="secondary">{t('submit.multiNodeHint')}</Typography.Paragraph>}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy} disabled={!cluster} data-testid="submit-job">
              {t('submit.submit')}
            </Button>
            <Button
              data-testid="save-template"
              onClick={() => {
                setTemplateName(form.getFieldValue('name') ?? '');
                setSaveOpen(true);
              }}
            >
              {t('submit.saveTemplate')}
            </Button>
          </Space>
        </Card>
      </Form>
      <Modal
        open={saveOpen}
        title={t('submit.saveTemplate')}
        onCancel={() => setSaveOpen(false)}
        onOk={saveTemplate}
        okButtonProps={{ disabled: !templateName.trim(), 'data-testid': 'save-template-ok' }}
      >
        <Input
          data-testid="template-name"
          value={templateName}
          placeholder={t('templates.name')}
          onChange={(e) => setTemplateName(e.target.value)}
        />
      </Modal>
    </div>
  );
}
