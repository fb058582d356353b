import { Link } from 'react-router-dom';
import { Switch, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { formatDuration, formatTime } from '../../lib/format';
import type { JobInfo } from '../../lib/types';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton, StateTag } from '../../components/common';
import JobActions from './JobActions';

export default function RunningJobsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [auto, setAuto] = useState(true);
  const jobs = useAsync(
    () =>
      cluster
        ? api.get<{ jobs: JobInfo[]; totalCount: number }>(`/api/v1/clusters/${enc(cluster)}/jobs`, {
            user: me?.user,
            state: ['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING'],
            sort: '-SUBMIT_TIME',
          })
        : Promise.resolve({ jobs: [], totalCount: 0 }),
    [cluster, me?.user],
    auto ? 5000 : undefined,
  );
  return (
    <div data-testid="running-jobs">
      <PageTitle
        title={t('nav.running')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <Tooltip title={t('jobs.autoRefreshHint')}>
              <Switch checked={auto} onChange={setAuto} checkedChildren={t('jobs.autoRefresh')} unCheckedChildren={t('jobs.autoRefresh')} />
            </Tooltip>
            <RefreshButton onClick={jobs.reload} loading={jobs.loading} />
          </>
        }
      />
      <ErrorAlert error={jobs.error} onRetry={jobs.reload} />
      <Table
        rowKey="jobId"
        size="small"
        scroll={{ x: true }}
        dataSource={jobs.data?.jobs ?? []}
        loading={jobs.loading && !jobs.data}
        locale={{
          emptyText: <EmptyHint text={t('jobs.noRunning')} action={<Link to="/jobs/submit">{t('nav.submit')}</Link>} />,
        }}
        columns={[
          {
            title: t('job.id'),
            dataIndex: 'jobId',
            render: (id) => <Link to={`/jobs/${enc(cluster!)}/${enc(id)}`}>{id}</Link>,
          },
          { title: t('job.name'), dataIndex: 'name' },
          { title: t('common.account'), dataIndex: 'account' },
          { title: t('common.partition'), dataIndex: 'partition' },
          { title: t('job.state'), dataIndex: 'state', render: (s) => <StateTag state={s} /> },
          {
            title: t('job.reason'),
            dataIndex: 'reason',
            render: (r) => <Typography.Text type="secondary" data-testid="pending-reason">{r}</Typography.Text>,
          },
          { title: t('job.submitTime'), dataIndex: 'submitTime', render: formatTime },
          { title: t('job.elapsed'), dataIndex: 'elapsedSeconds', render: formatDuration },
          { title: t('job.timeLimit'), dataIndex: 'timeLimitMinutes', render: (m) => (m ? formatDuration(m * 60) : '') },
          {
            title: t('common.actions'),
            render: (_, job) => <JobActions cluster={cluster!} job={job} onChanged={jobs.reload} />,
          },
        ]}
      />
    </div>
  );
}
