import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { useT } from '../i18n.ts';
import { EVIDENCE_TAG_LABELS, labelOf } from '../labels.ts';
import type { EvidenceList } from '../types.ts';
import { postToBucket, sha256Hex, type PresignedPost } from '../upload.ts';
import { useAsync, type AsyncState } from '../use-async.ts';
import { ErrorBox } from './ui.tsx';

interface Row {
  readonly name: string;
  progress: number;
  state: 'waiting' | 'uploading' | 'done' | 'failed';
  error?: unknown;
}

const BY_EXTENSION: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

/** The content type a file declares: the browser's, or guessed from its extension. */
function typeOf(file: File): string {
  return file.type || BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] || 'application/octet-stream';
}

/** Opens a short-lived download link of a validated file; the bucket serves it as an attachment, so the page stays. */
export async function downloadEvidence(applicationId: string, itemId: string): Promise<void> {
  const link = await get<{ url: string }>(`/v1/applications/${encodeURIComponent(applicationId)}/evidence/${encodeURIComponent(itemId)}/download`);
  const a = document.createElement('a');
  a.href = link.url;
  a.rel = 'noopener noreferrer';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * An application's evidence list (`path` with its query, or nothing yet),
 * looked at again every 1.5 s (at most 40 times) while a file is being
 * checked: the validator runs after the upload event. `reload` starts the
 * count again (after an upload).
 */
export function usePolledEvidence(path: string | undefined): Omit<AsyncState<EvidenceList | undefined>, 'reload'> & { reload: () => void } {
  const list = useAsync<EvidenceList | undefined>(() => (path ? get<EvidenceList>(path) : Promise.resolve(undefined)), [path]);
  const pending = list.data?.kinds.some((k) => k.pendingCount > 0) ?? false;
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (!pending || polls > 40) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      void list.reload();
    }, 1500);
    return () => clearTimeout(timer);
  }, [pending, polls, list.data]);
  const reload = () => {
    setPolls(0);
    void list.reload();
  };
  return { ...list, reload };
}

/**
 * Chooses files of one evidence kind and uploads each straight to the
 * bucket: the API grants a presigned POST (exact key, size range, type,
 * short expiry), the browser posts the file there with a progress bar.
 */
export function UploadBox(props: {
  applicationId: string;
  kind: string;
  label: string;
  contentTypes: readonly string[];
  allowedTags: readonly string[];
  /** Art.3: the files must carry the applicant's seal; the applicant confirms it before uploading. */
  mustBeStamped?: boolean;
  /** The kind holds its most files: choosing is off, the last uploads' progress stays visible. */
  full?: boolean;
  /** Drop the rows of finished uploads (the caller lists the files with their check); failures stay. */
  hideDone?: boolean;
  onUploaded: () => void;
}) {
  const t = useT();
  const [files, setFiles] = useState<File[]>([]);
  const [tag, setTag] = useState(props.allowedTags[0] ?? '');
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);
  const [sealConfirmed, setSealConfirmed] = useState(false);
  const inputId = `upload-${props.kind}`;
  const sealMissing = props.mustBeStamped === true && !sealConfirmed;

  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const start = async () => {
    if (!files.length) return;
    setBusy(true);
    const list = [...files];
    setRows(list.map((f) => ({ name: f.name, progress: 0, state: 'waiting' })));
    for (const [i, file] of list.entries()) {
      update(i, { state: 'uploading' });
      try {
        const sha256 = await sha256Hex(file);
        const grant = await api<{ itemId: string; upload: PresignedPost }>('POST', `/v1/applications/${props.applicationId}/evidence`, {
          body: {
            kind: props.kind,
            fileName: file.name,
            contentType: typeOf(file),
            size: file.size,
            ...(tag ? { tags: [tag] } : {}),
            sha256,
            ...(props.mustBeStamped ? { sealConfirmed } : {}),
          },
          idempotent: true,
        });
        await postToBucket(grant.upload, file, file.name, (p) => update(i, { progress: p }));
        update(i, { state: 'done', progress: 1 });
      } catch (error) {
        update(i, { state: 'failed', error });
      }
    }
    setFiles([]);
    setSealConfirmed(false);
    setBusy(false);
    if (props.hideDone) setRows((rs) => rs.filter((r) => r.state !== 'done'));
    props.onUploaded();
  };

  return (
    <div class="upload">
      <div class="upload-controls">
        <label for={inputId}>
          {t('选择文件：', 'Choose files: ')}
          {props.label}
        </label>
        <input
          id={inputId}
          type="file"
          multiple
          accept={props.contentTypes.join(',')}
          disabled={busy || props.full}
          aria-describedby={props.full ? `${inputId}-full` : undefined}
          onChange={(e) => setFiles([...((e.target as HTMLInputElement).files ?? [])])}
        />
        {props.allowedTags.length ? (
          <label>
            {t('内容', 'Shows')}{' '}
            <select value={tag} disabled={busy} onChange={(e) => setTag((e.target as HTMLSelectElement).value)}>
              {props.allowedTags.map((tg) => (
                <option key={tg} value={tg}>
                  {t.pick(labelOf(EVIDENCE_TAG_LABELS, tg))}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {props.mustBeStamped ? (
          <label class="seal-confirm">
            <input
              type="checkbox"
              name={`seal-${props.kind}`}
              checked={sealConfirmed}
              disabled={busy || props.full}
              onChange={(e) => setSealConfirmed((e.target as HTMLInputElement).checked)}
            />{' '}
            {t('我确认所选文件均已加盖申请单位公章（第三条）', 'I confirm each chosen file carries our official seal (Art.3)')}
          </label>
        ) : null}
        <button type="button" class="primary" disabled={busy || files.length === 0 || props.full || sealMissing} onClick={() => void start()}>
          {t('上传', 'Upload')}
        </button>
        {props.full ? (
          <span id={`${inputId}-full`} class="muted small">
            {t('已达该类材料的数量上限；如需更换，请先撤回。', 'This kind holds its most files; withdraw one to replace it.')}
          </span>
        ) : null}
      </div>
      {rows.length ? (
        <ul class="progress-list" aria-live="polite">
          {rows.map((r, i) => (
            <li key={i} class={`upload-${r.state}`}>
              <span class="file-name">{r.name}</span>{' '}
              <progress max={1} value={r.progress} aria-label={t(`${r.name} 上传进度`, `${r.name} upload progress`)} />{' '}
              <span>
                {r.state === 'done'
                  ? t('已上传，校验中', 'Uploaded, being checked')
                  : r.state === 'failed'
                    ? t('失败', 'Failed')
                    : r.state === 'uploading'
                      ? `${Math.round(r.progress * 100)}%`
                      : t('等待', 'Waiting')}
              </span>
              {r.error ? <ErrorBox error={r.error} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
