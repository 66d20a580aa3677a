import { useState } from 'preact/hooks';
import { labelForPath } from '../../../schemas/application-form.schema.ts';
import { EVIDENCE_KIND_SPECS, EVIDENCE_REASON_LABELS, REVIEWER_MARKS, type EvidenceKind } from '../../../schemas/evidence.schema.ts';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { FindingList } from '../components/findings.tsx';
import { Badge, ErrorBox, Link, Loading, PageTitle, DataTable } from '../components/ui.tsx';
import { SiteFilePicker } from '../components/site-files.tsx';
import { downloadEvidence, UploadBox } from '../components/upload-box.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, DECISION_KIND_LABELS, DECISION_STATUS_LABELS, EVIDENCE_STATUS_LABELS, EVIDENCE_TAG_LABELS, labelOf, OUTCOME_LABELS } from '../labels.ts';
import type { DecisionView, EvidenceItemView, EvidenceList, Page, ReviewerFinding, StaffMember } from '../types.ts';
import { useAsync } from '../use-async.ts';
import { daysLeft } from './tasks.tsx';
import { ScoresEditor, SupervisionCasePanel } from './supervision.tsx';


/**
 * A reviewer's marks on one file (Art.3): not stamped, illegible, not the
 * document asked for, expired. Saved at once (audited); a return decision
 * carries them to the applicant.
 */
function MarkControl({ applicationId, item, onSaved }: { applicationId: string; item: EvidenceItemView; onSaved: () => void }) {
  const t = useT();
  const [marks, setMarks] = useState<string[]>(item.marks ?? []);
  const [note, setNote] = useState(item.markNote ?? '');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('PUT', `/v1/applications/${applicationId}/evidence/${item.itemId}/marks`, { body: { marks, ...(note.trim() ? { note: note.trim() } : {}) } });
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset class="group marks" data-item={item.itemId}>
      <legend>{t(`标注问题：${item.fileName}`, `Mark a problem: ${item.fileName}`)}</legend>
      {REVIEWER_MARKS.map((m) => (
        <label key={m} class="check">
          <input
            type="checkbox"
            name={`mark-${item.itemId}-${m}`}
            value={m}
            checked={marks.includes(m)}
            onChange={(e) => setMarks((ms) => ((e.target as HTMLInputElement).checked ? [...ms, m] : ms.filter((x) => x !== m)))}
          />{' '}
          {t.pick(EVIDENCE_REASON_LABELS[m])}
        </label>
      ))}
      <label>
        {t('说明（可选，申请单位可见）', 'Note (optional, shown to the applicant)')}{' '}
        <input value={note} maxLength={500} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </label>
      <button type="button" class="small" disabled={busy} onClick={() => void save()}>
        {t(`保存标注：${item.fileName}`, `Save the marks: ${item.fileName}`)}
      </button>
      <ErrorBox error={error} />
    </fieldset>
  );
}

function FindingsEditor({ value, onChange }: { value: ReviewerFinding[]; onChange: (v: ReviewerFinding[]) => void }) {
  const t = useT();
  const set = (i: number, patch: Partial<ReviewerFinding>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <fieldset class="group">
      <legend>{t('审核发现（可选）', 'Findings (optional)')}</legend>
      {value.map((f, i) => (
        <fieldset key={i} class="group item">
          <legend>
            {t('发现', 'Finding')} {i + 1}
          </legend>
          <div class="row">
            <label>
              {t('条款', 'Article')}{' '}
              <input value={f.article} placeholder="Art.11(2)" pattern="Art\.\d{1,2}(\(\d{1,2}\))?" required onInput={(e) => set(i, { article: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('程度', 'Severity')}{' '}
              <select value={f.severity} onChange={(e) => set(i, { severity: (e.target as HTMLSelectElement).value as ReviewerFinding['severity'] })}>
                <option value="blocking">{t('不符合', 'Not met')}</option>
                <option value="advisory">{t('建议', 'Advisory')}</option>
              </select>
            </label>
            <label>
              {t('涉及字段（可选）', 'Form field (optional)')}{' '}
              <input value={f.path} placeholder="examRooms.0.candidatePcCount" onInput={(e) => set(i, { path: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <label>
            {t('说明（中文）', 'Description (Chinese)')}
            <textarea rows={2} required value={f.zh} onInput={(e) => set(i, { zh: (e.target as HTMLTextAreaElement).value })} />
          </label>
          <label>
            {t('说明（英文，可选）', 'Description (English, optional)')}
            <textarea rows={2} value={f.en} onInput={(e) => set(i, { en: (e.target as HTMLTextAreaElement).value })} />
          </label>
          <button type="button" class="danger small" onClick={() => onChange(value.filter((_, j) => j !== i))}>
            {t(`删除发现 ${i + 1}`, `Remove finding ${i + 1}`)}
          </button>
        </fieldset>
      ))}
      <button type="button" onClick={() => onChange([...value, { article: '', severity: 'blocking', zh: '', en: '', path: '' }])}>
        {t('添加发现', 'Add a finding')}
      </button>
    </fieldset>
  );
}

function DecisionForm({ view, onDecided }: { view: DecisionView; onDecided: () => void }) {
  const t = useT();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [findings, setFindings] = useState<ReviewerFinding[]>([]);
  const [visitorSub, setVisitorSub] = useState('');
  const [scores, setScores] = useState<Record<string, number>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const withFindings = view.kind === 'material-review' || view.kind === 'site-visit';
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/v1/decisions/${view.decisionId}`, {
        body: {
          outcome,
          reason,
          ...(withFindings && findings.length ? { findings } : {}),
          ...(view.kind === 'site-visit' ? { recommendation: outcome } : {}),
          ...(view.kind === 'assessment' ? { scores } : {}),
          ...(view.kind === 'material-review' && outcome === 'approve-for-visit' && visitorSub.trim() ? { visitorSub: visitorSub.trim() } : {}),
        },
        idempotent: true,
      });
      onDecided();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      class="card decision-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{view.kind === 'site-visit' ? t('实地考察记录', 'Site-visit record') : t('作出决定', 'Decide')}</h2>
      {view.kind === 'assessment' && view.supervision ? <ScoresEditor rubric={view.supervision.rubric} value={scores} onChange={setScores} /> : null}
      <fieldset class="outcomes">
        <legend>{view.kind === 'site-visit' ? t('考察建议', 'Recommendation') : t('决定', 'Decision')}</legend>
        {view.allowedOutcomes.map((o) => (
          <label key={o} class="check">
            <input type="radio" name="outcome" value={o} required checked={outcome === o} onChange={() => setOutcome(o)} /> {t.pick(labelOf(OUTCOME_LABELS, o))}
          </label>
        ))}
      </fieldset>
      <label for="reason">
        {t('理由（必填，将记入审计记录并告知申请单位）', 'Reason (required; audited and shown to the applicant)')}
      </label>
      <textarea id="reason" rows={4} required minLength={5} maxLength={2000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
      {view.kind === 'material-review' && outcome === 'approve-for-visit' ? (
        <label>
          {t('指定考察人员（可选，审核员账号）', 'Visiting reviewer (optional, reviewer account id)')}{' '}
          <input value={visitorSub} onInput={(e) => setVisitorSub((e.target as HTMLInputElement).value)} />
        </label>
      ) : null}
      {withFindings ? <FindingsEditor value={findings} onChange={setFindings} /> : null}
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !outcome || reason.trim().length < 5}>
          {busy ? t('提交中…', 'Submitting…') : t('提交决定', 'Submit the decision')}
        </button>
        <span class="muted small">{t('决定提交后不可更改。', 'A decision cannot be changed once submitted.')}</span>
      </div>
    </form>
  );
}

function ReassignForm({ view, onDone }: { view: DecisionView; onDone: () => void }) {
  const t = useT();
  const staff = useAsync(() => get<Page<StaffMember>>('/v1/admin/staff?limit=200'), []);
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  // A site's withdrawal or revocation is decided by an admin (Art.22, Art.23); the reviews by reviewers.
  const role = view.siteCase ? 'admin' : 'reviewer';
  const reviewers = (staff.data?.items ?? []).filter((s) => s.active && s.role === role);
  const submit = async () => {
    setError(undefined);
    try {
      await api('POST', `/v1/decisions/${view.decisionId}/reassign`, { body: { assigneeSub: assignee, reason }, idempotent: true });
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('改派（管理员）', 'Reassign (administrator)')}</h2>
      <label>
        {t('改派给', 'Reassign to')}{' '}
        <select required value={assignee} onChange={(e) => setAssignee((e.target as HTMLSelectElement).value)}>
          <option value="">{role === 'admin' ? t('— 请选择管理员 —', '— choose an administrator —') : t('— 请选择审核员 —', '— choose a reviewer —')}</option>
          {reviewers.map((r) => (
            <option key={r.sub} value={r.sub}>
              {r.name} ({r.email})
            </option>
          ))}
        </select>
      </label>
      <label for="reassign-reason">{t('理由（必填）', 'Reason (required)')}</label>
      <textarea id="reassign-reason" rows={2} required minLength={5} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
      <ErrorBox error={error ?? staff.error} />
      <button type="submit" disabled={!assignee || reason.trim().length < 5}>
        {t('改派', 'Reassign')}
      </button>
    </form>
  );
}

/**
 * The page an e-mailed decision link opens. Reading it changes nothing
 * (mail scanners open links); the decision is a separate POST by the
 * assigned reviewer. A decided, expired or reassigned link says so.
 */
export function DecisionPage({ decisionId }: { decisionId: string }) {
  const t = useT();
  const state = useApp();
  const view = useAsync(() => get<DecisionView>(`/v1/decisions/${decisionId}`), [decisionId]);
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const appId = view.data?.application?.id;
  // The application's evidence list carries the item ids the download route takes, and each file's check result.
  const evidence = useAsync(() => (appId ? get<EvidenceList>(`/v1/applications/${appId}/evidence`) : Promise.resolve(undefined)), [appId, view.data]);
  const v = view.data;
  if (!v) return view.error ? (
    <section>
      <PageTitle>{t('待办事项', 'Decision')}</PageTitle>
      <ErrorBox error={view.error} />
    </section>
  ) : <Loading />;
  const app = v.application;
  const left = daysLeft(v.deadline);
  const photos = evidence.data?.kinds.find((k) => k.kind === 'site-visit-photo')?.items ?? [];
  const photoSpec = EVIDENCE_KIND_SPECS['site-visit-photo'];
  const marking = v.status === 'pending' && v.kind === 'material-review' && app?.status === 'UNDER_REVIEW' && (hasGroup(state, 'reviewer') || hasGroup(state, 'admin'));
  const markable = (kind: string, e: EvidenceItemView) =>
    EVIDENCE_KIND_SPECS[kind as EvidenceKind]?.uploadedBy === 'applicant' && (e.status === 'valid' || (e.marks?.length ?? 0) > 0);
  return (
    <section>
      <PageTitle>
        {t.pick(labelOf(DECISION_KIND_LABELS, v.kind))}
        {app ? ` · ${app.institutionName}` : ''}
      </PageTitle>
      <div class={`card status-${v.status}`} role={v.status === 'pending' ? undefined : 'status'}>
        <p>
          <Badge value={v.status} label={t.pick(labelOf(DECISION_STATUS_LABELS, v.status))} /> <strong>{t.pick(v.statusMessage)}</strong>
        </p>
        {v.status === 'decided' ? (
          <p>
            {t('决定：', 'Decision: ')}
            {t.pick(labelOf(OUTCOME_LABELS, v.outcome))} · {v.reason} <span class="muted small">{formatTime(v.decidedAt, t.lang)}</span>
          </p>
        ) : null}
        {v.status === 'pending' ? (
          <p class={left < 0 ? 'warn' : ''}>
            {t('截止时间：', 'Deadline: ')}
            {formatTime(v.deadline, t.lang)} {left < 0 ? t('（已逾期）', '(overdue)') : t(`（剩 ${left} 天）`, `(${left} days left)`)}
          </p>
        ) : null}
      </div>
      {v.siteCase ? (
        <section class="card" aria-label={t('考核站点案件', 'Site case')}>
          <h2>{t('考核站点', 'Exam site')}</h2>
          <dl class="facts">
            <dt>{t('站点', 'Site')}</dt>
            <dd>
              {v.siteCase.site.institutionName} <code>{v.siteCase.site.certificateNumber}</code> · {v.siteCase.site.status}
            </dd>
            {v.siteCase.withdrawal ? (
              <>
                <dt>{t('退出理由（第二十二条）', 'Reason to withdraw (Art.22)')}</dt>
                <dd>{v.siteCase.withdrawal.reason}</dd>
                <dt>{t('已安排或进行中的考试', 'Sessions scheduled or in progress')}</dt>
                <dd>{v.siteCase.withdrawal.openSessions}</dd>
              </>
            ) : null}
            {v.siteCase.revocation ? (
              <>
                <dt>{t('事由', 'Cause')}</dt>
                <dd>
                  {v.siteCase.revocation.cause} ({v.siteCase.revocation.article})
                </dd>
                <dt>{t('立案理由', 'Reason')}</dt>
                <dd>
                  {v.siteCase.revocation.reason}
                  {v.siteCase.revocation.evidenceIds.length ? <SiteFilePicker siteId={v.siteCase.site.siteId} kind="case-evidence" selected={v.siteCase.revocation.evidenceIds} onChange={() => undefined} readOnly /> : null}
                </dd>
                {v.siteCase.revocation.urgentReason ? (
                  <>
                    <dt>{t('紧急理由', 'Why urgent')}</dt>
                    <dd>{v.siteCase.revocation.urgentReason}</dd>
                  </>
                ) : null}
                <dt>{t('陈述申辩', 'Representation')}</dt>
                <dd>
                  {v.siteCase.revocation.representation ? v.siteCase.revocation.representation.text : t('未提交', 'None given')}
                  {v.siteCase.revocation.representation?.evidenceIds.length ? (
                    <SiteFilePicker siteId={v.siteCase.site.siteId} kind="site-document" selected={v.siteCase.revocation.representation.evidenceIds} onChange={() => undefined} readOnly />
                  ) : null}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      ) : null}
      {v.supervision ? <SupervisionCasePanel data={v.supervision} /> : null}
      {app && !v.supervision ? (
        <section class="card">
          <h2>{t('申请', 'Application')}</h2>
          <dl class="facts">
            <dt>{t('单位', 'Institution')}</dt>
            <dd>
              {app.institutionName} <span class="muted small">{app.creditCode}</span>
            </dd>
            <dt>{t('状态', 'Status')}</dt>
            <dd>{t.pick(labelOf(APPLICATION_STATUS_LABELS, app.status))}</dd>
            <dt>{t('轮次', 'Round')}</dt>
            <dd>{app.round}</dd>
            <dt>{t('形式审查', 'Screening')}</dt>
            <dd>{t.pick(labelOf(OUTCOME_LABELS, app.screeningOutcome))}</dd>
          </dl>
          <p>
            <Link href={`/applications/${app.id}/form`}>{t('查看申请表', 'View the form')}</Link> ·{' '}
            <Link href={`/applications/${app.id}`}>{t('查看进度', 'View the timeline')}</Link>
          </p>
        </section>
      ) : null}
      {v.supervision ? null : (
        <section class="card">
          <h2>{t('形式审查发现', 'Screening findings')}</h2>
          {v.findings.length ? (
            <ul class="plain">
              {v.findings.map((f, i) => (
                <li key={i}>
                  <span class="muted small">{f.path.startsWith('evidence') ? t('支撑材料', 'Evidence') : t.pick(labelForPath(f.path) ?? { zh: f.path, en: f.path })}</span>
                  <FindingList findings={[f]} />
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('无。', 'None.')}</p>
          )}
        </section>
      )}
      {v.visitReport !== undefined ? (
        <section class="card">
          <h2>{t('实地考察报告', 'Site-visit report')}</h2>
          {v.visitReport ? (
            <>
              <p>
                {t('建议：', 'Recommendation: ')}
                {t.pick(labelOf(OUTCOME_LABELS, v.visitReport.recommendation))} · {v.visitReport.summary}
              </p>
              <FindingList findings={v.visitReport.findings} />
            </>
          ) : (
            <p class="muted">{t('无考察记录。', 'No visit recorded.')}</p>
          )}
        </section>
      ) : null}
      <section class="card">
        <h2>{t('支撑材料', 'Evidence')}</h2>
        <ErrorBox error={downloadError ?? evidence.error} />
        {marking ? (
          <p class="muted small">
            {t(
              '每份材料须加盖申请单位公章（第三条）。可将文件标注为未盖章、不清晰、与所需材料不符或已过期；退回补正时，标注将作为理由告知申请单位。',
              'Every material must carry the applicant’s seal (Art.3). Mark a file not stamped, illegible, not matching or expired; a return for correction tells the applicant these marks as its reasons.',
            )}
          </p>
        ) : null}
        <DataTable caption={t('支撑材料', 'Evidence')} class="files" columns={[t('类别', 'Kind'), t('文件', 'File'), t('校验', 'Check'), t('下载', 'Download')]}>
            {(evidence.data?.kinds ?? []).flatMap((k) =>
              k.items.map((e) => (
                <tr key={e.itemId} data-status={e.status}>
                  <td>
                    {t.pick(k)} <span class="article">{k.article}</span>
                    {e.tags.length ? <span class="muted small"> · {e.tags.map((tg) => t.pick(labelOf(EVIDENCE_TAG_LABELS, tg))).join(', ')}</span> : null}
                  </td>
                  <td>
                    {e.fileName}
                    {e.duplicate ? <span class="warn small"> {t('与其他申请中的文件相同', 'Same file as in another application')}</span> : null}
                  </td>
                  <td>
                    <Badge value={e.status} label={t.pick(labelOf(EVIDENCE_STATUS_LABELS, e.status))} />
                    <FindingList findings={e.reasons.map((r) => ({ code: r.code, article: r.article ?? k.article, severity: 'blocking', zh: r.zh ?? r.code, en: r.en ?? r.code }))} />
                    {e.markNote ? <p class="small">{e.markNote}</p> : null}
                    {marking && app && markable(k.kind, e) ? <MarkControl applicationId={app.id} item={e} onSaved={() => void evidence.reload()} /> : null}
                  </td>
                  <td>
                    {(e.status === 'valid' || (e.marks?.length ?? 0) > 0) && app ? (
                      <button type="button" class="small" onClick={() => downloadEvidence(app.id, e.itemId).catch(setDownloadError)}>
                        {t(`下载 ${e.fileName}`, `Download ${e.fileName}`)}
                      </button>
                    ) : null}
                  </td>
                </tr>
              )),
            )}
          </DataTable>
        <p class="muted small">{t('下载链接短时有效，每次下载均记入审计。', 'Download links are short-lived and every download is audited.')}</p>
      </section>
      {v.status === 'pending' && v.kind === 'site-visit' && app && hasGroup(state, 'reviewer') ? (
        <section class="card">
          <h2>
            {t('考察照片', 'Site-visit photos')} <span class="article">{photoSpec.article}</span>
          </h2>
          <p class="muted small">{t(`已上传 ${photos.length} 张`, `${photos.length} uploaded`)}</p>
          <UploadBox applicationId={app.id} kind="site-visit-photo" label={t(photoSpec.zh, photoSpec.en)} contentTypes={photoSpec.contentTypes} allowedTags={[]} onUploaded={() => void view.reload()} />
        </section>
      ) : null}
      {v.status === 'pending' && (v.siteCase ? hasGroup(state, 'admin') : hasGroup(state, 'reviewer')) ? <DecisionForm view={v} onDecided={() => void view.reload()} /> : null}
      {v.status === 'pending' && hasGroup(state, 'admin') ? <ReassignForm view={v} onDone={() => void view.reload()} /> : null}
    </section>
  );
}
