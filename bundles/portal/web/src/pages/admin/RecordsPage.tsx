import { useState } from 'react';
import { Button, DatePicker, Form, Input, Select, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18n';
import { api, Query } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatDuration, formatMoney, formatTime } from '../../lib/format';
import { CsvButton, EmptyHint, ErrorAlert, PageTitle } from '../../components/common';

interface Filters {
  targetType?: string;
  target?: string;
  cluster?: string;
  account?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toQuery(f: Filters): Query {
  return {
    targetType: f.targetType,
    target: f.target?.trim(),
    cluster: f.cluster?.trim(),
    account: f.account?.trim(),
    from: f.range?.[0]?.startOf('day').toISOString(),
    to: f.range?.[1]?.endOf('day').toISOString(),
    limit: 1000,
  };
}

/** Payment, charge and charged-job records with filters and CSV export. */
export default function RecordsPage() {
  const { t } = useI18n();
  return (
    <div data-testid="records-page">
      <PageTitle title={t('nav.records')} />
      <Tabs
        items={[
          { key: 'payments', label: t('records.payments'), children: <Records kind="payments" /> },
          { key: 'charges', label: t('records.charges'), children: <Records kind="charges" /> },
          { key: 'jobs', label: t('records.jobs'), children: <Records kind="jobs" /> },
        ]}
      />
    </div>
  );
}

function Records({ kind }: { kind: 'payments' | 'charges' | 'jobs' }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const path = `/api/v1/billing/${kind}`;
  const rows = useAsync(() => api.get<Record<string, unknown>[]>(path, toQuery(filters)), [path, filters]);
  const columns =
    kind === 'payments'
      ? [
          { title: t('records.time'), dataIndex: 'paidAt', render: formatTime },
          { title: t('records.targetType'), dataIndex: 'targetType' },
          { title: t('records.target'), dataIndex: 'target' },
          { title: t('billing.amount'), dataIndex: 'amount', render: formatMoney },
          { title: t('billing.method'), dataIndex: 'method' },
          { title: t('records.actor'), dataIndex: 'actor' },
          { title: t('common.comment'), dataIndex: 'comment' },
        ]
      : kind === 'charges'
        ? [
            { title: t('records.time'), dataIndex: 'chargedAt', render: formatTime },
            { title: t('records.targetType'), dataIndex: 'targetType' },
            { title: t('records.target'), dataIndex: 'target' },
            { title: t('common.user'), dataIndex: 'user' },
            { title: t('billing.amount'), dataIndex: 'amount', render: formatMoney },
            { title: t('records.kind'), dataIndex: 'kind' },
            { title: t('common.cluster'), dataIndex: 'cluster' },
            { title: t('job.id'), dataIndex: 'jobId' },
            { title: t('common.comment'), dataIndex: 'comment' },
          ]
        : [
            { title: t('common.cluster'), dataIndex: 'cluster' },
            { title: t('job.id'), dataIndex: 'jobId' },
            { title: t('common.account'), dataIndex: 'account' },
            { title: t('common.user'), dataIndex: 'user' },
            { title: t('common.partition'), dataIndex: 'partition' },
            { title: t('job.state'), dataIndex: 'state' },
            { title: t('job.endTime'), dataIndex: 'endTime', render: formatTime },
            { title: t('job.elapsed'), dataIndex: 'elapsedSeconds', render: formatDuration },
            { title: t('records.accountCharge'), dataIndex: 'accountCharge', render: formatMoney },
            { title: t('records.chargeState'), dataIndex: 'chargeState' },
          ];
  return (
    <>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v: Filters) => setFilters(v)}>
        {kind !== 'jobs' ? (
          <>
            <Form.Item name="targetType" label={t('records.targetType')}>
              <Select allowClear style={{ width: 120 }} options={['ACCOUNT', 'TENANT'].map((v) => ({ value: v, label: v }))} />
            </Form.Item>
            <Form.Item name="target" label={t('records.target')}>
              <Input style={{ width: 140 }} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="cluster" label={t('common.cluster')}>
              <Input style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="account" label={t('common.account')}>
              <Input style={{ width: 140 }} />
            </Form.Item>
          </>
        )}
        <Form.Item name="range" label={t('records.range')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
        <CsvButton path={path} query={toQuery(filters)} />
      </Form>
      <ErrorAlert error={rows.error} onRetry={rows.reload} />
      <Table
        rowKey={(r) => String(r.id ?? `${r.cluster}/${r.jobId}`)}
        size="small"
        scroll={{ x: true }}
        loading={rows.loading}
        dataSource={rows.data ?? []}
        columns={columns}
        locale={{ emptyText: <EmptyHint text={t('records.empty')} /> }}
      />
    </>
  );
}
