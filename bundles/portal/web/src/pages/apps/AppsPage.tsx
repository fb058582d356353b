import { useState } from 'react';
import { Alert, App, Avatar, Button, Card, Col, Row, Space, Switch, Typography } from 'antd';
import { AppstoreOutlined, CodeOutlined, DesktopOutlined, ExperimentOutlined, RocketOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { AppList, AppSummary, SessionView } from '../../lib/apps';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import LaunchModal from './LaunchModal';
import SessionCard from './SessionCard';

const ICONS: Record<string, JSX.Element> = {
  jupyter: <ExperimentOutlined />,
  vscode: <CodeOutlined />,
  desktop: <DesktopOutlined />,
};

function AppIcon({ app }: { app: AppSummary }) {
  if (app.icon && /^(https?:\/\/|\/|data:image\/)/.test(app.icon)) return <Avatar shape="square" src={app.icon} />;
  return <Avatar shape="square" icon={ICONS[app.icon ?? ''] ?? <AppstoreOutlined />} style={{ background: '#1677ff' }} />;
}

/** Interactive apps of a cluster and the user's sessions as cards that refresh themselves. */
export default function AppsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [auto, setAuto] = useState(true);
  const [launching, setLaunching] = useState<AppSummary>();
  const apps = useAsync(
    () => (cluster ? api.get<AppList>('/api/v1/apps', { cluster }) : Promise.resolve({ apps: [], problems: [] })),
    [cluster],
  );
  const sessions = useAsync(
    () => (cluster ? api.get<SessionView[]>('/api/v1/app-sessions', { cluster }) : Promise.resolve([])),
    [cluster],
    auto ? 5000 : undefined,
  );
  return (
    <div data-testid="apps-page">
      <PageTitle
        title={t('nav.apps')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <Switch checked={auto} onChange={setAuto} checkedChildren={t('jobs.autoRefresh')} unCheckedChildren={t('jobs.autoRefresh')} />
            <RefreshButton onClick={sessions.reload} loading={sessions.loading} />
          </>
        }
      />
      <ErrorAlert error={apps.error} onRetry={apps.reload} />
      {apps.data?.problems.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('apps.problems')}
          description={apps.data.problems.map((p) => <div key={p}>{p}</div>)}
        />
      ) : null}
      <Row gutter={[16, 16]} style={{ marginBottom: 24 }}>
        {(apps.data?.apps ?? []).map((a) => (
          <Col key={a.id} xs={24} sm={12} lg={8} xl={6}>
            <Card
              size="small"
              data-testid={`app-${a.id}`}
              actions={[
                <Button key="launch" type="link" icon={<RocketOutlined />} onClick={() => setLaunching(a)} data-testid="app-launch">
                  {t('apps.launch')}
                </Button>,
              ]}
            >
              <Card.Meta avatar={<AppIcon app={a} />} title={a.name} description={a.description} />
            </Card>
          </Col>
        ))}
      </Row>
      {apps.data && apps.data.apps.length === 0 && <EmptyHint text={t('apps.none')} />}
      <Typography.Title level={4}>{t('apps.sessions')}</Typography.Title>
      <ErrorAlert error={sessions.error} onRetry={sessions.reload} />
      <Space direction="vertical" style={{ width: '100%' }} data-testid="app-sessions">
        {(sessions.data ?? []).map((s) => (
          <SessionCard key={s.id} session={s} onChanged={sessions.reload} />
        ))}
        {sessions.data && sessions.data.length === 0 && <EmptyHint text={t('apps.noSessions')} />}
      </Space>
      {launching && cluster && (
        <LaunchModal
          app={launching}
          cluster={cluster}
          onClose={() => setLaunching(undefined)}
          onLaunched={() => {
            setLaunching(undefined);
            message.success(t('apps.launched', { name: launching.name }));
            sessions.reload();
          }}
        />
      )}
    </div>
  );
}
