import { useState } from 'react';
import { Card, Col, DatePicker, Input, Row, Space, Statistic, Table } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatMoney } from '../../lib/format';
import { EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

interface Daily {
  date: string;
  charges: number;
  payments: number;
  jobs: number;
  coreHours: number;
  newUsers: number;
  newAccounts: number;
}

interface Stats {
  daily: Daily[];
  topAccounts: { account: string; tenant: string; charges: number; jobs: number }[];
}

/** Usage and money over time (its own chunk: the charts library loads only here). */
export default function StatisticsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [tenant, setTenant] = useState('');
  const stats = useAsync(
    () =>
      api.get<Stats>('/api/v1/billing/statistics', {
        from: range[0].startOf('day').toISOString(),
        to: range[1].endOf('day').toISOString(),
        tenant,
      }),
    [range[0].valueOf(), range[1].valueOf(), tenant],
  );
  const daily = (stats.data?.daily ?? []).map((d) => ({ ...d, charges: Number(d.charges), payments: Number(d.payments) }));
  const sum = (key: keyof Daily) => daily.reduce((s, d) => s + Number(d[key] ?? 0), 0);
  return (
    <div data-testid="statistics-page">
      <PageTitle
        title={t('nav.statistics')}
        extra={
          <>
            <Input.Search placeholder={t('prices.tenantFilter')} allowClear onSearch={setTenant} style={{ width: 200 }} />
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
            />
            <RefreshButton onClick={stats.reload} loading={stats.loading} />
          </>
        }
      />
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}><Card><Statistic title={t('stats.charges')} value={formatMoney(sum('charges'))} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title={t('stats.payments')} value={formatMoney(sum('payments'))} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title={t('stats.jobs')} value={sum('jobs')} /></Card></Col>
        <Col xs={12} md={6}><Card><Statistic title={t('stats.coreHours')} value={sum('coreHours').toFixed(1)} /></Card></Col>
        <Col xs={24} lg={12}>
          <Card title={t('stats.moneyOverTime')}>
            {daily.length === 0 ? (
              <EmptyHint text={t('stats.empty')} />
            ) : (
              <ResponsiveContainer width="100%" height={260}>
                <LineChart data={daily}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis />
                  <Tooltip />
                  <Legend />
                  <Line type="monotone" dataKey="charges" name={t('stats.charges')} stroke="#cf1322" />
                  <Line type="monotone" dataKey="payments" name={t('stats.payments')} stroke="#389e0d" />
                </LineChart>
              </ResponsiveContainer>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('stats.usageOverTime')}>
            {daily.length === 0 ? (
              <EmptyHint text={t('stats.empty')} />
            ) : (
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={daily}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="date" />
                  <YAxis />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="jobs" name={t('stats.jobs')} fill="#1677ff" />
                  <Bar dataKey="coreHours" name={t('stats.coreHours')} fill="#13c2c2" />
                </BarChart>
              </ResponsiveContainer>
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={t('stats.topAccounts')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Table
                rowKey="account"
                size="small"
                pagination={false}
                dataSource={stats.data?.topAccounts ?? []}
                locale={{ emptyText: <EmptyHint text={t('stats.empty')} /> }}
                columns={[
                  { title: t('common.account'), dataIndex: 'account' },
                  { title: t('common.tenant'), dataIndex: 'tenant' },
                  { title: t('stats.charges'), dataIndex: 'charges', render: formatMoney },
                  { title: t('stats.jobs'), dataIndex: 'jobs' },
                ]}
              />
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
