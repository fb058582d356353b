import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useVirtualizer } from '@tanstack/react-virtual';
import { App, Breadcrumb, Button, Checkbox, Dropdown, Grid, Input, Space, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  ArrowUpOutlined,
  CaretDownOutlined,
  CaretUpOutlined,
  CodeOutlined,
  CopyOutlined,
  DeleteOutlined,
  DownloadOutlined,
  FileAddOutlined,
  FileOutlined,
  FolderAddOutlined,
  FolderOutlined,
  HomeOutlined,
  LinkOutlined,
  MoreOutlined,
  ScissorOutlined,
} from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc, queryString, request } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { useSelectedCluster } from '../../lib/hooks';
import { formatBytes, formatTime, joinPath, parentPath } from '../../lib/format';
import type { FileEntry } from '../../lib/types';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import { useDirectory } from './useDirectory';
import Uploads from './Uploads';

const FileViewer = lazy(() => import('./FileViewer'));
const ROW_HEIGHT = 40;
type SortKey = 'name' | 'size' | 'modifiedAt' | 'type';

export default function FilesPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const [selectedCluster, setCluster, clusters] = useSelectedCluster();
  const cluster = params.get('cluster') ?? selectedCluster;
  const [home, setHome] = useState<string>();
  const [homeError, setHomeError] = useState<unknown>();
  const path = params.get('path') ?? home;
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'name', desc: false });
  const dir = useDirectory(cluster, path, (sort.desc ? '-' : '') + sort.key);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [viewing, setViewing] = useState<{ entry: FileEntry; edit: boolean } | null>(null);
  const [pathInput, setPathInput] = useState('');
  const highlight = params.get('select');

  useEffect(() => {
    if (!cluster) return;
    setHome(undefined);
    setHomeError(undefined);
    api
      .get<{ path: string }>(`/api/v1/clusters/${enc(cluster)}/files/home`)
      .then((h) => setHome(h.path))
      .catch((e) => setHomeError(e));
  }, [cluster]);
  useEffect(() => {
    setChecked(new Set());
    setPathInput(path ?? '');
  }, [path, cluster]);

  const go = (next: string, select?: string) => {
    const p = new URLSearchParams();
    if (cluster) p.set('cluster', cluster);
    p.set('path', next);
    if (select) p.set('select', select);
    setParams(p);
  };

  const base = `/api/v1/clusters/${enc(cluster ?? '')}/files`;
  const contentUrl = (p: string, inline = false) => `${base}/content${queryString({ path: p, inline })}`;

  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) message.success(done);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      dir.reload();
    }
  };

  const ask = (title: string, initial: string, onOk: (value: string) => Promise<unknown>) => {
    let value = initial;
    modal.confirm({
      title,
      icon: null,
      content: (
        <Input
          data-testid="prompt-input"
          defaultValue={initial}
          autoFocus
          onChange={(e) => (value = e.target.value)}
        />
      ),
      okButtonProps: { 'data-testid': 'prompt-ok' },
      onOk: () => (value.trim() ? onOk(value.trim()) : Promise.resolve()),
    });
  };

  const newFolder = () =>
    ask(t('files.newFolder'), '', (name) => run(() => api.post(`${base}/mkdir`, { path: joinPath(path!, name) })));
  const newFile = () =>
    ask(t('files.newFile'), '', (name) =>
      run(() => request('PUT', `${base}/content`, { query: { path: joinPath(path!, name), createOnly: true }, raw: new Blob([]) })),
    );
  const rename = (entry: FileEntry) =>
    ask(t('common.rename'), entry.name, (name) =>
      run(() => api.post(`${base}/move`, { from: joinPath(path!, entry.name), to: joinPath(path!, name) })),
    );
  const transfer = (kind: 'move' | 'copy', names: string[]) =>
    ask(kind === 'move' ? t('files.moveTo') : t('files.copyTo'), path!, (target) =>
      run(async () => {
        for (const name of names) {
          await api.post(`${base}/${kind}`, { from: joinPath(path!, name), to: joinPath(target, name) });
        }
        setChecked(new Set());
      }, kind === 'move' ? t('files.moved') : t('files.copied')),
    );
  const remove = (names: string[]) =>
    modal.confirm({
      title: t('files.confirmDelete', { n: names.length }),
      content: names.slice(0, 10).join(', ') + (names.length > 10 ? ' …' : ''),
      okType: 'danger',
      okButtonProps: { 'data-testid': 'confirm-delete' },
      onOk: () =>
        run(async () => {
          for (const name of names) await api.del(base, { path: joinPath(path!, name), recursive: true });
          setChecked(new Set());
        }, t('files.deleted')),
    });
  const submitScript = (entry: FileEntry) =>
    run(async () => {
      const script = await request<string>('GET', `${base}/content`, { query: { path: joinPath(path!, entry.name), inline: true } });
      const job = await api.post<{ jobId: string }>(`/api/v1/clusters/${enc(cluster!)}/jobs/script`, {
        user: me!.user,
        script,
        workingDirectory: path,
      });
      navigate(`/jobs/${enc(cluster!)}/${enc(job.jobId)}`);
    });

  const actions = (entry: FileEntry): MenuProps['items'] => {
    const isDir = entry.type === 'DIR';
    const items: MenuProps['items'] = [
      { key: 'download', icon: <DownloadOutlined />, label: <a href={contentUrl(joinPath(path!, entry.name))} download>{isDir ? t('files.downloadZip') : t('files.download')}</a> },
    ];
    if (!isDir) {
      items.push({ key: 'preview', label: t('files.preview'), onClick: () => setViewing({ entry, edit: false }) });
      items.push({ key: 'edit', label: t('files.edit'), onClick: () => setViewing({ entry, edit: true }) });
      items.push({ key: 'submit', label: t('files.submitAsJob'), onClick: () => submitScript(entry) });
    } else {
      items.push({ key: 'terminal', icon: <CodeOutlined />, label: t('files.openTerminal'), onClick: () => navigate(`/shell?cluster=${enc(cluster!)}&path=${enc(joinPath(path!, entry.name))}`) });
    }
    items.push(
      { key: 'rename', label: t('common.rename'), onClick: () => rename(entry) },
      { key: 'move', icon: <ScissorOutlined />, label: t('files.move'), onClick: () => transfer('move', [entry.name]) },
      { key: 'copy', icon: <CopyOutlined />, label: t('files.copy'), onClick: () => transfer('copy', [entry.name]) },
      { key: 'delete', icon: <DeleteOutlined />, danger: true, label: t('common.delete'), onClick: () => remove([entry.name]) },
    );
    return items;
  };

  const parentRef = useRef<HTMLDivElement>(null);
  const count = dir.total ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });

  useEffect(() => {
    if (!highlight) return;
    const index = dir.loaded.findIndex((e) => e.name === highlight);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [highlight, dir.loaded.length]);

  const wide = screens.md;
  const columns = wide ? '32px minmax(160px, 1fr) 110px 170px 100px 48px' : '32px minmax(120px, 1fr) 90px 48px';
  const sortHeader = (key: SortKey, label: string) => (
    <span
      role="button"
      data-testid={`sort-${key}`}
      style={{ cursor: 'pointer', userSelect: 'none' }}
      onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : false }))}
    >
      {label} {sort.key === key && (sort.desc ? <CaretDownOutlined /> : <CaretUpOutlined />)}
    </span>
  );

  const crumbs = useMemo(() => {
    if (!path) return [];
    const parts = path.split('/').filter(Boolean);
    return [
      { title: <a onClick={() => go('/')}>/</a> },
      ...parts.map((part, i) => {
        const target = '/' + parts.slice(0, i + 1).join('/');
        return { title: <a onClick={() => go(target)}>{part}</a> };
      }),
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [path, cluster]);

  const allNames = dir.loaded.map((e) => e.name);
  return (
    <div data-testid="files-page">
      <PageTitle
        title={t('nav.files')}
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
            <RefreshButton onClick={dir.reload} />
          </>
        }
      />
      <ErrorAlert error={homeError} />
      <Space wrap style={{ marginBottom: 8 }}>
        <Button icon={<HomeOutlined />} onClick={() => home && go(home)} data-testid="go-home" />
        <Button icon={<ArrowUpOutlined />} onClick={() => path && go(parentPath(path))} data-testid="go-up" />
        <Input
          data-testid="path-input"
          style={{ width: wide ? 360 : 200 }}
          value={pathInput}
          onChange={(e) => setPathInput(e.target.value)}
          onPressEnter={() => pathInput.startsWith('/') && go(pathInput)}
        />
        <Button icon={<FolderAddOutlined />} onClick={newFolder} disabled={!path} data-testid="new-folder">
          {wide && t('files.newFolder')}
        </Button>
        <Button icon={<FileAddOutlined />} onClick={newFile} disabled={!path} data-testid="new-file">
          {wide && t('files.newFile')}
        </Button>
        {cluster && path && <Uploads cluster={cluster} directory={path} onUploaded={dir.reload} />}
        <Button
          icon={<CodeOutlined />}
          disabled={!path}
          onClick={() => navigate(`/shell?cluster=${enc(cluster!)}&path=${enc(path!)}`)}
          data-testid="open-terminal-here"
        >
          {wide && t('files.openTerminal')}
        </Button>
      </Space>
      <Breadcrumb items={crumbs} style={{ marginBottom: 8 }} />
      {checked.size > 0 && (
        <Space wrap style={{ marginBottom: 8 }}>
          <Typography.Text>{t('files.selected', { n: checked.size })}</Typography.Text>
          <Button size="small" onClick={() => transfer('move', [...checked])}>{t('files.move')}</Button>
          <Button size="small" onClick={() => transfer('copy', [...checked])}>{t('files.copy')}</Button>
          <Button size="small" danger onClick={() => remove([...checked])} data-testid="delete-selected">
            {t('common.delete')}
          </Button>
        </Space>
      )}
      <ErrorAlert error={dir.error} onRetry={dir.reload} />
      <div style={{ border: '1px solid #f0f0f0', borderRadius: 8, background: '#fff' }}>
        <div
          style={{
            display: 'grid',
            gridTemplateColumns: columns,
            alignItems: 'center',
            padding: '8px 8px',
            fontWeight: 600,
            background: '#fafafa',
            borderBottom: '1px solid #f0f0f0',
            gap: 8,
          }}
        >
          <Checkbox
            checked={allNames.length > 0 && checked.size === allNames.length}
            indeterminate={checked.size > 0 && checked.size < allNames.length}
            onChange={(e) => setChecked(e.target.checked ? new Set(allNames) : new Set())}
          />
          {sortHeader('name', t('files.name'))}
          {sortHeader('size', t('files.size'))}
          {wide && sortHeader('modifiedAt', t('files.modifiedAt'))}
          {wide && <span>{t('files.mode')}</span>}
          <span />
        </div>
        <div ref={parentRef} data-testid="file-list" style={{ height: 'calc(100vh - 330px)', minHeight: 280, overflow: 'auto' }}>
          {dir.loading && <Spin style={{ display: 'block', margin: 32 }} />}
          {!dir.loading && count === 0 && !dir.error && <EmptyHint text={t('files.emptyDirectory')} />}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const entry = dir.entryAt(row.index);
              return (
                <div
                  key={row.key}
                  data-testid={entry ? `file-row-${entry.name}` : undefined}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${row.start}px)`,
                    display: 'grid',
                    gridTemplateColumns: columns,
                    alignItems: 'center',
                    gap: 8,
                    padding: '0 8px',
                    borderBottom: '1px solid #f5f5f5',
                    background: entry && entry.name === highlight ? '#e6f4ff' : undefined,
                  }}
                >
                  {entry ? (
                    <>
                      <Checkbox
                        checked={checked.has(entry.name)}
                        onChange={(e) => {
                          const next = new Set(checked);
                          if (e.target.checked) next.add(entry.name);
                          else next.delete(entry.name);
                          setChecked(next);
                        }}
                      />
                      <a
                        style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}
                        data-testid="file-name"
                        onClick={() =>
                          entry.type === 'DIR' ? go(joinPath(path!, entry.name)) : setViewing({ entry, edit: false })
                        }
                      >
                        {entry.type === 'DIR' ? <FolderOutlined /> : entry.type === 'LINK' ? <LinkOutlined /> : <FileOutlined />}{' '}
                        {entry.name}
                      </a>
                      <span>{entry.type === 'DIR' ? '' : formatBytes(entry.size)}</span>
                      {wide && <span>{formatTime(entry.modifiedAt)}</span>}
                      {wide && <Typography.Text code>{String(entry.mode ?? '')}</Typography.Text>}
                      <Dropdown menu={{ items: actions(entry) }} trigger={['click']}>
                        <Button size="small" type="text" icon={<MoreOutlined />} data-testid="file-actions" />
                      </Dropdown>
                    </>
                  ) : (
                    <span style={{ gridColumn: '2', color: '#bbb' }}>…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <Typography.Text type="secondary">{dir.total !== null ? t('files.count', { n: dir.total }) : ''}</Typography.Text>
      {viewing && cluster && path && (
        <Suspense fallback={null}>
          <FileViewer
            cluster={cluster}
            path={joinPath(path, viewing.entry.name)}
            entry={viewing.entry}
            edit={viewing.edit}
            onClose={(changed) => {
              setViewing(null);
              if (changed) dir.reload();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
