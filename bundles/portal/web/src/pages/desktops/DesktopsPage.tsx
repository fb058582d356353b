import { useState } from 'react';
import { App, Button, Card, Col, Popconfirm, Row, Select, Space, Tag, Typography } from 'antd';
import { DesktopOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { ConnectInfo } from '../../lib/apps';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

interface WindowManager {
  id: string;
  label: string;
}

interface Desktop {
  id: string;
  cluster: string;
  node: string;
  display: number;
  windowManager: string;
  created: string;
  proxyPath: string;
}

interface Overview {
  desktops: Desktop[];
  maxPerUser: number;
  windowManagers: WindowManager[];
}

/**
 * Desktops on the cluster's login node (not jobs, as in SCOW): create one with a window manager, open it in a new
 * tab (noVNC through the platform's proxy), end it. The limit per user is the administrator's.
 */
export default function DesktopsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [wm, setWm] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const overview = useAsync(
    () => (cluster ? api.get<Overview>(`/api/v1/clusters/${enc(cluster)}/desktops`) : Promise.resolve(undefined)),
    [cluster],
  );
  const base = cluster ? `/api/v1/clusters/${enc(cluster)}/desktops` : '';
  const managers = overview.data?.windowManagers ?? [];
  const chosen = wm && managers.some((m) => m.id === wm) ? wm : managers[0]?.id;
  const desktops = overview.data?.desktops ?? [];
  const full = overview.data ? desktops.length >= overview.data.maxPerUser : false;

  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    try {
      await action();
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setBusy(undefined);
      overview.reload();
    }
  };

  /** The tab is opened at the click (browsers block tabs opened later), then sent to noVNC's page. */
  const connect = async (d: Desktop) => {
    const tab = window.open('about:blank', `scow-desktop-${d.id}`);
    try {
      const info = await api.get<ConnectInfo>(`${base}/${enc(d.id)}/connect`);
      if (tab) tab.location.href = info.url;
      else window.location.href = info.url;
    } catch (e) {
      tab?.close();
      throw e;
    }
  };

  return (
    <div data-testid="desktops-page">
      <PageTitle
        title={t('nav.desktops')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <RefreshButton onClick={overview.reload} loading={overview.loading} />
          </>
        }
      />
      <ErrorAlert error={overview.error} onRetry={overview.reload} />
      {overview.data && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Typography.Text>{t('desktops.windowManager')}</Typography.Text>
          <Select
            data-testid="desktop-wm"
            style={{ minWidth: 180 }}
            value={chosen}
            onChange={setWm}
            options={managers.map((m) => ({ value: m.id, label: m.label }))}
            notFoundContent={t('desktops.noWindowManager')}
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="desktop-create"
            disabled={!chosen || full}
            loading={busy === 'create'}
            onClick={() =>
              run('create', async () => {
                await api.post(base, { windowManager: chosen });
                message.success(t('desktops.created'));
              })
            }
          >
            {t('desktops.create')}
          </Button>
          <Typography.Text type="secondary" data-testid="desktop-count">
            {t('desktops.count', { count: desktops.length, max: overview.data.maxPerUser })}
          </Typography.Text>
        </Space>
      )}
      <Row gutter={[16, 16]} data-testid="desktops">
        {desktops.map((d) => (
          <Col key={d.id} xs={24} sm={12} lg={8}>
            <Card
              size="small"
              data-testid="desktop"
              title={
                <Space>
                  <DesktopOutlined />
                  <span>{t('desktops.display', { display: d.display, node: d.node })}</span>
                  <Tag color="blue">{managers.find((m) => m.id === d.windowManager)?.label ?? d.windowManager}</Tag>
                </Space>
              }
              actions={[
                <Button
                  key="connect"
                  type="primary"
                  icon={<DesktopOutlined />}
                  data-testid="desktop-connect"
                  loading={busy === `connect-${d.id}`}
                  onClick={() => run(`connect-${d.id}`, () => connect(d))}
                >
                  {t('apps.connect')}
                </Button>,
                <Popconfirm
                  key="kill"
                  title={t('desktops.killConfirm')}
                  onConfirm={() => run(`kill-${d.id}`, () => api.del(`${base}/${enc(d.id)}`))}
                >
                  <Button danger icon={<StopOutlined />} data-testid="desktop-kill" loading={busy === `kill-${d.id}`}>
                    {t('desktops.kill')}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <Typography.Text type="secondary">{t('desktops.createdAt', { time: formatTime(d.created) })}</Typography.Text>
            </Card>
          </Col>
        ))}
      </Row>
      {overview.data && desktops.length === 0 && <EmptyHint text={t('desktops.none')} />}
    </div>
  );
}
