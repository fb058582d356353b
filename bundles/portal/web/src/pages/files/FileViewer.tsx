import { useEffect, useState } from 'react';
import { App, Button, Image, Modal, Spin, Typography } from 'antd';
import { useI18n } from '../../i18n/I18n';
import { enc, queryString, request } from '../../lib/api';
import { describeError } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import type { FileEntry } from '../../lib/types';
import { ErrorAlert } from '../../components/common';
import ScriptEditor from '../../components/ScriptEditor';

/** Files up to this size are shown and edited in the browser; bigger ones are downloaded. */
export const MAX_EDIT_BYTES = 1024 * 1024;
const IMAGE = /\.(png|jpe?g|gif|webp|bmp|svg)$/i;

export default function FileViewer({
  cluster,
  path,
  entry,
  edit,
  onClose,
}: {
  cluster: string;
  path: string;
  entry: FileEntry;
  edit: boolean;
  onClose: (changed: boolean) => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [text, setText] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const base = `/api/v1/clusters/${enc(cluster)}/files/content`;
  const image = IMAGE.test(entry.name);
  const tooBig = entry.size > MAX_EDIT_BYTES;

  useEffect(() => {
    if (image || tooBig) return;
    request<string>('GET', base, { query: { path, inline: true } }).then(
      (content) => setText(typeof content === 'string' ? content : JSON.stringify(content, null, 2)),
      setError,
    );
  }, [base, path, image, tooBig]);

  const save = async () => {
    setSaving(true);
    try {
      await request('PUT', base, { query: { path, createOnly: false }, raw: new Blob([text ?? '']) });
      message.success(t('files.saved'));
      onClose(true);
    } catch (e) {
      message.error(describeError(e, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      width={900}
      title={path}
      onCancel={() => onClose(false)}
      footer={[
        <Button key="download" href={`${base}${queryString({ path })}`} download>
          {t('files.download')}
        </Button>,
        edit && !tooBig && !image ? (
          <Button key="save" type="primary" loading={saving} onClick={save} data-testid="save-file">
            {t('common.save')}
          </Button>
        ) : null,
        <Button key="close" onClick={() => onClose(false)}>
          {t('common.close')}
        </Button>,
      ]}
    >
      <ErrorAlert error={error} />
      {tooBig && <Typography.Paragraph>{t('files.tooBigToPreview', { size: formatBytes(entry.size) })}</Typography.Paragraph>}
      {image && <Image src={`${base}${queryString({ path, inline: true })}`} alt={entry.name} />}
      {!image && !tooBig && text === undefined && !error && <Spin />}
      {!image && !tooBig && text !== undefined && (
        <div data-testid="file-content">
          <ScriptEditor value={text} onChange={setText} readOnly={!edit} height="420px" />
        </div>
      )}
    </Modal>
  );
}
