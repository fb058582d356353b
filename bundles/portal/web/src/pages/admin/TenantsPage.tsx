import { Table } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatMoney, formatTime } from '../../lib/format';
import type { Balance, Tenant } from '../../lib/types';
import { EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import FormModal from '../../components/FormModal';

export default function TenantsPage() {
  const { t } = useI18n();
  const tenants = useAsync(async () => {
    const list = await api.get<Tenant[]>('/api/v1/management/tenants');
    return Promise.all(
      list.map(async (x) => ({
        ...x,
        balance: await api.get<Balance>(`/api/v1/billing/tenants/${enc(x.name)}/balance`).catch(() => null),
      })),
    );
  }, []);
  return (
    <div data-testid="tenants-page">
      <PageTitle
        title={t('nav.tenants')}
        extra={
          <>
            <FormModal
              testId="create-tenant"
              trigger={t('tenants.create')}
              title={t('tenants.create')}
              fields={[
                { name: 'name', label: t('common.name'), required: true },
                { name: 'admin', label: t('tenants.admin') },
              ]}
              onSubmit={(v) => api.post('/api/v1/management/tenants', v).then(tenants.reload)}
            />
            <RefreshButton onClick={tenants.reload} loading={tenants.loading} />
          </>
        }
      />
      <ErrorAlert error={tenants.error} onRetry={tenants.reload} />
      <Table
        rowKey="name"
        size="small"
        scroll={{ x: true }}
        loading={tenants.loading && !tenants.data}
        dataSource={tenants.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('tenants.empty')} /> }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('account.balance'), render: (_, x) => formatMoney(x.balance?.balance) },
          { title: t('account.threshold'), render: (_, x) => formatMoney(x.balance?.threshold) },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatTime },
          {
            title: t('common.actions'),
            render: (_, x) => (
              <FormModal
                testId={`recharge-tenant-${x.name}`}
                buttonProps={{ size: 'small' }}
                trigger={t('billing.recharge')}
                title={t('billing.rechargeTitle', { target: x.name })}
                fields={[
                  { name: 'amount', label: t('billing.amount'), type: 'number', required: true },
                  { name: 'method', label: t('billing.method'), initial: 'MANUAL' },
                  { name: 'comment', label: t('common.comment') },
                ]}
                onSubmit={(v) => api.post(`/api/v1/billing/tenants/${enc(x.name)}/payments`, v).then(tenants.reload)}
              />
            ),
          },
        ]}
      />
    </div>
  );
}
