import { useState } from 'react';
import { App, Button, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

interface Candidate {
  name: string;
  users: string[];
  exists: boolean;
}

/** Accounts that exist on a cluster but not in the platform, imported with an owner into a tenant. */
export default function ImportPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const [tenant, setTenant] = useState('');
  const [owners, setOwners] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<unknown>();
  const candidates = useAsync(
    () => (cluster ? api.get<{ accounts: Candidate[] }>('/api/v1/management/import', { cluster }) : Promise.resolve({ accounts: [] })),
    [cluster],
  );
  const importNow = async () => {
    setBusy(true);
    try {
      const accounts = selected.map((name) => ({
        name,
        owner: owners[name] ?? candidates.data?.accounts.find((a) => a.name === name)?.users[0],
      }));
      const answer = await api.post('/api/v1/management/import', { cluster, tenant: tenant.trim() || undefined, accounts });
      setReport(answer);
      setSelected([]);
      candidates.reload();
      message.success(t('common.done'));
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="import-page">
      <PageTitle
        title={t('nav.import')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <RefreshButton onClick={candidates.reload} loading={candidates.loading} />
          </>
        }
      />
      <ErrorAlert error={candidates.error} onRetry={candidates.reload} />
      <Space wrap style={{ marginBottom: 16 }}>
        <Input placeholder={t('import.tenant')} value={tenant} onChange={(e) => setTenant(e.target.value)} style={{ width: 200 }} />
        <Button type="primary" disabled={!selected.length} loading={busy} onClick={importNow}>
          {t('import.run', { n: selected.length })}
        </Button>
      </Space>
      <Table<Candidate>
        rowKey="name"
        size="small"
        scroll={{ x: true }}
        loading={candidates.loading}
        dataSource={candidates.data?.accounts ?? []}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (a) => ({ disabled: a.exists }),
        }}
        locale={{ emptyText: <EmptyHint text={t('import.empty')} /> }}
        columns={[
          { title: t('common.account'), dataIndex: 'name' },
          {
            title: t('import.state'),
            dataIndex: 'exists',
            render: (exists) => (exists ? <Tag>{t('import.exists')}</Tag> : <Tag color="blue">{t('import.new')}</Tag>),
          },
          {
            title: t('accounts.owner'),
            render: (_, a) => (
              <Select
                size="small"
                style={{ minWidth: 140 }}
                disabled={a.exists}
                value={owners[a.name] ?? a.users[0]}
                options={a.users.map((u) => ({ value: u, label: u }))}
                onChange={(u) => setOwners({ ...owners, [a.name]: u })}
              />
            ),
          },
          { title: t('accounts.members'), dataIndex: 'users', render: (users: string[]) => users.join(', ') },
        ]}
      />
      {report !== undefined && (
        <Typography.Paragraph>
          <pre data-testid="import-report">{JSON.stringify(report, null, 2)}</pre>
        </Typography.Paragraph>
      )}
    </div>
  );
}
