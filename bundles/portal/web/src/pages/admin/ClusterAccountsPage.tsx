import { Space, Table, Tag } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { useAsync, useSelectedCluster } from '../../lib/hooks';
import { ClusterSelect, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

interface ClusterAccount {
  name: string;
  owner: string;
  block: { blocked: boolean; partitions: Record<string, boolean> } | null;
  users: { userId: string; blocked: boolean }[];
}

/** What the scheduler itself holds: accounts, their users and block states on one cluster. */
export default function ClusterAccountsPage() {
  const { t } = useI18n();
  const [cluster, setCluster, clusters] = useSelectedCluster();
  const accounts = useAsync(
    () => (cluster ? api.get<ClusterAccount[]>(`/api/v1/clusters/${enc(cluster)}/accounts`) : Promise.resolve([])),
    [cluster],
  );
  return (
    <div data-testid="cluster-accounts-page">
      <PageTitle
        title={t('nav.clusterAccounts')}
        extra={
          <>
            <ClusterSelect value={cluster} onChange={setCluster} clusters={clusters} />
            <RefreshButton onClick={accounts.reload} loading={accounts.loading} />
          </>
        }
      />
      <ErrorAlert error={accounts.error} onRetry={accounts.reload} />
      <Table<ClusterAccount>
        rowKey="name"
        size="small"
        scroll={{ x: true }}
        loading={accounts.loading}
        dataSource={accounts.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('accounts.emptyCluster')} /> }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('accounts.owner'), dataIndex: 'owner' },
          {
            title: t('account.state'),
            render: (_, a) => (a.block?.blocked ? <Tag color="red">{t('account.blocked')}</Tag> : <Tag color="green">{t('account.normal')}</Tag>),
          },
          {
            title: t('accounts.members'),
            render: (_, a) => (
              <Space size={4} wrap>
                {a.users.map((u) => (
                  <Tag key={u.userId} color={u.blocked ? 'red' : undefined}>
                    {u.userId}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
