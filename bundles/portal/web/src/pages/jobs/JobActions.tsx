import { useState } from 'react';
import { App, Button, InputNumber, Modal, Popconfirm, Space, Typography } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { useAuth } from '../../auth';
import { api, enc } from '../../lib/api';
import { describeError } from '../../lib/errors';
import type { JobInfo } from '../../lib/types';

/** Cancel, and (for those allowed: platform admins) change the time limit of an unfinished job. */
export default function JobActions({ cluster, job, onChanged }: { cluster: string; job: JobInfo; onChanged: () => void }) {
  const { t } = useI18n();
  const { has } = useAuth();
  const { message } = App.useApp();
  const [limitOpen, setLimitOpen] = useState(false);
  const [delta, setDelta] = useState<number | null>(60);
  const base = `/api/v1/clusters/${enc(cluster)}/jobs/${enc(job.jobId)}`;

  const cancel = async () => {
    try {
      await api.del(base, { user: job.user ?? undefined });
      message.success(t('jobs.cancelled', { id: job.jobId }));
      onChanged();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  const changeLimit = async () => {
    try {
      const answer = await api.post<{ minutes: number }>(`${base}/time-limit`, { deltaMinutes: delta });
      message.success(t('jobs.timeLimitChanged', { n: answer.minutes }));
      setLimitOpen(false);
      onChanged();
    } catch (e) {
      message.error(describeError(e, t));
    }
  };

  return (
    <Space size="small" wrap>
      <Popconfirm
        title={t('jobs.confirmCancel', { id: job.jobId })}
        onConfirm={cancel}
        okText={t('common.yes')}
        cancelText={t('common.no')}
      >
        <Button size="small" danger data-testid="cancel-job">
          {t('jobs.cancel')}
        </Button>
      </Popconfirm>
      {has('PLATFORM_ADMIN') && (
        <Button size="small" onClick={() => setLimitOpen(true)} data-testid="change-time-limit">
          {t('jobs.changeTimeLimit')}
        </Button>
      )}
      <Modal open={limitOpen} title={t('jobs.changeTimeLimit')} onCancel={() => setLimitOpen(false)} onOk={changeLimit}>
        <Typography.Paragraph>{t('jobs.currentTimeLimit', { n: job.timeLimitMinutes ?? '—' })}</Typography.Paragraph>
        <Space>
          <InputNumber value={delta} onChange={setDelta} data-testid="time-limit-delta" />
          {t('jobs.deltaMinutes')}
        </Space>
      </Modal>
    </Space>
  );
}
