import { Card, Col, List, Progress, Row, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n/I18n';
import { useAuth } from '../auth';
import { api, enc } from '../lib/api';
import { useAsync, useClusters } from '../lib/hooks';
import { formatMoney, formatTime } from '../lib/format';
import type { Balance, ClusterUsage, ClusterView, JobInfo } from '../lib/types';
import { EmptyHint, ErrorAlert, PageTitle, StateTag } from '../components/common';

export default function DashboardPage() {
  const { t } = useI18n();
  const clusters = useClusters();
  return (
    <div data-testid="dashboard">
      <PageTitle title={t('dashboard.title')} />
      <ErrorAlert error={clusters.error} onRetry={clusters.reload} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card title={t('dashboard.clusters')} loading={clusters.loading && !clusters.data}>
            {clusters.data?.length === 0 && <EmptyHint text={t('dashboard.noClusters')} />}
            <Space direction="vertical" style={{ width: '100%' }}>
              {clusters.data?.map((c) => <ClusterCard key={c.id} cluster={c} />)}
            </Space>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Space direction="vertical" style={{ width: '100%' }} size={16}>
            <QuickLinks />
            <MyAccounts />
          </Space>
        </Col>
        <Col span={24}>
          <MyJobs clusters={clusters.data ?? []} />
        </Col>
      </Row>
    </div>
  );
}

function ClusterCard({ cluster }: { cluster: ClusterView }) {
  const { t } = useI18n();
  const usage = useAsync(
    () => (cluster.online ? api.get<ClusterUsage>(`/api/v1/clusters/${enc(cluster.id)}/usage`) : Promise.resolve(null)),
    [cluster.id, cluster.online],
    30000,
  );
  const percent = (used: number, total: number) => (total > 0 ? Math.round((used / total) * 100) : 0);
  return (
    <Card
      type="inner"
      size="small"
      data-testid={`cluster-${cluster.id}`}
      title={
        <Space>
          {cluster.displayName || cluster.id}
          {cluster.online ? (
            <Tag color="green">{t('dashboard.online')}</Tag>
          ) : (
            <Tag color="red">{t('dashboard.offline')}</Tag>
          )}
        </Space>
      }
    >
      {!cluster.online && <Typography.Text type="secondary">{cluster.offlineReason}</Typography.Text>}
      <ErrorAlert error={usage.error} />
      {usage.data && (
        <Table
          size="small"
          pagination={false}
          rowKey="partition"
          scroll={{ x: true }}
          dataSource={usage.data.partitions}
          columns={[
            { title: t('common.partition'), dataIndex: 'partition' },
            {
              title: t('dashboard.cpuUsage'),
              render: (_, p) => (
                <Progress
                  size="small"
                  style={{ minWidth: 100 }}
                  percent={percent(p.usage.cpus.running, p.usage.cpus.total)}
                  format={() => `${p.usage.cpus.running}/${p.usage.cpus.total}`}
                />
              ),
            },
            {
              title: t('dashboard.gpuUsage'),
              render: (_, p) =>
                p.usage.gpus.total > 0 ? `${p.usage.gpus.running}/${p.usage.gpus.total}` : '—',
            },
            { title: t('dashboard.nodes'), render: (_, p) => `${p.usage.nodes.running}/${p.usage.nodes.total}` },
            { title: t('dashboard.running'), render: (_, p) => p.usage.runningJobs },
            { title: t('dashboard.pending'), render: (_, p) => p.usage.pendingJobs },
          ]}
        />
      )}
    </Card>
  );
}

function QuickLinks() {
  const { t } = useI18n();
  return (
    <Card title={t('dashboard.quickLinks')} size="small">
      <Space wrap>
        <Link to="/jobs/submit" data-testid="quick-submit">
          {t('nav.submit')}
        </Link>
        <Link to="/jobs/running">{t('nav.running')}</Link>
        <Link to="/jobs/finished">{t('nav.finished')}</Link>
        <Link to="/files">{t('nav.files')}</Link>
        <Link to="/shell">{t('nav.shell')}</Link>
      </Space>
    </Card>
  );
}

function MyAccounts() {
  const { t } = useI18n();
  const { roles } = useAuth();
  const accounts = Object.entries(roles?.accounts ?? {});
  return (
    <Card title={t('dashboard.myAccounts')} size="small" data-testid="my-accounts">
      {accounts.length === 0 ? (
        <EmptyHint text={t('dashboard.noAccounts')} />
      ) : (
        <List
          size="small"
          dataSource={accounts}
          renderItem={([account, role]) => <AccountRow account={account} role={role} />}
        />
      )}
    </Card>
  );
}

function AccountRow({ account, role }: { account: string; role: string }) {
  const { t } = useI18n();
  const balance = useAsync(
    () =>
      role === 'ACCOUNT_USER'
        ? Promise.resolve(null)
        : api.get<Balance>(`/api/v1/billing/accounts/${enc(account)}/balance`).catch(() => null),
    [account, role],
  );
  const info = useAsync(
    () => api.get<{ blockedByAdmin: boolean }>(`/api/v1/management/accounts/${enc(account)}`).catch(() => null),
    [account],
  );
  const blocked = info.data?.blockedByAdmin || balance.data?.belowThreshold;
  return (
    <List.Item data-testid={`account-${account}`}>
      <Space wrap>
        <Typography.Text strong>{account}</Typography.Text>
        <Tag>{t(`role.${role}` as 'role.ACCOUNT_USER')}</Tag>
        {blocked ? <Tag color="red">{t('account.blocked')}</Tag> : <Tag color="green">{t('account.normal')}</Tag>}
      </Space>
      <Typography.Text data-testid="account-balance">
        {balance.data ? `${t('account.balance')}: ${formatMoney(balance.data.balance)}` : ''}
      </Typography.Text>
    </List.Item>
  );
}

function MyJobs({ clusters }: { clusters: ClusterView[] }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const online = clusters.filter((c) => c.online);
  const jobs = useAsync(
    async () => {
      const lists = await Promise.all(
        online.map((c) =>
          api
            .get<{ jobs: JobInfo[] }>(`/api/v1/clusters/${enc(c.id)}/jobs`, {
              user: me?.user,
              state: ['RUNNING', 'PENDING'],
            })
            .then((r) => r.jobs.map((j) => ({ ...j, cluster: c.id }))),
        ),
      );
      return lists.flat();
    },
    [online.map((c) => c.id).join(','), me?.user],
    10000,
  );
  return (
    <Card title={t('dashboard.myJobs')} size="small" data-testid="my-jobs">
      <ErrorAlert error={jobs.error} />
      <Table
        size="small"
        rowKey={(j) => `${j.cluster}/${j.jobId}`}
        dataSource={jobs.data ?? []}
        loading={jobs.loading && !jobs.data}
        scroll={{ x: true }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <EmptyHint text={t('dashboard.noJobs')} action={<Link to="/jobs/submit">{t('nav.submit')}</Link>} /> }}
        columns={[
          { title: t('common.cluster'), dataIndex: 'cluster' },
          {
            title: t('job.id'),
            dataIndex: 'jobId',
            render: (id, j) => <Link to={`/jobs/${enc(j.cluster)}/${enc(id)}`}>{id}</Link>,
          },
          { title: t('job.name'), dataIndex: 'name' },
          { title: t('common.account'), dataIndex: 'account' },
          { title: t('job.state'), dataIndex: 'state', render: (s) => <StateTag state={s} /> },
          { title: t('job.reason'), dataIndex: 'reason' },
          { title: t('job.submitTime'), dataIndex: 'submitTime', render: formatTime },
        ]}
      />
    </Card>
  );
}
