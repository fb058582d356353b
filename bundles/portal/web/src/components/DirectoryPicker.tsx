import { useState } from 'react';
import { Button, Input, List, Modal, Space, Typography } from 'antd';
import { FolderOpenOutlined, FolderOutlined, UpOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18n';
import { api, enc } from '../lib/api';
import { useAsync } from '../lib/hooks';
import { joinPath, parentPath } from '../lib/format';
import type { FileListing } from '../lib/types';
import { ErrorAlert } from './common';

/** A path input with a button that browses the cluster's directories. */
export default function DirectoryPicker({
  cluster,
  value,
  onChange,
  testId,
}: {
  cluster?: string;
  value?: string;
  onChange?: (path: string) => void;
  testId?: string;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [dir, setDir] = useState<string>('');
  const listing = useAsync(
    () =>
      open && cluster && dir
        ? api.get<FileListing>(`/api/v1/clusters/${enc(cluster)}/files`, { path: dir, limit: 500, sort: 'name' })
        : Promise.resolve(null),
    [open, cluster, dir],
  );
  const show = async () => {
    let start = value;
    if (!start && cluster) {
      start = (await api.get<{ path: string }>(`/api/v1/clusters/${enc(cluster)}/files/home`).catch(() => null))?.path;
    }
    setDir(start || '/');
    setOpen(true);
  };
  return (
    <>
      <Space.Compact style={{ width: '100%' }}>
        <Input data-testid={testId} value={value} onChange={(e) => onChange?.(e.target.value)} />
        <Button icon={<FolderOpenOutlined />} onClick={show} disabled={!cluster} data-testid="pick-directory">
          {t('files.choose')}
        </Button>
      </Space.Compact>
      <Modal
        open={open}
        title={t('files.chooseDirectory')}
        onCancel={() => setOpen(false)}
        onOk={() => {
          onChange?.(dir);
          setOpen(false);
        }}
        okText={t('files.useThisDirectory')}
      >
        <Space style={{ marginBottom: 8 }}>
          <Button size="small" icon={<UpOutlined />} onClick={() => setDir(parentPath(dir))} />
          <Typography.Text code>{dir}</Typography.Text>
        </Space>
        <ErrorAlert error={listing.error} />
        <List
          size="small"
          loading={listing.loading}
          style={{ maxHeight: 320, overflow: 'auto' }}
          dataSource={(listing.data?.entries ?? []).filter((e) => e.type === 'DIR')}
          locale={{ emptyText: t('files.noSubdirectories') }}
          renderItem={(entry) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => setDir(joinPath(dir, entry.name))}>
              <Space>
                <FolderOutlined />
                {entry.name}
              </Space>
            </List.Item>
          )}
        />
      </Modal>
    </>
  );
}
