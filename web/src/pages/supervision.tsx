import { useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { SiteFilePicker } from '../components/site-files.tsx';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { labelOf, OUTCOME_LABELS } from '../labels.ts';
import type { RectificationView, SupervisionCase } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** `GET /v1/sites/{siteId}/supervision` (schemas/api/rectification.schema.ts). */
interface AssessmentView {
  campaignId: string;
  campaignTitle: string;
  rubricVersion: string;
  total: number;
  max: number;
  verdict: string;
  decided: string;
  outcome: string;
  steps: Array<{ from: string; to: string; article: string; zh: string; en: string }>;
  reason: string;
  decidedAt: string;
  confirmation?: { outcome: 'confirm' | 'reject' | 'overdue'; at: string };
}
interface SiteSupervision {
  siteId: string;
  status: string;
  assessments: AssessmentView[];
  marks: Array<{ kind: string; at: string; article: string; reason: string }>;
  rectifications: RectificationView[];
  openRectification: RectificationView | null;
  ladder: { version: string; windowMonths: number };
}

export const MARK_LABELS: Record<string, [string, string]> = {
  warning: ['警告', 'Warning'],
  failure: ['评估不合格', 'Failed assessment'],
  'missed-deadline': ['逾期未提交', 'Missed deadline'],
  suspension: ['暂停考试', 'Exam suspension'],
  'rectification-passed': ['整改通过', 'Rectification passed'],
  'rectification-failed': ['整改未通过', 'Rectification failed'],
};

const RECTIFICATION_STATUS: Record<RectificationView['status'], [string, string]> = {
  'awaiting-report': ['待提交整改报告', 'Report due'],
  'under-review': ['复评中', 'Under review'],
  passed: ['整改通过', 'Passed'],
  failed: ['整改未通过，已提请撤销', 'Failed; revocation proposed'],
  missed: ['逾期未提交，已提请撤销', 'Missed; revocation proposed'],
  'review-overdue': ['复评逾期', 'Review overdue'],
};

const VERDICTS: Record<string, [string, string]> = { pass: ['合格', 'Pass'], 'pass-with-warning': ['合格（警告线以下）', 'Pass, below the warning line'], fail: ['不合格', 'Fail'] };

/** The rubric as inputs, one score per criterion (Art.21 综合能力评估). */
export function ScoresEditor({ rubric, value, onChange }: { rubric: SupervisionCase['rubric']; value: Record<string, number>; onChange: (v: Record<string, number>) => void }) {
  const t = useT();
  const total = rubric.criteria.reduce((sum, c) => sum + (value[c.id] ?? 0), 0);
  const max = rubric.criteria.reduce((sum, c) => sum + c.max, 0);
  return (
    <fieldset class="group scores">
      <legend>{t(`评估标准 ${rubric.version} 评分`, `Scores (rubric ${rubric.version})`)}</legend>
      {rubric.criteria.map((c) => (
        <div key={c.id}>
          <label>
            {t(c.zh, c.en)} <span class="article">{c.article}</span> {c.critical ? <span class="warn small">{t('（关键项：0 分即不合格）', '(critical: 0 fails)')}</span> : null}{' '}
            <input
              type="number"
              name={`score-${c.id}`}
              min={0}
              max={c.max}
              step={1}
              required
              value={value[c.id] ?? ''}
              onInput={(e) => {
                const n = Number((e.target as HTMLInputElement).value);
                onChange({ ...value, [c.id]: Number.isFinite(n) ? n : 0 });
              }}
            />{' '}
            / {c.max}
          </label>
        </div>
      ))}
      <p>
        {t(`合计 ${total} / ${max}；${rubric.passTotal} 分合格，低于 ${rubric.warnBelow} 分给予警告。`, `Total ${total} / ${max}; ${rubric.passTotal} passes, below ${rubric.warnBelow} a warning.`)}
      </p>
    </fieldset>
  );
}

/** The site, its report, its marks and the ladder beside a supervision decision. */
export function SupervisionCasePanel({ data }: { data: SupervisionCase }) {
  const t = useT();
  const r = data.evaluation?.report;
  return (
    <section class="card" aria-label={t('检查评估', 'Evaluation')}>
      <h2>{t('考核站点检查评估（第十九至二十一条）', 'Exam-site evaluation (Art.19–21)')}</h2>
      <dl class="facts">
        <dt>{t('站点', 'Site')}</dt>
        <dd>
          {data.site.institutionName} <code>{data.site.certificateNumber}</code> · {data.site.status}
        </dd>
        {data.evaluation ? (
          <>
            <dt>{t('检查评估', 'Campaign')}</dt>
            <dd>
              {data.evaluation.campaignTitle} ·{' '}
              {data.evaluation.status === 'MISSED' ? (
                <strong>
                  {t('截止', 'Deadline')} {formatTime(data.evaluation.deadline, t.lang)} {t('前未提交评估材料：视为检查评估不合格（第二十条），结论至少为限期整改。', 'passed with no report: this counts as a failed evaluation (Art.20); the outcome must be at least rectification.')}
                </strong>
              ) : (
                <>
                  {t('提交于', 'submitted')} {formatTime(data.evaluation.submittedAt, t.lang)}
                </>
              )}
            </dd>
          </>
        ) : null}
        {r ? (
          <>
            <dt>{t('考试场地及设备设施情况', 'Venue and equipment')}</dt>
            <dd>{r.venueAndEquipment}</dd>
            <dt>{t('考务组织情况', 'Organisation of the exams')}</dt>
            <dd>{r.examOrganisation}</dd>
            <dt>{t('考试违纪违规', 'Violations')}</dt>
            <dd>{r.violations}</dd>
            <dt>{t('考试事故', 'Incidents')}</dt>
            <dd>{r.incidents}</dd>
            <dt>{t('下一阶段工作计划', 'Next-stage work plan')}</dt>
            <dd>{r.workPlan}</dd>
            {r.evidenceIds?.length ? (
              <>
                <dt>{t('附件', 'Attachments')}</dt>
                <dd>
                  <SiteFilePicker siteId={data.site.siteId} kind="site-document" selected={r.evidenceIds} onChange={() => undefined} readOnly />
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {data.proposal ? (
          <>
            <dt>{t('评估结论（待确认）', 'Proposed outcome (to confirm)')}</dt>
            <dd>
              {t.pick(labelOf(OUTCOME_LABELS, data.proposal.outcome))} · {data.proposal.total}/{data.proposal.max} · {data.proposal.reason}
              {data.proposal.steps.map((s, i) => (
                <div key={i} class="small">
                  {t('升级：', 'Escalated: ')}
                  {t(s.zh, s.en)}
                </div>
              ))}
            </dd>
          </>
        ) : null}
        {data.rectification ? (
          <>
            <dt>{t('整改原因', 'Why rectify')}</dt>
            <dd>{data.rectification.reason}</dd>
            <dt>{t('整改报告', 'Rectification report')}</dt>
            <dd>
              {data.rectification.report ? data.rectification.report.text : t('未提交', 'Not submitted')}
              {data.rectification.report?.evidenceIds.length ? (
                <SiteFilePicker siteId={data.site.siteId} kind="site-document" selected={data.rectification.report.evidenceIds} onChange={() => undefined} readOnly />
              ) : null}
            </dd>
          </>
        ) : null}
        <dt>{t(`近 ${data.ladder.windowMonths} 个月的记录`, `Marks in the last ${data.ladder.windowMonths} months`)}</dt>
        <dd>{data.marks.length ? data.marks.map((m) => `${t(...(MARK_LABELS[m.kind] ?? [m.kind, m.kind]))} ${formatTime(m.at, t.lang)}`).join('；') : t('无', 'None')}</dd>
      </dl>
      <p class="muted small">
        {t('处理阶梯（第二十一条）：', 'Sanction ladder (Art.21): ')}
        {data.ladder.rungs.map((rung) => t(rung.zh, rung.en)).join('；')}
      </p>
    </section>
  );
}

/**
 * A site's supervision (Art.21): the outcome of its assessments with the
 * ladder's escalations, its dated marks, and its rectification; the site's
 * members submit the rectification report here by the deadline.
 */
export function SiteSupervisionPage({ siteId }: { siteId: string }) {
  const t = useT();
  const state = useApp();
  const isMember = hasGroup(state, 'applicant') && !hasGroup(state, 'reviewer') && !hasGroup(state, 'admin');
  const data = useAsync(() => get<SiteSupervision>(`/v1/sites/${encodeURIComponent(siteId)}/supervision`), [siteId]);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const d = data.data;
  const open = d?.openRectification;
  const submit = async () => {
    if (!open) return;
    setBusy(true);
    setError(undefined);
    try {
      await api('PUT', `/v1/sites/${encodeURIComponent(siteId)}/rectifications/${encodeURIComponent(open.rectificationId)}/report`, { body: { text, evidenceIds: files } });
      setDone(true);
      await data.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <PageTitle>{t('检查评估与整改', 'Evaluation and rectification')}</PageTitle>
      <p>
        <Link href={`/sites/${encodeURIComponent(siteId)}`}>{t('返回考核站点', 'Back to the exam site')}</Link>
      </p>
      <ErrorBox error={data.error} />
      {data.loading && !d ? <Loading /> : null}
      {done ? (
        <p class="notice" role="status">
          {t('整改报告已提交，等待复评。', 'Your rectification report was submitted and awaits review.')}
        </p>
      ) : null}
      {d ? (
        <>
          <p>
            {t('站点状态', 'Site status')} <Badge value={d.status} label={d.status === 'SUSPENDED' ? t('暂停考试', 'Suspended from exams') : d.status} />
          </p>
          {open ? (
            <section class="card" aria-label={t('整改', 'Rectification')}>
              <h2>{open.suspended ? t('暂停考试并限期整改（第二十一条）', 'Suspended from exams, rectification due (Art.21)') : t('限期整改（第二十一条）', 'Rectification due (Art.21)')}</h2>
              <p>
                {t('原因', 'Why')}：{open.reason}
              </p>
              <p>
                {t('整改报告截止时间', 'Report due by')}：{formatTime(open.deadline, t.lang)} · <Badge value={open.status} label={t(...RECTIFICATION_STATUS[open.status])} />
              </p>
              {open.status === 'awaiting-report' && isMember ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    void submit();
                  }}
                >
                  <label for="rectification-text">{t('整改报告（整改措施与结果）', 'Rectification report (what you did and the result)')}</label>
                  <textarea id="rectification-text" rows={6} required minLength={10} maxLength={5000} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
                  <SiteFilePicker siteId={siteId} kind="site-document" selected={files} onChange={setFiles} />
                  <p class="muted small">{t('逾期未提交或整改后仍不符合要求的，将取消考核站点资质（第二十一条）。', 'A site that misses the deadline or still fails after rectification is revoked (Art.21).')}</p>
                  <ErrorBox error={error} />
                  <button type="submit" class="primary" disabled={busy || text.trim().length < 10}>
                    {busy ? t('提交中…', 'Submitting…') : t('提交整改报告', 'Submit the rectification report')}
                  </button>
                </form>
              ) : open.report ? (
                <p>
                  {t('已提交', 'Submitted')} {formatTime(open.report.submittedAt, t.lang)}：{open.report.text}
                </p>
              ) : null}
              {open.report && open.report.evidenceIds.length ? (
                <SiteFilePicker siteId={siteId} kind="site-document" selected={open.report.evidenceIds} onChange={() => undefined} readOnly />
              ) : null}
            </section>
          ) : null}
          <DataTable caption={t('综合能力评估', 'Assessments')} columns={[t('检查评估', 'Campaign'), t('评分', 'Score'), t('结论', 'Outcome'), t('评估意见', 'Note'), t('日期', 'Date')]}>
            {d.assessments.map((a) => (
              <tr key={a.campaignId} data-outcome={a.outcome}>
                <td>{a.campaignTitle}</td>
                <td>
                  {a.total} / {a.max} · {t(...(VERDICTS[a.verdict] ?? [a.verdict, a.verdict]))} <span class="muted small">{a.rubricVersion}</span>
                </td>
                <td>
                  {t.pick(labelOf(OUTCOME_LABELS, a.outcome))}
                  {a.steps.map((s, i) => (
                    <div key={i} class="small">
                      {t('升级：', 'Escalated: ')}
                      {t(s.zh, s.en)} <span class="article">{s.article}</span>
                    </div>
                  ))}
                  {a.confirmation ? (
                    <div class="small muted">
                      {a.confirmation.outcome === 'confirm' ? t('暂停已确认', 'Suspension confirmed') : a.confirmation.outcome === 'reject' ? t('暂停未获确认，限期整改', 'Suspension not confirmed; rectification only') : t('暂停未在期限内确认，限期整改', 'Suspension not confirmed in time; rectification only')}
                    </div>
                  ) : null}
                </td>
                <td>{a.reason}</td>
                <td>{formatTime(a.decidedAt, t.lang)}</td>
              </tr>
            ))}
          </DataTable>
          <DataTable caption={t(`记录（处理阶梯 ${d.ladder.version}，${d.ladder.windowMonths} 个月内重复将升级）`, `Marks (ladder ${d.ladder.version}: a repeat within ${d.ladder.windowMonths} months escalates)`)} columns={[t('记录', 'Mark'), t('日期', 'Date'), t('条款', 'Article'), t('说明', 'Note')]}>
            {d.marks.map((m) => (
              <tr key={`${m.at}-${m.kind}`}>
                <td>{t(...(MARK_LABELS[m.kind] ?? [m.kind, m.kind]))}</td>
                <td>{formatTime(m.at, t.lang)}</td>
                <td>{m.article}</td>
                <td>{m.reason}</td>
              </tr>
            ))}
          </DataTable>
          <DataTable caption={t('整改记录', 'Rectifications')} columns={[t('开始', 'Opened'), t('暂停考试', 'Suspended'), t('截止', 'Due'), t('状态', 'Status')]}>
            {d.rectifications.map((r) => (
              <tr key={r.rectificationId}>
                <td>{formatTime(r.openedAt, t.lang)}</td>
                <td>{r.suspended ? t('是', 'Yes') : t('否', 'No')}</td>
                <td>{formatTime(r.deadline, t.lang)}</td>
                <td>{t(...RECTIFICATION_STATUS[r.status])}</td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  );
}
