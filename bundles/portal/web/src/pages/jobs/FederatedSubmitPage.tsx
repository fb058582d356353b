import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useAuth } from '../../auth';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { ErrorAlert, PageTitle } from '../../components/common';

interface Option {
  center: string;
  cluster: string;
  partition: string;
  estimatedStartMinutes: number;
  estimatedPrice?: number | null;
  score: number;
  why: string;
}

interface Decision {
  chosen: Option | null;
  options: Option[];
  skipped: { center: string; cluster: string; reason: string }[];
  decisionMicros: number;
}

interface Routed {
  federationJobId: string;
  center: string;
  cluster: string;
  partition: string;
  jobId: string;
  decision: Decision;
}

interface Values {
  account: string;
  name?: string;
  coresPerNode: number;
  timeLimitMinutes: number;
  script: string;
  workingDirectory: string;
  preferredCenters?: string[];
  dataCenter?: string;
  minutesPerPriceUnit?: number;
}

/**
 * Submit to the federation rather than to a cluster: the platform picks center, cluster and partition and shows why
 * (every option with its estimated start, its price under the running center's own table, and the clusters left out).
 */
export default function FederatedSubmitPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [form] = Form.useForm<Values>();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [routed, setRouted] = useState<Routed | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const body = (v: Values) => ({
    user: me?.user,
    name: v.name?.trim() || undefined,
    account: v.account.trim(),
    coresPerNode: v.coresPerNode,
    timeLimitMinutes: v.timeLimitMinutes,
    script: v.script,
    workingDirectory: v.workingDirectory.trim(),
    preferredCenters: v.preferredCenters ?? [],
    dataCenter: v.dataCenter?.trim() || undefined,
    minutesPerPriceUnit: v.minutesPerPriceUnit ?? undefined,
  });

  const run = async (submit: boolean) => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    setRouted(null);
    try {
      if (submit) {
        const r = await api.post<Routed>('/api/v1/federation/jobs', body(v));
        setRouted(r);
        setDecision(r.decision);
      } else {
        setDecision(await api.post<Decision>('/api/v1/federation/jobs/route', body(v)));
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="federated-submit-page">
      <PageTitle title={t('nav.federatedSubmit')} />
      <Form<Values>
        form={form}
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={{ coresPerNode: 1, timeLimitMinutes: 10, script: '#!/bin/bash\nhostname\n' }}
      >
        <Space wrap align="start">
          <Form.Item name="account" label={t('common.account')} rules={[{ required: true, whitespace: true }]}>
            <Input data-testid="fed-account" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="name" label={t('federation.jobName')}>
            <Input data-testid="fed-name" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="coresPerNode" label={t('federation.cores')} rules={[{ required: true }]}>
            <InputNumber data-testid="fed-cores" min={1} max={100000} />
          </Form.Item>
          <Form.Item name="timeLimitMinutes" label={t('federation.timeLimit')} rules={[{ required: true }]}>
            <InputNumber data-testid="fed-time" min={1} max={525600} />
          </Form.Item>
        </Space>
        <Form.Item name="workingDirectory" label={t('federation.workingDirectory')} rules={[{ required: true, whitespace: true }]}>
          <Input data-testid="fed-directory" placeholder="/home/..." />
        </Form.Item>
        <Form.Item name="script" label={t('federation.script')} rules={[{ required: true }]}>
          <Input.TextArea data-testid="fed-script" rows={4} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="preferredCenters" label={t('federation.preferred')}>
            <Select data-testid="fed-preferred" mode="tags" style={{ minWidth: 220 }} tokenSeparators={[',', ' ']} />
          </Form.Item>
          <Form.Item name="dataCenter" label={t('federation.dataCenter')}>
            <Input data-testid="fed-data" style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="minutesPerPriceUnit" label={t('federation.priceWeight')}>
            <InputNumber data-testid="fed-price-weight" min={0} max={1000000} />
          </Form.Item>
        </Space>
        <Space>
          <Button data-testid="fed-route" onClick={() => run(false)} loading={busy}>
            {t('federation.where')}
          </Button>
          <Button data-testid="fed-submit" type="primary" onClick={() => run(true)} loading={busy}>
            {t('federation.submit')}
          </Button>
        </Space>
      </Form>
      <div style={{ marginTop: 16 }}>
        <ErrorAlert error={error} />
        {routed && (
          <Alert
            data-testid="fed-routed"
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('federation.submitted', { id: routed.federationJobId, center: routed.center, cluster: routed.cluster, partition: routed.partition })}
          />
        )}
        {decision && <DecisionView decision={decision} />}
      </div>
    </div>
  );
}

function DecisionView({ decision }: { decision: Decision }) {
  const { t } = useI18n();
  return (
    <Card size="small" title={t('federation.why')} data-testid="fed-decision">
      {decision.chosen ? (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('federation.chosen')}>
            <span data-testid="fed-chosen">
              {decision.chosen.center} / {decision.chosen.cluster} / {decision.chosen.partition}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('federation.because')}>
            <span data-testid="fed-chosen-why">{decision.chosen.why}</span>
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Alert type="warning" showIcon message={t('federation.nowhere')} style={{ marginBottom: 12 }} />
      )}
      <Table<Option>
        data-testid="fed-options"
        size="small"
        pagination={false}
        rowKey={(o) => `${o.center} ${o.cluster} ${o.partition}`}
        dataSource={decision.options}
        columns={[
          { title: t('federation.center'), dataIndex: 'center' },
          { title: t('common.cluster'), dataIndex: 'cluster' },
          { title: t('common.partition'), dataIndex: 'partition' },
          { title: t('federation.score'), dataIndex: 'score', render: (s: number) => Math.round(s * 100) / 100 },
          { title: t('federation.reasons'), dataIndex: 'why' },
        ]}
      />
      {decision.skipped.length > 0 && (
        <div style={{ marginTop: 12 }} data-testid="fed-skipped">
          {decision.skipped.map((s) => (
            <div key={`${s.center} ${s.cluster}`}>
              <Tag color="red">{t('federation.skipped')}</Tag>
              {s.center} / {s.cluster}: {s.reason}
            </div>
          ))}
        </div>
      )}
      <div style={{ marginTop: 8, color: '#888' }}>{t('federation.decidedIn', { ms: (decision.decisionMicros / 1000).toFixed(1) })}</div>
    </Card>
  );
}
