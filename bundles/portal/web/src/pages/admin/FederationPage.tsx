import { useState } from 'react';
import { DatePicker, Descriptions, Select, Space, Table, Tag } from 'antd';
import dayjs, { Dayjs } from 'dayjs';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatMoney, formatTime } from '../../lib/format';
import { CsvButton, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

interface PeerView {
  id: string;
  name: string;
  reachability?: { reachable: boolean; problem?: string | null };
}

interface Entry {
  seq: number;
  direction: 'OWED_BY_PEER' | 'OWED_TO_PEER';
  cluster: string;
  jobId: string;
  account: string;
  user: string;
  endTime: string;
  amount: number;
  note?: string | null;
}

interface Statement {
  center: string;
  peer: string;
  from: string;
  to: string;
  jobsOwedByPeer: number;
  owedByPeer: number;
  jobsOwedToPeer: number;
  owedToPeer: number;
  net: number;
  entries: Entry[];
}

const PATH = '/api/v1/federation/settlement/statement';

/**
 * The settlement statement with one peer center for one month: who owes whom, per account and job, as both centers
 * keep it (the peer shows the same figures the other way round), with a CSV export.
 */
export default function FederationPage() {
  const { t } = useI18n();
  const peers = useAsync(() => api.get<PeerView[]>('/api/v1/federation/peers'), []);
  const [peer, setPeer] = useState<string>();
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const chosen = peer ?? peers.data?.[0]?.id;
  const query = { peer: chosen, from: month.startOf('month').toISOString(), to: month.add(1, 'month').startOf('month').toISOString() };
  const statement = useAsync(
    () => (chosen ? api.get<Statement>(PATH, query) : Promise.resolve(null)),
    [chosen, month.valueOf()],
  );
  const s = statement.data;
  return (
    <div data-testid="federation-page">
      <PageTitle
        title={t('nav.federation')}
        extra={
          <Space wrap>
            <Select
              data-testid="federation-peer"
              style={{ minWidth: 200 }}
              placeholder={t('federation.peer')}
              value={chosen}
              onChange={setPeer}
              options={(peers.data ?? []).map((p) => ({
                value: p.id,
                label: `${p.name} (${p.id})${p.reachability && !p.reachability.reachable ? ' - ' + t('federation.unreachable') : ''}`,
              }))}
            />
            <DatePicker
              data-testid="federation-month"
              picker="month"
              allowClear={false}
              value={month}
              onChange={(m) => m && setMonth(m.startOf('month'))}
            />
            {chosen && <CsvButton path={PATH} query={query} />}
            <RefreshButton onClick={statement.reload} loading={statement.loading} />
          </Space>
        }
      />
      <ErrorAlert error={peers.error ?? statement.error} onRetry={statement.reload} />
      {!chosen && !peers.loading && <EmptyHint text={t('federation.noPeers')} />}
      {s && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('federation.owedByPeer', { peer: s.peer })}>
              <span data-testid="owed-by-peer">{formatMoney(s.owedByPeer)}</span> ({t('federation.jobs', { n: s.jobsOwedByPeer })})
            </Descriptions.Item>
            <Descriptions.Item label={t('federation.owedToPeer', { peer: s.peer })}>
              <span data-testid="owed-to-peer">{formatMoney(s.owedToPeer)}</span> ({t('federation.jobs', { n: s.jobsOwedToPeer })})
            </Descriptions.Item>
            <Descriptions.Item label={t('federation.net')}>
              <span data-testid="statement-net">{formatMoney(s.net)}</span>
            </Descriptions.Item>
          </Descriptions>
          <Table<Entry>
            data-testid="statement-entries"
            rowKey={(e) => `${e.direction} ${e.cluster} ${e.jobId}`}
            size="small"
            scroll={{ x: true }}
            dataSource={s.entries}
            locale={{ emptyText: <EmptyHint text={t('federation.noEntries')} /> }}
            columns={[
              {
                title: t('federation.direction'),
                dataIndex: 'direction',
                render: (d: Entry['direction']) =>
                  d === 'OWED_BY_PEER' ? <Tag color="green">{t('federation.theyOwe')}</Tag> : <Tag color="orange">{t('federation.weOwe')}</Tag>,
              },
              { title: t('common.cluster'), dataIndex: 'cluster' },
              { title: t('federation.job'), dataIndex: 'jobId' },
              { title: t('common.account'), dataIndex: 'account' },
              { title: t('common.user'), dataIndex: 'user' },
              { title: t('federation.ended'), dataIndex: 'endTime', render: formatTime },
              { title: t('federation.amount'), dataIndex: 'amount', render: formatMoney },
              { title: t('common.comment'), dataIndex: 'note', render: (n?: string | null) => n ?? '' },
            ]}
          />
        </>
      )}
    </div>
  );
}
