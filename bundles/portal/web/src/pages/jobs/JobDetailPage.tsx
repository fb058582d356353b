import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Descriptions, Space } from 'antd';
import { FolderOpenOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatDuration, formatTime, parentPath, resolveOutputPath } from '../../lib/format';
import type { JobInfo } from '../../lib/types';
import { ErrorAlert, PageTitle, RefreshButton, StateTag } from '../../components/common';
import JobActions from './JobActions';

export default function JobDetailPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const { cluster = '', jobId = '' } = useParams();
  const job = useAsync(() => api.get<JobInfo>(`/api/v1/clusters/${enc(cluster)}/jobs/${enc(jobId)}`), [cluster, jobId], 3000);
  const j = job.data;
  const stdout = j ? resolveOutputPath(j.stdoutPath, j) : undefined;
  const stderr = j ? resolveOutputPath(j.stderrPath, j) : undefined;
  const finished = j && !['PENDING', 'RUNNING', 'SUSPENDED', 'COMPLETING'].includes(j.state);
  const openInFiles = (path: string) =>
    navigate(`/files?cluster=${enc(cluster)}&path=${enc(parentPath(path))}&select=${enc(path.split('/').pop() ?? '')}`);
  return (
    <div data-testid="job-detail">
      <PageTitle
        title={t('jobs.detailTitle', { id: jobId })}
        extra={
          <>
            {j && !finished && <JobActions cluster={cluster} job={j} onChanged={job.reload} />}
            <RefreshButton onClick={job.reload} loading={job.loading} />
          </>
        }
      />
      <ErrorAlert error={job.error} onRetry={job.reload} />
      {j && (
        <Card>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
            <Descriptions.Item label={t('common.cluster')}>{cluster}</Descriptions.Item>
            <Descriptions.Item label={t('job.id')}>{j.jobId}</Descriptions.Item>
            <Descriptions.Item label={t('job.name')}>{j.name}</Descriptions.Item>
            <Descriptions.Item label={t('job.state')}>
              <StateTag state={j.state} />
            </Descriptions.Item>
            <Descriptions.Item label={t('job.reason')}>{j.reason}</Descriptions.Item>
            <Descriptions.Item label={t('common.user')}>{j.user}</Descriptions.Item>
            <Descriptions.Item label={t('common.account')}>{j.account}</Descriptions.Item>
            <Descriptions.Item label={t('common.partition')}>{j.partition}</Descriptions.Item>
            <Descriptions.Item label={t('common.qos')}>{j.qos}</Descriptions.Item>
            <Descriptions.Item label={t('job.resources')}>
              {t('job.resourcesValue', { nodes: j.nodesReq ?? '—', cpus: j.cpusReq ?? '—', gpus: j.gpusReq ?? 0 })}
            </Descriptions.Item>
            <Descriptions.Item label={t('job.nodeList')}>{j.nodeList}</Descriptions.Item>
            <Descriptions.Item label={t('job.timeLimit')}>
              {j.timeLimitMinutes ? formatDuration(j.timeLimitMinutes * 60) : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('job.submitTime')}>{formatTime(j.submitTime)}</Descriptions.Item>
            <Descriptions.Item label={t('job.startTime')}>{formatTime(j.startTime)}</Descriptions.Item>
            <Descriptions.Item label={t('job.endTime')}>{formatTime(j.endTime)}</Descriptions.Item>
            <Descriptions.Item label={t('job.elapsed')}>{formatDuration(j.elapsedSeconds)}</Descriptions.Item>
            <Descriptions.Item label={t('job.exitCode')}>{j.exitCode}</Descriptions.Item>
            <Descriptions.Item label={t('submit.workingDirectory')}>
              {j.workingDirectory && (
                <Link to={`/files?cluster=${enc(cluster)}&path=${enc(j.workingDirectory)}`}>{j.workingDirectory}</Link>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('submit.stdout')}>
              {stdout && (
                <Space wrap>
                  {stdout}
                  <Button size="small" icon={<FolderOpenOutlined />} onClick={() => openInFiles(stdout)} data-testid="open-output">
                    {t('jobs.openOutput')}
                  </Button>
                </Space>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('submit.stderr')}>
              {stderr && (
                <Space wrap>
                  {stderr}
                  <Button size="small" icon={<FolderOpenOutlined />} onClick={() => openInFiles(stderr)}>
                    {t('jobs.openOutput')}
                  </Button>
                </Space>
              )}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
    </div>
  );
}
