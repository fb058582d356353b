import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Select, Tag } from 'antd';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { useI18n } from '../i18n/I18n';
import { api, enc, queryString } from '../lib/api';
import { useAsync, useSelectedCluster } from '../lib/hooks';
import type { LoginNode } from '../lib/types';
import { ClusterSelect, ErrorAlert, PageTitle } from '../components/common';

type Status = 'connecting' | 'open' | 'closed' | 'error';

/** The WebSocket address of the shell endpoint, on the page's own origin. */
export function shellUrl(location: Location, query: Record<string, string | number | undefined>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/shell${queryString(query)}`;
}

export default function ShellPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const [selected, setCluster, clusters] = useSelectedCluster();
  const cluster = params.get('cluster') ?? selected;
  const path = params.get('path') ?? undefined;
  const nodes = useAsync(
    () => (cluster ? api.get<LoginNode[]>(`/api/v1/clusters/${enc(cluster)}/login-nodes`) : Promise.resolve([])),
    [cluster],
  );
  const node = params.get('node') ?? nodes.data?.[0]?.name;
  const holder = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<Status>('connecting');
  const [problem, setProblem] = useState<string>();
  const [session, setSession] = useState(0);

  useEffect(() => {
    if (!cluster || !node || !holder.current) return undefined;
    const term = new Terminal({ cursorBlink: true, fontSize: 14, convertEol: false, scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(holder.current);
    fit.fit();
    setStatus('connecting');
    setProblem(undefined);
    const socket = new WebSocket(shellUrl(window.location, { cluster, node, path, cols: term.cols, rows: term.rows }));
    socket.binaryType = 'arraybuffer';
    const send = (message: object) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message));
    socket.onopen = () => {
      setStatus('open');
      term.focus();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') {
        try {
          const message = JSON.parse(event.data) as { type: string; status?: number; message?: string };
          if (message.type === 'exit') {
            term.write(`\r\n[${t('shell.exited', { status: message.status ?? '' })}]\r\n`);
            setStatus('closed');
          } else if (message.type === 'error') {
            setProblem(message.message);
            setStatus('error');
          }
        } catch {
          term.write(event.data);
        }
      } else {
        term.write(new Uint8Array(event.data as ArrayBuffer));
      }
    };
    socket.onerror = () => setStatus('error');
    socket.onclose = (event) => {
      setStatus((s) => (s === 'error' ? s : 'closed'));
      if (event.code !== 1000 && event.reason) setProblem(event.reason);
    };
    const input = term.onData((data) => send({ type: 'input', data }));
    const resize = term.onResize(({ cols, rows }) => send({ type: 'resize', cols, rows }));
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        // the terminal is being disposed
      }
    });
    observer.observe(holder.current);
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      socket.close(1000);
      term.dispose();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster, node, path, session]);

  const color = { connecting: 'gold', open: 'green', closed: 'default', error: 'red' }[status];
  return (
    <div data-testid="shell-page">
      <PageTitle
        title={t('nav.shell')}
        extra={
          <>
            <ClusterSelect
              value={cluster}
              onChange={(id) => {
                setCluster(id);
                setParams(new URLSearchParams({ cluster: id }));
              }}
              clusters={clusters}
            />
            <Select
              data-testid="login-node-select"
              style={{ minWidth: 140 }}
              value={node}
              placeholder={t('shell.loginNode')}
              options={(nodes.data ?? []).map((n) => ({ value: n.name, label: `${n.name} (${n.host})` }))}
              onChange={(value) => {
                const next = new URLSearchParams(params);
                next.set('node', value);
                if (cluster) next.set('cluster', cluster);
                setParams(next);
              }}
            />
            <Tag color={color} data-testid="shell-status">
              {t(`shell.${status}`)}
            </Tag>
            <Button onClick={() => setSession((n) => n + 1)} data-testid="reconnect">
              {t('shell.reconnect')}
            </Button>
          </>
        }
      />
      <ErrorAlert error={nodes.error} onRetry={nodes.reload} />
      {nodes.data && nodes.data.length === 0 && <Alert type="info" showIcon message={t('shell.noLoginNodes')} />}
      {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 8 }} />}
      {path && <Alert type="info" message={t('shell.startsIn', { path })} style={{ marginBottom: 8 }} />}
      <div
        ref={holder}
        data-testid="terminal"
        style={{ height: 'calc(100vh - 260px)', minHeight: 300, background: '#000', padding: 4, borderRadius: 6 }}
      />
    </div>
  );
}
