import { useState } from 'react';
import { Button, DatePicker, Form, Input, Select, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18n';
import { api, Query } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatTime } from '../../lib/format';
import { CsvButton, EmptyHint, ErrorAlert, PageTitle } from '../../components/common';

interface Entry {
  id: number;
  occurredAt: string;
  actor: string;
  sourceIp: string;
  operation: string;
  targetType: string;
  target: string;
  parameters: string;
  result: string;
  message: string | null;
}

interface Filters {
  actor?: string;
  operation?: string;
  target?: string;
  result?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

export default function AuditPage() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<Filters>({});
  const query: Query = {
    actor: filters.actor?.trim(),
    operation: filters.operation?.trim(),
    target: filters.target?.trim(),
    result: filters.result,
    from: filters.range?.[0]?.startOf('day').toISOString(),
    to: filters.range?.[1]?.endOf('day').toISOString(),
    limit: 1000,
  };
  const entries = useAsync(() => api.get<Entry[]>('/api/v1/management/audit', query), [JSON.stringify(query)]);
  return (
    <div data-testid="audit-page">
      <PageTitle title={t('nav.audit')} />
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }} onFinish={(v: Filters) => setFilters(v)}>
        <Form.Item name="actor" label={t('records.actor')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="operation" label={t('audit.operation')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="target" label={t('records.target')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="result" label={t('audit.result')}>
          <Select allowClear style={{ width: 120 }} options={['SUCCESS', 'FAILURE'].map((v) => ({ value: v, label: v }))} />
        </Form.Item>
        <Form.Item name="range" label={t('records.range')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
        <CsvButton path="/api/v1/management/audit" query={query} />
      </Form>
      <ErrorAlert error={entries.error} onRetry={entries.reload} />
      <Table<Entry>
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={entries.loading}
        dataSource={entries.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('audit.empty')} /> }}
        columns={[
          { title: t('records.time'), dataIndex: 'occurredAt', render: formatTime },
          { title: t('records.actor'), dataIndex: 'actor' },
          { title: t('audit.sourceIp'), dataIndex: 'sourceIp' },
          { title: t('audit.operation'), dataIndex: 'operation' },
          { title: t('records.targetType'), dataIndex: 'targetType' },
          { title: t('records.target'), dataIndex: 'target' },
          { title: t('audit.parameters'), dataIndex: 'parameters', ellipsis: true },
          {
            title: t('audit.result'),
            dataIndex: 'result',
            render: (r) => <Tag color={r === 'SUCCESS' ? 'green' : 'red'}>{r}</Tag>,
          },
          { title: t('audit.message'), dataIndex: 'message' },
        ]}
      />
    </div>
  );
}
