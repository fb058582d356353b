import { Alert, Input, Table } from 'antd';
import { useState } from 'react';
import { useI18n } from '../../i18n/I18n';
import { api } from '../../lib/api';
import { useAsync, useClusters } from '../../lib/hooks';
import { formatTime } from '../../lib/format';
import { EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import FormModal from '../../components/FormModal';

interface Price {
  id: number;
  tenant: string | null;
  cluster: string;
  partition: string;
  qos: string | null;
  price: number;
  amount: string;
  validFrom: string;
  createdBy: string;
  comment: string | null;
}

export default function PricesPage() {
  const { t } = useI18n();
  const [tenant, setTenant] = useState('');
  const clusters = useClusters();
  const prices = useAsync(() => api.get<Price[]>('/api/v1/billing/prices', { tenant }), [tenant]);
  const missing = useAsync(() => api.get<string[]>('/api/v1/billing/prices/missing').catch(() => []), []);
  return (
    <div data-testid="prices-page">
      <PageTitle
        title={t('nav.prices')}
        extra={
          <>
            <Input.Search placeholder={t('prices.tenantFilter')} allowClear onSearch={setTenant} style={{ width: 220 }} />
            <FormModal
              testId="add-price"
              trigger={t('prices.add')}
              title={t('prices.add')}
              fields={[
                { name: 'cluster', label: t('common.cluster'), type: 'select', required: true, options: (clusters.data ?? []).map((c) => ({ value: c.id, label: c.id })) },
                { name: 'partition', label: t('common.partition'), required: true },
                { name: 'qos', label: t('common.qos') },
                { name: 'price', label: t('prices.price'), type: 'number', required: true, min: 0 },
                {
                  name: 'amount',
                  label: t('prices.amount'),
                  type: 'select',
                  initial: 'CPUS',
                  options: ['CPUS', 'GPUS', 'MAX_CPUS_MEM', 'MAX_GPUS_CPUS'].map((v) => ({ value: v, label: t(`prices.amount.${v}` as 'prices.amount.CPUS') })),
                },
                { name: 'tenant', label: t('common.tenant'), placeholder: t('prices.defaultTable') },
                { name: 'validFrom', label: t('prices.validFrom'), type: 'datetime' },
                { name: 'comment', label: t('common.comment') },
              ]}
              onSubmit={(v) =>
                api.post('/api/v1/billing/prices', v).then(() => {
                  prices.reload();
                  missing.reload();
                })
              }
            />
            <RefreshButton onClick={prices.reload} loading={prices.loading} />
          </>
        }
      />
      {missing.data && missing.data.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('prices.missing', { list: missing.data.join(', ') })} />
      )}
      <ErrorAlert error={prices.error} onRetry={prices.reload} />
      <Table<Price>
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={prices.loading && !prices.data}
        dataSource={prices.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('prices.empty')} /> }}
        columns={[
          { title: t('common.tenant'), dataIndex: 'tenant', render: (v) => v ?? t('prices.defaultTable') },
          { title: t('common.cluster'), dataIndex: 'cluster' },
          { title: t('common.partition'), dataIndex: 'partition' },
          { title: t('common.qos'), dataIndex: 'qos' },
          { title: t('prices.price'), dataIndex: 'price' },
          { title: t('prices.amount'), dataIndex: 'amount', render: (v) => t(`prices.amount.${v}` as 'prices.amount.CPUS') },
          { title: t('prices.validFrom'), dataIndex: 'validFrom', render: formatTime },
          { title: t('prices.createdBy'), dataIndex: 'createdBy' },
          { title: t('common.comment'), dataIndex: 'comment' },
        ]}
      />
    </div>
  );
}
