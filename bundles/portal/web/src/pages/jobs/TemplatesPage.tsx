import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Input, Modal, Popconfirm, Space, Table } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { api, enc } from '../../lib/api';
import { useAsync } from '../../lib/hooks';
import { describeError } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import type { JobTemplate } from '../../lib/types';
import { EmptyHint, ErrorAlert, PageTitle, RefreshButton } from '../../components/common';

export default function TemplatesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const templates = useAsync(() => api.get<JobTemplate[]>('/api/v1/job-templates'), []);
  const [renaming, setRenaming] = useState<JobTemplate | null>(null);
  const [name, setName] = useState('');

  const rename = async () => {
    if (!renaming) return;
    try {
      await api.put(`/api/v1/job-templates/${enc(String(renaming.id))}`, { name: name.trim() });
      setRenaming(null);
      templates.reload();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };
  const remove = async (template: JobTemplate) => {
    try {
      await api.del(`/api/v1/job-templates/${enc(String(template.id))}`);
      message.success(t('templates.deleted', { name: template.name }));
      templates.reload();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  return (
    <div data-testid="templates">
      <PageTitle title={t('nav.templates')} extra={<RefreshButton onClick={templates.reload} loading={templates.loading} />} />
      <ErrorAlert error={templates.error} onRetry={templates.reload} />
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={templates.loading && !templates.data}
        dataSource={templates.data ?? []}
        locale={{ emptyText: <EmptyHint text={t('templates.empty')} /> }}
        columns={[
          { title: t('templates.name'), dataIndex: 'name' },
          { title: t('common.cluster'), dataIndex: 'cluster' },
          { title: t('common.account'), render: (_, x) => x.spec.account },
          { title: t('common.partition'), render: (_, x) => x.spec.partition },
          { title: t('templates.updatedAt'), dataIndex: 'updatedAt', render: formatTime },
          {
            title: t('common.actions'),
            render: (_, x) => (
              <Space wrap>
                <Button size="small" type="primary" onClick={() => navigate(`/jobs/submit?template=${enc(String(x.id))}`)}>
                  {t('templates.use')}
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    setRenaming(x);
                    setName(x.name);
                  }}
                >
                  {t('common.rename')}
                </Button>
                <Popconfirm title={t('templates.confirmDelete', { name: x.name })} onConfirm={() => remove(x)}>
                  <Button size="small" danger>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!renaming} title={t('common.rename')} onCancel={() => setRenaming(null)} onOk={rename} okButtonProps={{ disabled: !name.trim() }}>
        <Input value={name} onChange={(e) => setName(e.target.value)} />
      </Modal>
    </div>
  );
}
