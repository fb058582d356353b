import { Select, Space, Table, Tag } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { formatTime } from '../../lib/format';
import type { ManagedUser, Role } from '../../lib/types';
import { EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';
import FormModal, { useRun } from '../../components/FormModal';

const ASSIGNABLE: Role[] = ['PLATFORM_ADMIN', 'PLATFORM_FINANCE', 'TENANT_ADMIN', 'TENANT_FINANCE'];

export default function UsersPage() {
  const { t } = useI18n();
  const { has, roles } = useAuth();
  const run = useRun();
  const platformAdmin = has('PLATFORM_ADMIN');
  const users = useAsync(() => api.get<ManagedUser[]>('/api/v1/management/users'), []);
  const u = (user: string) => `/api/v1/management/users/${enc(user)}`;

  return (
    <div data-testid="users-page">
      <PageTitle
        title={t('nav.users')}
        extra={
          <>
            <FormModal
              testId="create-user"
              trigger={t('users.create')}
              title={t('users.create')}
              fields={[
                { name: 'userId', label: t('users.userId'), required: true },
                { name: 'name', label: t('common.name') },
                { name: 'email', label: t('users.email') },
                { name: 'tenant', label: t('common.tenant'), required: true, initial: roles?.tenant ?? undefined },
                { name: 'password', label: t('users.initialPassword'), type: 'password' },
              ]}
              onSubmit={async (v) => {
                const { password, ...user } = v;
                await api.post('/api/v1/management/users', user);
                if (password) await api.post('/api/v1/auth/users', { user: v.userId, password });
                users.reload();
              }}
            />
            <RefreshButton onClick={users.reload} loading={users.loading} />
          </>
        }
      />
      <ErrorAlert error={users.error} onRetry={users.reload} />
      <Table<ManagedUser>
        rowKey="userId"
        size="small"
        scroll={{ x: true }}
        loading={users.loading && !users.data}
        dataSource={users.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('users.empty')} /> }}
        columns={[
          { title: t('users.userId'), dataIndex: 'userId' },
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('users.email'), dataIndex: 'email' },
          { title: t('common.tenant'), dataIndex: 'tenant' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (roles: Role[], user) =>
              platformAdmin ? (
                <Select
                  mode="multiple"
                  size="small"
                  style={{ minWidth: 220 }}
                  value={(roles ?? []).filter((r) => ASSIGNABLE.includes(r))}
                  options={ASSIGNABLE.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                  onSelect={(role: Role) => run(() => api.put(`${u(user.userId)}/roles/${role}`), users.reload)}
                  onDeselect={(role: Role) => run(() => api.del(`${u(user.userId)}/roles/${role}`), users.reload)}
                />
              ) : (
                <Space size={4} wrap>
                  {(roles ?? []).map((r) => (
                    <Tag key={r}>{t(`role.${r}`)}</Tag>
                  ))}
                </Space>
              ),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: formatTime },
          {
            title: t('common.actions'),
            render: (_, user) => (
              <Space wrap>
                {platformAdmin && (
                  <FormModal
                    buttonProps={{ size: 'small' }}
                    trigger={t('users.resetPassword')}
                    title={t('users.resetPasswordTitle', { user: user.userId })}
                    fields={[{ name: 'password', label: t('auth.password'), type: 'password', required: true }]}
                    onSubmit={(v) =>
                      api
                        .put(`/api/v1/auth/users/${enc(user.userId)}/password`, v)
                        .catch((e) =>
                          e.status === 404 ? api.post('/api/v1/auth/users', { user: user.userId, password: v.password }) : Promise.reject(e),
                        )
                    }
                  />
                )}
                {platformAdmin && (
                  <FormModal
                    buttonProps={{ size: 'small' }}
                    trigger={t('users.changeTenant')}
                    title={t('users.changeTenant')}
                    fields={[{ name: 'tenant', label: t('common.tenant'), required: true, initial: user.tenant }]}
                    onSubmit={(v) => api.put(`${u(user.userId)}/tenant`, v).then(users.reload)}
                  />
                )}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
