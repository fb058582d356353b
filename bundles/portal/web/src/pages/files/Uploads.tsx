import { useRef, useState } from 'react';
import { App, Button, List, Progress, Space, Typography } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useI18n } from '../../i18n/I18n';
import { describeError } from '../../lib/errors';
import { formatBytes, joinPath } from '../../lib/format';
import { uploadFile } from '../../lib/upload';
import { httpUploadTransport } from '../../lib/uploadTransport';

interface Job {
  key: string;
  name: string;
  size: number;
  received: number;
  state: 'uploading' | 'done' | 'failed' | 'cancelled';
  error?: string;
  controller: AbortController;
  file: File;
}

// Upload ids survive a page reload, so a broken upload of a big file continues where it stopped.
const resumeKey = (cluster: string, path: string, file: File) =>
  `scow.upload:${cluster}:${path}:${file.size}:${file.lastModified}`;

export default function Uploads({ cluster, directory, onUploaded }: { cluster: string; directory: string; onUploaded: () => void }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [jobs, setJobs] = useState<Job[]>([]);
  const update = (key: string, change: Partial<Job>) =>
    setJobs((list) => list.map((j) => (j.key === key ? { ...j, ...change } : j)));

  const start = async (file: File, overwrite = false) => {
    const path = joinPath(directory, file.name);
    const key = `${path}:${Date.now()}`;
    const controller = new AbortController();
    setJobs((list) => [...list, { key, name: file.name, size: file.size, received: 0, state: 'uploading', controller, file }]);
    const transport = httpUploadTransport(cluster);
    const storageKey = resumeKey(cluster, path, file);
    const create = transport.create;
    transport.create = async (...args) => {
      const session = await create(...args);
      localStorage.setItem(storageKey, session.id);
      return session;
    };
    let resumeId = localStorage.getItem(storageKey) ?? undefined;
    if (resumeId) {
      const known = await transport.status(resumeId).catch(() => null);
      if (!known || known.path !== path || known.size !== file.size) resumeId = undefined;
    }
    try {
      await uploadFile(transport, path, file, {
        overwrite,
        resumeId,
        signal: controller.signal,
        onProgress: (received) => update(key, { received }),
      }).then(() => localStorage.removeItem(storageKey));
      update(key, { state: 'done', received: file.size });
      onUploaded();
    } catch (e) {
      if ((e as Error).name === 'AbortError') {
        update(key, { state: 'cancelled' });
        return;
      }
      const err = e as { status?: number; code?: string };
      if (!overwrite && (err.status === 409 || err.code === 'ALREADY_EXISTS') && !resumeId) {
        setJobs((list) => list.filter((j) => j.key !== key));
        modal.confirm({
          title: t('files.overwriteQuestion', { name: file.name }),
          okButtonProps: { 'data-testid': 'confirm-overwrite' },
          onOk: () => start(file, true),
        });
        return;
      }
      update(key, { state: 'failed', error: describeError(e, t) });
    }
  };

  const onFiles = (files: FileList | null) => {
    if (!files) return;
    Array.from(files).forEach((f) => void start(f));
    if (input.current) input.current.value = '';
  };

  return (
    <>
      <input ref={input} type="file" multiple hidden data-testid="upload-input" onChange={(e) => onFiles(e.target.files)} />
      <Button icon={<UploadOutlined />} onClick={() => input.current?.click()} data-testid="upload">
        {t('files.upload')}
      </Button>
      {jobs.length > 0 && (
        <div style={{ position: 'fixed', right: 16, bottom: 16, width: 360, maxWidth: 'calc(100vw - 32px)', zIndex: 30, background: '#fff', boxShadow: '0 6px 16px rgba(0,0,0,.12)', borderRadius: 8, padding: 12 }}>
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{t('files.uploads')}</Typography.Text>
            <Button size="small" type="link" onClick={() => setJobs((l) => l.filter((j) => j.state === 'uploading'))}>
              {t('files.clearFinished')}
            </Button>
          </Space>
          <List
            size="small"
            dataSource={jobs}
            renderItem={(job) => (
              <List.Item data-testid="upload-item" data-state={job.state}>
                <div style={{ width: '100%' }}>
                  <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                    <Typography.Text ellipsis style={{ maxWidth: 200 }}>{job.name}</Typography.Text>
                    {job.state === 'uploading' && (
                      <Button size="small" type="link" onClick={() => job.controller.abort()}>
                        {t('common.cancel')}
                      </Button>
                    )}
                    {(job.state === 'failed' || job.state === 'cancelled') && (
                      <Button
                        size="small"
                        type="link"
                        onClick={() => {
                          setJobs((l) => l.filter((j) => j.key !== job.key));
                          void start(job.file);
                        }}
                      >
                        {t('files.resume')}
                      </Button>
                    )}
                  </Space>
                  <Progress
                    data-testid="upload-progress"
                    percent={job.size ? Math.floor((job.received / job.size) * 100) : 100}
                    status={job.state === 'failed' ? 'exception' : job.state === 'done' ? 'success' : 'active'}
                    format={(p) => `${p}%`}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatBytes(job.received)} / {formatBytes(job.size)}
                    {job.error ? ` — ${job.error}` : ''}
                  </Typography.Text>
                </div>
              </List.Item>
            )}
          />
        </div>
      )}
    </>
  );
}
