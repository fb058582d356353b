import { Button, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatMoney, formatTime } from '../../lib/format';
import type { Account, Balance, Member } from '../../lib/types';
import { CsvButton, EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import FormModal, { useRun } from '../../components/FormModal';

type Row = Account & { balance: Balance | null };

export default function AccountsPage() {
  const { t } = useI18n();
  const { has, roles } = useAuth();
  const run = useRun();
  const finance = has('TENANT_FINANCE', 'PLATFORM_FINANCE', 'PLATFORM_ADMIN');
  const admin = has('TENANT_ADMIN', 'PLATFORM_ADMIN');
  const accounts = useAsync(async () => {
    const list = await api.get<Account[]>('/api/v1/management/accounts');
    return Promise.all(
      list.map(async (a): Promise<Row> => ({
        ...a,
        balance: await api.get<Balance>(`/api/v1/billing/accounts/${enc(a.name)}/balance`).catch(() => null),
      })),
    );
  }, []);
  const m = (a: string) => `/api/v1/management/accounts/${enc(a)}`;

  const memberTable = (a: Row) => (
    <Table<Member>
      rowKey="userId"
      size="small"
      pagination={false}
      dataSource={a.members}
      columns={[
        { title: t('common.user'), dataIndex: 'userId' },
        {
          title: t('accounts.memberRole'),
          dataIndex: 'role',
          render: (role, member) =>
            role === 'OWNER' ? (
              <Tag>{t('role.ACCOUNT_OWNER')}</Tag>
            ) : (
              <Select
                size="small"
                value={role}
                style={{ width: 120 }}
                onChange={(next) => run(() => api.put(`${m(a.name)}/members/${enc(member.userId)}/role`, { role: next }), accounts.reload)}
                options={[
                  { value: 'ADMIN', label: t('role.ACCOUNT_ADMIN') },
                  { value: 'USER', label: t('role.ACCOUNT_USER') },
                ]}
              />
            ),
        },
        {
          title: t('account.state'),
          dataIndex: 'blockedByAdmin',
          render: (blocked) => (blocked ? <Tag color="red">{t('account.blocked')}</Tag> : <Tag color="green">{t('account.normal')}</Tag>),
        },
        {
          title: t('common.actions'),
          render: (_, member) => (
            <Space wrap>
              {member.blockedByAdmin ? (
                <Button size="small" onClick={() => run(() => api.del(`${m(a.name)}/members/${enc(member.userId)}/block`), accounts.reload)}>
                  {t('account.unblock')}
                </Button>
              ) : (
                <Button size="small" onClick={() => run(() => api.put(`${m(a.name)}/members/${enc(member.userId)}/block`), accounts.reload)}>
                  {t('account.block')}
                </Button>
              )}
              <FormModal
                buttonProps={{ size: 'small' }}
                trigger={t('accounts.chargeLimit')}
                title={t('accounts.chargeLimitTitle', { user: member.userId })}
                fields={[{ name: 'limit', label: t('accounts.limit'), type: 'number', min: 0, required: true }]}
                onSubmit={(v) => api.put(`/api/v1/billing/accounts/${enc(a.name)}/users/${enc(member.userId)}/charge-limit`, v)}
              />
              {member.role !== 'OWNER' && (
                <Popconfirm
                  title={t('accounts.confirmRemoveMember', { user: member.userId })}
                  onConfirm={() => run(() => api.del(`${m(a.name)}/members/${enc(member.userId)}`), accounts.reload)}
                >
                  <Button size="small" danger>
                    {t('accounts.removeMember')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]}
    />
  );

  return (
    <div data-testid="accounts-page">
      <PageTitle
        title={t('nav.accounts')}
        extra={
          <>
            {admin && (
              <FormModal
                testId="create-account"
                trigger={t('accounts.create')}
                title={t('accounts.create')}
                fields={[
                  { name: 'name', label: t('common.name'), required: true },
                  { name: 'owner', label: t('accounts.owner'), required: true },
                  { name: 'tenant', label: t('common.tenant'), required: true, initial: roles?.tenant ?? undefined },
                  { name: 'comment', label: t('common.comment') },
                ]}
                onSubmit={(v) => api.post('/api/v1/management/accounts', v).then(accounts.reload)}
              />
            )}
            <RefreshButton onClick={accounts.reload} loading={accounts.loading} />
          </>
        }
      />
      <ErrorAlert error={accounts.error} onRetry={accounts.reload} />
      <Table<Row>
        rowKey="name"
        size="small"
        scroll={{ x: true }}
        loading={accounts.loading && !accounts.data}
        dataSource={accounts.data ?? []}
        expandable={{ expandedRowRender: memberTable }}
        locale={{ emptyText: <EmptyHint text={t('accounts.empty')} /> }}
        columns={[
          { title: t('common.name'), dataIndex: 'name', render: (name) => <span data-testid={`account-row-${name}`}>{name}</span> },
          { title: t('common.tenant'), dataIndex: 'tenant' },
          { title: t('accounts.owner'), dataIndex: 'owner' },
          {
            title: t('account.balance'),
            render: (_, a) => <span data-testid={`balance-${a.name}`}>{formatMoney(a.balance?.balance)}</span>,
          },
          {
            title: t('account.state'),
            render: (_, a) => (
              <Space size={4} wrap>
                {a.blockedByAdmin && <Tag color="red">{t('account.blockedByAdmin')}</Tag>}
                {a.balance?.belowThreshold && !a.whitelisted && <Tag color="orange">{t('account.belowThreshold')}</Tag>}
                {a.whitelisted && <Tag color="blue">{t('account.whitelisted')}</Tag>}
                {!a.blockedByAdmin && !(a.balance?.belowThreshold && !a.whitelisted) && <Tag color="green">{t('account.normal')}</Tag>}
              </Space>
            ),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatTime },
          {
            title: t('common.actions'),
            render: (_, a) => (
              <Space wrap>
                {admin && (
                  <FormModal
                    testId={`add-member-${a.name}`}
                    buttonProps={{ size: 'small' }}
                    trigger={t('accounts.addMember')}
                    title={t('accounts.addMemberTitle', { account: a.name })}
                    fields={[
                      { name: 'user', label: t('common.user'), required: true },
                      {
                        name: 'role',
                        label: t('accounts.memberRole'),
                        type: 'select',
                        initial: 'USER',
                        options: [
                          { value: 'USER', label: t('role.ACCOUNT_USER') },
                          { value: 'ADMIN', label: t('role.ACCOUNT_ADMIN') },
                        ],
                      },
                    ]}
                    onSubmit={(v) => api.post(`${m(a.name)}/members`, v).then(accounts.reload)}
                  />
                )}
                {admin &&
                  (a.blockedByAdmin ? (
                    <Button size="small" data-testid={`unblock-${a.name}`} onClick={() => run(() => api.del(`${m(a.name)}/block`), accounts.reload)}>
                      {t('account.unblock')}
                    </Button>
                  ) : (
                    <Popconfirm title={t('accounts.confirmBlock', { account: a.name })} onConfirm={() => run(() => api.put(`${m(a.name)}/block`), accounts.reload)} okButtonProps={{ 'data-testid': 'confirm-block' }}>
                      <Button size="small" danger data-testid={`block-${a.name}`}>
                        {t('account.block')}
                      </Button>
                    </Popconfirm>
                  ))}
                {admin &&
                  (a.whitelisted ? (
                    <Button size="small" onClick={() => run(() => api.del(`${m(a.name)}/whitelist`), accounts.reload)}>
                      {t('accounts.dewhitelist')}
                    </Button>
                  ) : (
                    <FormModal
                      buttonProps={{ size: 'small' }}
                      trigger={t('accounts.whitelist')}
                      title={t('accounts.whitelist')}
                      fields={[
                        { name: 'expiresAt', label: t('accounts.expiresAt'), type: 'datetime' },
                        { name: 'comment', label: t('common.comment') },
                      ]}
                      onSubmit={(v) => api.put(`${m(a.name)}/whitelist`, v).then(accounts.reload)}
                    />
                  ))}
                {finance && (
                  <FormModal
                    testId={`recharge-${a.name}`}
                    buttonProps={{ size: 'small', type: 'primary' }}
                    trigger={t('billing.recharge')}
                    title={t('billing.rechargeTitle', { target: a.name })}
                    fields={[
                      { name: 'amount', label: t('billing.amount'), type: 'number', required: true },
                      { name: 'method', label: t('billing.method'), initial: 'MANUAL' },
                      { name: 'comment', label: t('common.comment') },
                    ]}
                    onSubmit={(v) => api.post(`/api/v1/billing/accounts/${enc(a.name)}/payments`, v).then(accounts.reload)}
                  />
                )}
                {finance && (
                  <FormModal
                    buttonProps={{ size: 'small' }}
                    trigger={t('account.threshold')}
                    title={t('account.threshold')}
                    fields={[{ name: 'threshold', label: t('account.threshold'), type: 'number', initial: a.balance?.threshold }]}
                    onSubmit={(v) => api.put(`/api/v1/billing/accounts/${enc(a.name)}/threshold`, v).then(accounts.reload)}
                  />
                )}
              </Space>
            ),
          },
        ]}
      />
      {has('PLATFORM_FINANCE', 'PLATFORM_ADMIN') && <CsvButton path="/api/v1/billing/charges" query={{ targetType: 'ACCOUNT' }} />}
    </div>
  );
}
