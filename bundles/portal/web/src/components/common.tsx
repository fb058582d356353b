import { ReactNode } from 'react';
import { Alert, Button, Empty, Select, Space, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../i18n/I18n';
import { describeError } from '../lib/errors';
import { Query, queryString } from '../lib/api';
import type { ClusterView, JobState } from '../lib/types';

/** The API's error in words the user understands, or nothing. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <Alert
      data-testid="error"
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={describeError(error, t)}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function EmptyHint({ text, action }: { text: string; action?: ReactNode }) {
  return (
    <Empty data-testid="empty" description={text}>
      {action}
    </Empty>
  );
}

export function PageTitle({ title, extra }: { title: string; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, justifyContent: 'space-between', marginBottom: 16 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Space wrap>{extra}</Space>
    </div>
  );
}

export function ClusterSelect({
  value,
  onChange,
  clusters,
}: {
  value: string | undefined;
  onChange: (id: string) => void;
  clusters: ClusterView[];
}) {
  const { t } = useI18n();
  return (
    <Select
      data-testid="cluster-select"
      style={{ minWidth: 160 }}
      value={value}
      placeholder={t('common.cluster')}
      onChange={onChange}
      options={clusters.map((c) => ({
        value: c.id,
        label: c.online ? c.displayName || c.id : `${c.displayName || c.id} (${t('dashboard.offline')})`,
      }))}
    />
  );
}

export function RefreshButton({ onClick, loading }: { onClick: () => void; loading?: boolean }) {
  const { t } = useI18n();
  return (
    <Button icon={<ReloadOutlined />} onClick={onClick} loading={loading} data-testid="refresh">
      {t('common.refresh')}
    </Button>
  );
}

const STATE_COLORS: Partial<Record<JobState, string>> = {
  PENDING: 'gold',
  RUNNING: 'blue',
  COMPLETING: 'cyan',
  COMPLETED: 'green',
  CANCELLED: 'default',
  FAILED: 'red',
  TIMEOUT: 'volcano',
  OUT_OF_MEMORY: 'magenta',
  NODE_FAIL: 'red',
};

export function StateTag({ state }: { state: JobState }) {
  return (
    <Tag data-testid="job-state" color={STATE_COLORS[state] ?? 'default'}>
      {state}
    </Tag>
  );
}

/** A download of a list as CSV (the API answers text/csv for format=csv); the browser saves it. */
export function CsvButton({ path, query }: { path: string; query?: Query }) {
  const { t } = useI18n();
  return (
    <Button
      data-testid="export-csv"
      icon={<DownloadOutlined />}
      href={path + queryString({ ...query, format: 'csv' })}
      download
    >
      {t('common.exportCsv')}
    </Button>
  );
}
