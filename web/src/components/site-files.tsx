import { useState } from 'preact/hooks';
import { EVIDENCE_KIND_SPECS } from '../../../schemas/evidence.schema.ts';
import { get } from '../api.ts';
import { useT } from '../i18n.ts';
import { EVIDENCE_STATUS_LABELS, labelOf } from '../labels.ts';
import { useAsync } from '../use-async.ts';
import { FindingList } from './findings.tsx';
import { Badge, ErrorBox, Loading } from './ui.tsx';
import { downloadEvidence, UploadBox, usePolledEvidence } from './upload-box.tsx';

/** At most this many files per report or case (`evidenceIds`, schemas/api). */
const MAX_CITED = 20;

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The files attached to what a site writes (its evaluation report, Art.20;
 * rectification report, Art.21; representation, Art.23) or to an admin's
 * revocation case (Art.23): uploads a file of the site's later life through
 * the same presigned POST as the application's evidence, waits for the
 * validator, and lets the user tick the validated files to cite
 * (`evidenceIds`). Files being checked or refused are shown, never ticked.
 */
export function SiteFilePicker(props: {
  siteId: string;
  kind: 'site-document' | 'case-evidence';
  selected: readonly string[];
  onChange: (ids: string[]) => void;
  /** Shows the files, uploads nothing (a report already submitted). */
  readOnly?: boolean;
}) {
  const t = useT();
  const site = useAsync(() => get<{ applicationId: string }>(`/v1/sites/${encodeURIComponent(props.siteId)}`), [props.siteId]);
  const applicationId = site.data?.applicationId;
  const list = usePolledEvidence(applicationId ? `/v1/applications/${encodeURIComponent(applicationId)}/evidence?kind=${props.kind}` : undefined);
  const [error, setError] = useState<unknown>(undefined);
  const spec = EVIDENCE_KIND_SPECS[props.kind];
  const view = list.data?.kinds.find((k) => k.kind === props.kind);
  const items = (view?.items ?? []).filter((item) => !props.readOnly || props.selected.includes(item.itemId));
  const full = props.selected.length >= MAX_CITED;
  const toggle = (itemId: string, on: boolean) => props.onChange(on ? [...props.selected, itemId] : props.selected.filter((id) => id !== itemId));
  const legend = props.kind === 'case-evidence' ? t('案件证据（第二十三条）', 'Case evidence (Art.23)') : t('附件（站点文件）', 'Attachments (site documents)');

  return (
    <fieldset class="site-files" data-kind={props.kind}>
      <legend>{legend}</legend>
      <ErrorBox error={site.error ?? list.error ?? error} />
      {!view && !site.error && !list.error ? <Loading /> : null}
      {view && items.length === 0 ? <p class="muted small">{props.readOnly ? t('未附文件。', 'No files attached.') : t('尚未上传文件。', 'No files uploaded yet.')}</p> : null}
      {items.length ? (
        <ul class="site-file-list">
          {items.map((item) => (
            <li key={item.itemId} data-status={item.status}>
              <label>
                {props.readOnly ? null : (
                  <input
                    type="checkbox"
                    name="evidenceIds"
                    value={item.itemId}
                    checked={props.selected.includes(item.itemId)}
                    disabled={item.status !== 'valid' || (full && !props.selected.includes(item.itemId))}
                    onChange={(e) => toggle(item.itemId, (e.target as HTMLInputElement).checked)}
                  />
                )}{' '}
                {item.fileName} <span class="muted small">{size(item.size)}</span>
              </label>{' '}
              <Badge value={item.status} label={item.status === 'pending' ? t('校验中', 'Being checked') : t.pick(labelOf(EVIDENCE_STATUS_LABELS, item.status))} />
              {item.status === 'valid' && applicationId ? (
                <button type="button" class="link small" onClick={() => void downloadEvidence(applicationId, item.itemId).catch(setError)}>
                  {t(`下载 ${item.fileName}`, `Download ${item.fileName}`)}
                </button>
              ) : null}
              <FindingList findings={item.reasons.map((r) => ({ code: r.code, article: r.article ?? spec.article, severity: 'blocking', zh: r.zh ?? r.code, en: r.en ?? r.code }))} />
            </li>
          ))}
        </ul>
      ) : null}
      {!props.readOnly && applicationId ? (
        <>
          <p class="muted small">
            {t(
              `PDF、JPEG 或 PNG，每个不超过 ${size(spec.maxSizeBytes)}；上传后经校验通过方可勾选附上（最多 ${MAX_CITED} 个）。`,
              `PDF, JPEG or PNG, up to ${size(spec.maxSizeBytes)} each; once a file passes the check, tick it to attach it (at most ${MAX_CITED}).`,
            )}
          </p>
          <UploadBox applicationId={applicationId} kind={props.kind} label={t.pick(spec)} contentTypes={spec.contentTypes} allowedTags={[]} hideDone onUploaded={list.reload} />
        </>
      ) : null}
    </fieldset>
  );
}
