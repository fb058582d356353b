import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, Collapse, Popconfirm, Space, Tag, Typography } from 'antd';
import { DesktopOutlined, FolderOpenOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { formatDuration, formatTime } from '../../lib/format';
import { ConnectInfo, SESSION_COLORS, SessionView } from '../../lib/apps';

/**
 * Opens a running session in a new tab. The tab is opened at the click (browsers block tabs opened later), then
 * sent to the app: a GET link, or a POST form with the password field.
 */
async function connect(s: SessionView) {
  const name = `scow-app-${s.id}`;
  const tab = window.open('about:blank', name);
  try {
    const info = await api.get<ConnectInfo>(`/api/v1/app-sessions/${enc(s.id)}/connect`);
    if (info.method === 'GET') {
      if (tab) tab.location.href = info.url;
      else window.location.href = info.url;
      return;
    }
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = info.url;
    form.target = tab ? name : '_self';
    for (const [k, v] of Object.entries(info.form)) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = k;
      input.value = v;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
    form.remove();
  } catch (e) {
    tab?.close();
    throw e;
  }
}

/** One session: its state and what to do with it. */
export default function SessionCard({ session: s, onChanged }: { session: SessionView; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState<string>();
  const run = async (what: string, action: () => Promise<unknown>) => {
    setBusy(what);
    try {
      await action();
      onChanged();
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setBusy(undefined);
    }
  };
  const ended = s.state === 'ENDED';
  return (
    <Card
      size="small"
      data-testid="app-session"
      title={
        <Space wrap>
          <span>{s.appName}</span>
          <Tag color={s.failed ? 'red' : SESSION_COLORS[s.state]} data-testid="app-session-state">
            {t(`apps.state.${s.state}` as 'apps.state.QUEUED')}
          </Tag>
        </Space>
      }
      extra={<Typography.Text type="secondary">{t('apps.job', { cluster: s.cluster, id: s.jobId })}</Typography.Text>}
      actions={[
        s.state === 'RUNNING' ? (
          <Button
            key="connect"
            type="primary"
            icon={<DesktopOutlined />}
            data-testid="app-connect"
            loading={busy === 'connect'}
            onClick={() => run('connect', () => connect(s))}
          >
            {t('apps.connect')}
          </Button>
        ) : null,
        !ended ? (
          <Popconfirm key="cancel" title={t('apps.cancelConfirm')} onConfirm={() => run('cancel', () => api.del(`/api/v1/app-sessions/${enc(s.id)}`))}>
            <Button danger icon={<StopOutlined />} data-testid="app-cancel" loading={busy === 'cancel'}>
              {t('apps.cancel')}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            key="relaunch"
            icon={<RedoOutlined />}
            data-testid="app-relaunch"
            loading={busy === 'relaunch'}
            onClick={() => run('relaunch', () => api.post(`/api/v1/app-sessions/${enc(s.id)}/relaunch`))}
          >
            {t('apps.relaunch')}
          </Button>
        ),
        <Button
          key="dir"
          icon={<FolderOpenOutlined />}
          data-testid="app-dir"
          onClick={() => {
            localStorage.setItem('scow.cluster', s.cluster);
            navigate(`/files?path=${enc(s.sessionDir)}`);
          }}
        >
          {t('apps.openDir')}
        </Button>,
      ].filter(Boolean)}
    >
      <Space direction="vertical" size={2} style={{ width: '100%' }}>
        <Typography.Text data-testid="app-session-message" type={s.failed ? 'danger' : undefined}>
          {s.message}
        </Typography.Text>
        <Typography.Text type="secondary">
          {t('apps.submitted', { time: formatTime(s.submitTime) })}
          {s.expectedStart ? ` · ${t('apps.expectedStart', { time: formatTime(s.expectedStart) })}` : ''}
          {s.timeLeftSeconds != null && !ended ? ` · ${t('apps.timeLeft', { time: formatDuration(s.timeLeftSeconds) })}` : ''}
          {s.endTime && ended ? ` · ${t('apps.ended', { time: formatTime(s.endTime) })}` : ''}
        </Typography.Text>
        {s.logTail && (
          <Collapse
            size="small"
            items={[
              {
                key: 'log',
                label: t('apps.log'),
                children: (
                  <pre data-testid="app-log" style={{ maxHeight: 240, overflow: 'auto', margin: 0, fontSize: 12 }}>
                    {s.logTail}
                  </pre>
                ),
              },
            ]}
          />
        )}
      </Space>
    </Card>
  );
}
