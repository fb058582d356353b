import { App, Button, Popconfirm, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { formatDuration, formatTime } from '../../lib/format';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { SESSION_COLORS, SessionView } from '../../lib/apps';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

/** Every user's interactive app sessions on a cluster, for platform admins, who may end any of them. */
export default function AppSessionsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const sessions = useAsync(
    () => (cluster ? api.get<SessionView[]>('/api/v1/app-sessions/all', { cluster }) : Promise.resolve([])),
    [cluster],
    10000,
  );
  const kill = async (s: SessionView) => {
    try {
      await api.del(`/api/v1/app-sessions/${enc(s.id)}`);
      sessions.reload();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };
  return (
    <div data-testid="app-sessions-admin">
      <PageTitle
        title={t('nav.appSessions')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <RefreshButton onClick={sessions.reload} loading={sessions.loading} />
          </>
        }
      />
      <ErrorAlert error={sessions.error} onRetry={sessions.reload} />
      <Table<SessionView>
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={sessions.loading && !sessions.data}
        dataSource={sessions.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('apps.noSessionsAll')} /> }}
        columns={[
          { title: t('common.user'), dataIndex: 'owner' },
          { title: t('apps.app'), dataIndex: 'appName' },
          { title: t('job.id'), dataIndex: 'jobId' },
          {
            title: t('job.state'),
            render: (_, s) => (
              <Tag color={s.failed ? 'red' : SESSION_COLORS[s.state]}>{t(`apps.state.${s.state}` as 'apps.state.QUEUED')}</Tag>
            ),
          },
          {
            title: t('apps.status'),
            render: (_, s) => <Typography.Text type={s.failed ? 'danger' : 'secondary'}>{s.message}</Typography.Text>,
          },
          { title: t('job.submitTime'), dataIndex: 'submitTime', render: formatTime },
          { title: t('apps.left'), dataIndex: 'timeLeftSeconds', render: (v) => (v == null ? '' : formatDuration(v)) },
          {
            title: t('common.actions'),
            render: (_, s) =>
              s.state === 'ENDED' ? null : (
                <Popconfirm title={t('apps.killConfirm', { user: s.owner })} onConfirm={() => kill(s)}>
                  <Button danger size="small" data-testid="app-kill">
                    {t('apps.cancel')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
    </div>
  );
}
