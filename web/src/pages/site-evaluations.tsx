import { useEffect, useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { SiteFilePicker } from '../components/site-files.tsx';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { EVALUATION_STATUS_LABELS } from './admin-campaigns.tsx';

/** A site's evaluation as the API returns it (schemas/api/supervision.schema.ts). */
interface Report {
  venueAndEquipment: string;
  examOrganisation: string;
  violations: string;
  incidents: string;
  workPlan: string;
  evidenceIds: string[];
}
interface EvaluationView {
  campaignId: string;
  campaignTitle: string;
  siteId: string;
  deadline: string;
  status: keyof typeof EVALUATION_STATUS_LABELS;
  submittedAt?: string;
  report?: Report;
}
interface Prefill {
  since: string;
  sessionsHeld: Array<{ sessionId: string; title?: string; startsAt: string; present: number; absent: number; violations: number; incidents: number }>;
  totals: { sessions: number; present: number; absent: number; violations: number; incidents: number };
  draft: { examOrganisation: string; violations: string; incidents: string };
}

const FIELDS: ReadonlyArray<readonly [keyof Omit<Report, 'evidenceIds'>, string, string, number]> = [
  ['venueAndEquipment', '考试场地及设备设施情况', 'Exam venue and equipment', 10],
  ['examOrganisation', '考务组织情况', 'Organisation of the exams', 10],
  ['violations', '考试违纪违规情况', 'Violations', 1],
  ['incidents', '考试事故情况', 'Incidents', 1],
  ['workPlan', '下一阶段工作计划', 'Next-stage work plan', 10],
];

/**
 * The site's evaluations (Art.19–20): each campaign's deadline and status;
 * the site's members write the report, prefilled from the site's records
 * since its last evaluation, and submit it (again, until the deadline).
 */
export function SiteEvaluationsPage({ siteId }: { siteId: string }) {
  const t = useT();
  const app = useApp();
  const isMember = hasGroup(app, 'applicant');
  const list = useAsync(() => get<{ items: EvaluationView[] }>(`/v1/sites/${encodeURIComponent(siteId)}/evaluations`), [siteId]);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const open = list.data?.items.find((e) => e.campaignId === chosen) ?? list.data?.items.find((e) => e.status === 'NOTIFIED' || e.status === 'NOTICE_PENDING' || e.status === 'SUBMITTED');
  return (
    <section>
      <PageTitle>{t('检查评估', 'Evaluations')}</PageTitle>
      <p class="muted">{t('逾期未提交视为评估不合格（第二十条）。', 'A report not submitted by the deadline counts as a failed evaluation (Art.20).')}</p>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} />
      {list.data && list.data.items.length === 0 ? <p class="muted">{t('暂无检查评估。', 'No evaluations yet.')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <DataTable caption={t('本站点的检查评估', "This site's evaluations")} columns={[t('检查评估', 'Campaign'), t('截止', 'Deadline'), t('状态', 'Status'), '']}>
          {list.data.items.map((e) => (
            <tr key={e.campaignId}>
              <td>{e.campaignTitle}</td>
              <td>{formatTime(e.deadline, t.lang)}</td>
              <td>
                <Badge value={e.status} label={t(...EVALUATION_STATUS_LABELS[e.status])} />
              </td>
              <td>
                <button type="button" class="link" onClick={() => setChosen(e.campaignId)}>
                  {t('查看汇报', 'Open the report')}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {open ? <ReportForm key={open.campaignId} siteId={siteId} evaluation={open} canWrite={isMember} onSaved={() => void list.reload()} /> : null}
      <p>
        <Link href={`/sites/${siteId}`}>{t('返回考核站点', 'Back to the site')}</Link>
      </p>
    </section>
  );
}

function ReportForm({ siteId, evaluation, canWrite, onSaved }: { siteId: string; evaluation: EvaluationView; canWrite: boolean; onSaved: () => void }) {
  const t = useT();
  const prefill = useAsync(() => get<EvaluationView & { prefill: Prefill }>(`/v1/sites/${encodeURIComponent(siteId)}/evaluations/${encodeURIComponent(evaluation.campaignId)}/report`), [siteId, evaluation.campaignId]);
  const [report, setReport] = useState<Omit<Report, 'evidenceIds'> | undefined>(undefined);
  const [files, setFiles] = useState<string[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const p = prefill.data;
    if (!p || report) return;
    setReport(p.report ?? { venueAndEquipment: '', examOrganisation: p.prefill.draft.examOrganisation, violations: p.prefill.draft.violations, incidents: p.prefill.draft.incidents, workPlan: '' });
    setFiles(p.report?.evidenceIds ?? []);
  }, [prefill.data]);
  const writable = canWrite && evaluation.status !== 'MISSED';
  const submit = async () => {
    if (!report) return;
    setError(undefined);
    setSaved(false);
    try {
      await api('PUT', `/v1/sites/${encodeURIComponent(siteId)}/evaluations/${encodeURIComponent(evaluation.campaignId)}/report`, { body: { ...report, evidenceIds: files ?? [] } });
      setSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
    }
  };
  if (prefill.loading && !prefill.data) return <Loading />;
  if (!prefill.data || !report) return <ErrorBox error={prefill.error} />;
  const p = prefill.data.prefill;
  return (
    <form
      class="card"
      aria-labelledby="report-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="report-title">
        {t('检查评估汇报', 'Evaluation report')}：{evaluation.campaignTitle}
      </h2>
      <p class="muted small" data-testid="prefill-summary">
        {t(
          `已根据本站点记录预填：自 ${formatTime(p.since, 'zh')} 起组织考试 ${p.totals.sessions} 场，违纪 ${p.totals.violations} 起，事故 ${p.totals.incidents} 起。请核对、补充后提交。`,
          `Prefilled from the site's records: since ${formatTime(p.since, 'en')}, ${p.totals.sessions} session(s) held, ${p.totals.violations} violation(s), ${p.totals.incidents} incident(s). Check, complete and submit.`,
        )}
      </p>
      {FIELDS.map(([key, zh, en, min]) => (
        <label key={key} class="field multi">
          {t(zh, en)}
          <textarea name={key} rows={4} required minLength={min} maxLength={5000} readOnly={!writable} value={report[key]} onInput={(e) => setReport({ ...report, [key]: (e.target as HTMLTextAreaElement).value })} />
        </label>
      ))}
      <SiteFilePicker siteId={siteId} kind="site-document" selected={files ?? []} onChange={setFiles} readOnly={!writable} />
      <ErrorBox error={error} />
      {saved ? (
        <p role="status" class="notice">
          {t('汇报已提交。截止前可修改后再次提交。', 'Report submitted. You may change and submit it again until the deadline.')}
        </p>
      ) : null}
      {writable ? (
        <button type="submit" class="primary">
          {evaluation.status === 'SUBMITTED' ? t('更新汇报', 'Update the report') : t('提交汇报', 'Submit the report')}
        </button>
      ) : null}
    </form>
  );
}
