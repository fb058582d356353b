import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, DatePicker, Form, Input, Select, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { formatDuration, formatTime } from '../../lib/format';
import type { JobInfo } from '../../lib/types';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton, StateTag } from '../../components/common';

const FINISHED = ['COMPLETED', 'CANCELLED', 'FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'NODE_FAIL', 'PREEMPTED'];

interface Filters {
  states?: string[];
  range?: [Dayjs | null, Dayjs | null] | null;
  jobId?: string;
  name?: string;
}

export default function FinishedJobsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const jobs = useAsync(
    () =>
      cluster
        ? api.get<{ jobs: JobInfo[]; totalCount: number }>(`/api/v1/clusters/${enc(cluster)}/jobs`, {
            user: me?.user,
            state: filters.states?.length ? filters.states : FINISHED,
            endedFrom: filters.range?.[0]?.startOf('day').toISOString(),
            endedTo: filters.range?.[1]?.endOf('day').toISOString(),
            jobId: filters.jobId?.trim(),
            name: filters.name?.trim(),
            page: page.page,
            pageSize: page.pageSize,
            sort: '-END_TIME',
          })
        : Promise.resolve({ jobs: [], totalCount: 0 }),
    [cluster, me?.user, filters, page],
  );
  return (
    <div data-testid="finished-jobs">
      <PageTitle
        title={t('nav.finished')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <RefreshButton onClick={jobs.reload} loading={jobs.loading} />
          </>
        }
      />
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(values: Filters) => {
          setFilters(values);
          setPage((p) => ({ ...p, page: 1 }));
        }}
      >
        <Form.Item name="states" label={t('job.state')}>
          <Select mode="multiple" allowClear style={{ minWidth: 180 }} options={FINISHED.map((s) => ({ value: s, label: s }))} />
        </Form.Item>
        <Form.Item name="range" label={t('jobs.endedBetween')}>
          <DatePicker.RangePicker />
        </Form.Item>
        <Form.Item name="jobId" label={t('job.id')}>
          <Input style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="name" label={t('job.name')}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" data-testid="apply-filters">
          {t('common.search')}
        </Button>
      </Form>
      <ErrorAlert error={jobs.error} onRetry={jobs.reload} />
      <Table
        rowKey="jobId"
        size="small"
        scroll={{ x: true }}
        dataSource={jobs.data?.jobs ?? []}
        loading={jobs.loading}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: jobs.data?.totalCount ?? 0,
          showSizeChanger: true,
          onChange: (p, s) => setPage({ page: p, pageSize: s }),
        }}
        locale={{ emptyText: <EmptyHint text={t('jobs.noFinished')} /> }}
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
          { title: t('job.exitCode'), dataIndex: 'exitCode' },
          { title: t('job.submitTime'), dataIndex: 'submitTime', render: formatTime },
          { title: t('job.endTime'), dataIndex: 'endTime', render: formatTime },
          { title: t('job.elapsed'), dataIndex: 'elapsedSeconds', render: formatDuration },
        ]}
      />
    </div>
  );
}
