import { useState } from 'preact/hooks';
import { EVIDENCE_KIND_SPECS, EVIDENCE_REASON_LABELS, type EvidenceKind } from '../../../schemas/evidence.schema.ts';
import { api } from '../api.ts';
import { FindingList } from '../components/findings.tsx';
import { Badge, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { UploadBox, usePolledEvidence } from '../components/upload-box.tsx';
import { hasGroup, useApp } from '../app-context.ts';
import { useT } from '../i18n.ts';
import { EVIDENCE_STATUS_LABELS, EVIDENCE_TAG_LABELS, labelOf } from '../labels.ts';
import type { EvidenceKindView } from '../types.ts';
import { ApplicationTabs } from './applications.tsx';

const EDITABLE = ['DRAFT', 'RETURNED'];

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** An admin gives a college its upload attempts of one kind back (policy; audited with the reason). */
function ResetAttempts({ view, applicationId, reload }: { view: EvidenceKindView; applicationId: string; reload: () => void }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const submit = async () => {
    setError(undefined);
    try {
      await api('POST', `/v1/applications/${applicationId}/evidence-kinds/${view.kind}/reset-attempts`, { body: { reason } });
      setReason('');
      reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form
      class="reset-attempts"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('重置上传次数的理由（管理员，记入审计）', 'Reason to reset the upload attempts (admin; audited)')}{' '}
        <input value={reason} minLength={5} maxLength={1000} required onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      </label>{' '}
      <button type="submit" class="small" disabled={reason.trim().length < 5}>
        {t(`重置上传次数：${view.zh}`, `Reset the upload attempts: ${view.en}`)}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

function KindCard({ view, applicationId, editable, reload }: { view: EvidenceKindView; applicationId: string; editable: boolean; reload: () => void }) {
  const t = useT();
  const state = useApp();
  const spec = EVIDENCE_KIND_SPECS[view.kind as EvidenceKind];
  const [error, setError] = useState<unknown>(undefined);
  const withdraw = async (itemId: string) => {
    try {
      await api('DELETE', `/v1/applications/${applicationId}/evidence/${itemId}`);
      reload();
    } catch (e) {
      setError(e);
    }
  };
  const room = view.items.length < view.maxCount;
  return (
    <section class={`card kind kind-${view.status}`} aria-labelledby={`kind-${view.kind}`} data-kind={view.kind}>
      <h2 id={`kind-${view.kind}`}>
        {t.pick(view)} <span class="article">{view.article}</span>
      </h2>
      <p>
        <Badge value={view.status} label={t.pick(labelOf(EVIDENCE_STATUS_LABELS, view.status))} />{' '}
        {view.required ? (
          <span>
            {t(`有效 ${view.validCount} 份 / 至少 ${view.minCount} 份`, `${view.validCount} valid of at least ${view.minCount}`)}
          </span>
        ) : (
          <span class="muted">{t('本单位无需提供', 'Not required from this institution')}</span>
        )}
        {spec ? (
          <span class="muted small">
            {' '}
            · {spec.contentTypes.map((c) => c.split('/')[1]!.toUpperCase()).join(' / ')} · ≤ {size(spec.maxSizeBytes)}
            {spec.mustBeStamped ? t(' · 需加盖公章', ' · with the official seal') : ''}
            {view.attemptLimit !== undefined ? t(` · 已上传 ${view.attemptsUsed ?? 0} / ${view.attemptLimit} 次`, ` · ${view.attemptsUsed ?? 0} of ${view.attemptLimit} uploads used`) : ''}
          </span>
        ) : null}
      </p>
      {hasGroup(state, 'admin') && (view.attemptsUsed ?? 0) > 0 ? <ResetAttempts view={view} applicationId={applicationId} reload={reload} /> : null}
      {view.missingTags.length ? (
        <p class="warn">
          {t('还需照片/材料覆盖：', 'Still to cover: ')}
          {view.missingTags.map((tg) => t.pick(labelOf(EVIDENCE_TAG_LABELS, tg))).join(t('、', ', '))}
        </p>
      ) : null}
      {view.items.length ? (
        <table class="files">
          <caption class="sr-only">{t.pick(view)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('文件', 'File')}</th>
              <th scope="col">{t('内容', 'Shows')}</th>
              <th scope="col">{t('校验结果', 'Check')}</th>
              {editable ? <th scope="col">{t('操作', 'Actions')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {view.items.map((item) => (
              <tr key={item.itemId} data-status={item.status}>
                <td>
                  {item.fileName} <span class="muted small">{size(item.size)}{item.width ? ` · ${item.width}×${item.height}` : ''}</span>
                </td>
                <td>{item.tags.map((tg) => t.pick(labelOf(EVIDENCE_TAG_LABELS, tg))).join(t('、', ', '))}</td>
                <td>
                  <Badge value={item.status} label={t.pick(labelOf(EVIDENCE_STATUS_LABELS, item.status))} />
                  {item.duplicate ? <span class="warn small"> {t('与其他申请中的文件相同', 'Same file as in another application')}</span> : null}
                  <FindingList findings={item.reasons.map((r) => ({ code: r.code, article: r.article ?? view.article, severity: 'blocking', zh: r.zh ?? r.code, en: r.en ?? r.code }))} />
                  {item.marks?.length ? (
                    <p class="warn small review-marks">
                      {t('审核人员标注：', 'Marked by the reviewer: ')}
                      {item.marks.map((m) => t.pick(labelOf(EVIDENCE_REASON_LABELS, m))).join(t('、', ', '))}
                      {item.markNote ? t(`（${item.markNote}）`, ` (${item.markNote})`) : ''}
                      {editable ? t('。请撤回此文件并上传更正后的文件。', '. Withdraw this file and upload a corrected one.') : ''}
                    </p>
                  ) : null}
                </td>
                {editable ? (
                  <td>
                    <button type="button" class="danger small" onClick={() => void withdraw(item.itemId)}>
                      {t(`撤回 ${item.fileName}`, `Withdraw ${item.fileName}`)}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ErrorBox error={error} />
      {editable && spec ? (
        <UploadBox applicationId={applicationId} kind={view.kind} label={t.pick(view)} contentTypes={spec.contentTypes} allowedTags={spec.allowedTags} mustBeStamped={spec.mustBeStamped} full={!room} onUploaded={reload} />
      ) : null}
    </section>
  );
}

/** The evidence checklist of Art.3: each kind with its files, their check results, and uploads straight to S3. */
export function EvidencePage({ id }: { id: string }) {
  const t = useT();
  const list = usePolledEvidence(`/v1/applications/${id}/evidence`);
  const reload = list.reload;
  const data = list.data;
  const editable = data ? EDITABLE.includes(data.applicationStatus) : false;
  return (
    <section>
      <PageTitle>{t('支撑材料（第三条）', 'Supporting evidence (Art.3)')}</PageTitle>
      <ApplicationTabs id={id} current="evidence" />
      <ErrorBox error={list.error} />
      {!data ? <Loading /> : null}
      {data ? (
        <>
          <div class={`summary ${data.complete ? 'ok' : 'warn'}`} role="status">
            {data.complete
              ? t('材料齐全且均已通过校验。', 'All required evidence is present and valid.')
              : t(
                  `尚缺：${data.stillNeeded.map((s) => `${s.zh}（${s.article}）`).join('；')}`,
                  `Still needed: ${data.stillNeeded.map((s) => `${s.en} (${s.article})`).join('; ')}`,
                )}
            {data.pilotCollege ? <span class="muted"> {t('· 试点院校无需提交法人资格证书（第三条第二项）', '· pilot college: no legal-person certificate needed (Art.3(2))')}</span> : null}
          </div>
          {data.kinds.map((k) => (
            <KindCard key={k.kind} view={k} applicationId={id} editable={editable && k.kind !== 'site-visit-photo'} reload={reload} />
          ))}
          <p>
            <Link href={`/applications/${id}`} class="button primary">
              {t('下一步：提交申请', 'Next: submit the application')}
            </Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
