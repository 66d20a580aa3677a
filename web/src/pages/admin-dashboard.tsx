import { useState } from 'preact/hooks';
import { findProvince } from '../../../schemas/validators/region-codes.ts';
import { api, get } from '../api.ts';
import { ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, DECISION_KIND_LABELS, labelOf } from '../labels.ts';
import type { Dashboard, Page, StaffMember, StalledApplication } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** Applications by status and province, overdue tasks, active sites and the Art.8 coverage. */
export function AdminDashboardPage() {
  const t = useT();
  const dash = useAsync(() => get<Dashboard>('/v1/admin/dashboard'), []);
  const d = dash.data;
  const province = (code: string) => {
    const p = findProvince(code);
    return p ? t.pick(p) : code;
  };
  return (
    <section>
      <PageTitle>{t('概览', 'Dashboard')}</PageTitle>
      <ErrorBox error={dash.error} />
      {!d ? <Loading /> : null}
      {d ? (
        <>
          <div class="cards">
            <div class="card stat">
              <h2>{t('在册考核站点', 'Active exam sites')}</h2>
              <p class="big">{d.sites.active}</p>
            </div>
            <div class="card stat">
              <h2>{t('逾期待办', 'Overdue tasks')}</h2>
              <p class={`big ${d.overdueTasks.count ? 'warn' : ''}`}>{d.overdueTasks.count}</p>
            </div>
            <div class="card stat">
              <h2>
                {t('地级市覆盖', 'City coverage')} <span class="article">{d.coverage.article}</span>
              </h2>
              <p class="big">
                {d.coverage.coveredCities} / {d.coverage.citiesWithPilotColleges}
              </p>
            </div>
          </div>
          <section class="card">
            <h2>{t('各状态申请数', 'Applications by status')}</h2>
            <table>
              <caption class="sr-only">{t('各状态申请数', 'Applications by status')}</caption>
              <tbody>
                {Object.entries(d.applicationsByStatus).map(([s, n]) => (
                  <tr key={s}>
                    <th scope="row">{t.pick(labelOf(APPLICATION_STATUS_LABELS, s))}</th>
                    <td>{n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="card">
            <h2>{t('各省申请数', 'Applications by province')}</h2>
            <table>
              <caption class="sr-only">{t('各省申请数', 'Applications by province')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('省份', 'Province')}</th>
                  <th scope="col">{t('按状态', 'By status')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(d.applicationsByProvince).map(([p, byStatus]) => (
                  <tr key={p}>
                    <th scope="row">{province(p)}</th>
                    <td>
                      {Object.entries(byStatus)
                        .map(([s, n]) => `${t.pick(labelOf(APPLICATION_STATUS_LABELS, s))} ${n}`)
                        .join(t('，', ', '))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <StalledList />
          <section class="card">
            <h2>{t('逾期待办', 'Overdue tasks')}</h2>
            {d.overdueTasks.items.length ? (
              <ul class="plain">
                {d.overdueTasks.items.map((o, i) => (
                  <li key={i}>
                    {o.decisionId ? <Link href={`/decisions/${o.decisionId}`}>{t.pick(labelOf(DECISION_KIND_LABELS, o.kind))}</Link> : t.pick(labelOf(DECISION_KIND_LABELS, o.kind))}{' '}
                    · {o.assignee} · {formatTime(o.deadline, t.lang)}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('无。', 'None.')}</p>
            )}
          </section>
          <section class="card">
            <h2>
              {t('尚无考核站点的地级市', 'Cities without an exam site')} <span class="article">Art.8</span>
            </h2>
            {d.coverage.uncoveredCities.length ? (
              <ul class="plain">
                {d.coverage.uncoveredCities.map((c) => (
                  <li key={c.cityCode}>
                    {province(c.provinceCode)} {c.cityCode}: {c.pilotColleges.map((p) => p.name).join(t('、', ', '))}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('全部覆盖。', 'All covered.')}</p>
            )}
          </section>
          <p class="muted small">
            {t('生成时间', 'Generated')} {formatTime(d.generatedAt, t.lang)}
          </p>
        </>
      ) : null}
    </section>
  );
}

const STAGE_LABELS: Record<StalledApplication['stage'], { zh: string; en: string }> = {
  screening: { zh: '形式审查', en: 'Screening' },
  correction: { zh: '补正', en: 'Correction' },
  materialReview: { zh: '材料审核', en: 'Material review' },
  siteVisit: { zh: '实地考察', en: 'Site visit' },
  finalDecision: { zh: '终审', en: 'Final decision' },
};
const RESUMABLE = new Set(['materialReview', 'siteVisit', 'finalDecision']);

/**
 * Stalled accreditations (a review overdue after its escalations) and failed
 * ones: stage, since when, why; an admin resumes one (the decision reopens for
 * the chosen or least-loaded reviewer) or closes it (the applicant is told).
 */
function StalledList() {
  const t = useT();
  const stalled = useAsync(() => get<{ items: StalledApplication[] }>('/v1/admin/stalled-applications'), []);
  const items = stalled.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="stalled-title">
      <h2 id="stalled-title">{t('停滞或失败的认证流程', 'Stalled or failed accreditations')}</h2>
      <ErrorBox error={stalled.error} />
      {stalled.loading && !stalled.data ? <Loading /> : null}
      {stalled.data && items.length === 0 ? <p class="muted">{t('无。', 'None.')}</p> : null}
      {items.map((item) => (
        <StalledItem key={item.applicationId} item={item} onDone={() => void stalled.reload()} />
      ))}
    </section>
  );
}

function StalledItem({ item, onDone }: { item: StalledApplication; onDone: () => void }) {
  const t = useT();
  const [action, setAction] = useState<'resume' | 'close' | undefined>(undefined);
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const staff = useAsync(() => (action === 'resume' ? get<Page<StaffMember>>('/v1/admin/staff?limit=200') : Promise.resolve(undefined)), [action]);
  const reviewers = (staff.data?.items ?? []).filter((s) => s.active && s.role === 'reviewer');
  const submit = async () => {
    setError(undefined);
    try {
      const body = action === 'resume' ? { reason, ...(assignee ? { assigneeSub: assignee } : {}) } : { reason };
      await api('POST', `/v1/admin/applications/${item.applicationId}/${action}`, { body });
      setAction(undefined);
      onDone();
    } catch (e) {
      setError(e);
    }
  };
  const id = `stalled-${item.applicationId}`;
  return (
    <article class="stalled" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <Link href={`/applications/${item.applicationId}`}>{item.institutionName}</Link> · {t.pick(labelOf(APPLICATION_STATUS_LABELS, item.status))} ·{' '}
        {t.pick(STAGE_LABELS[item.stage])}
      </h3>
      <p>
        {item.reason === 'decision-overdue' ? t('审核多次超时', 'Review overdue after its escalations') : t('流程出错', 'Workflow failed')} ·{' '}
        {t('自', 'since')} {formatTime(item.since, t.lang)} · <span class="muted">{item.why}</span>
      </p>
      {!action ? (
        <p>
          {RESUMABLE.has(item.stage) ? (
            <button type="button" onClick={() => setAction('resume')}>
              {t('恢复（重新分派）', 'Resume (reassign)')}
            </button>
          ) : null}{' '}
          <button type="button" class="secondary" onClick={() => setAction('close')}>
            {t('关闭申请', 'Close the application')}
          </button>
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {action === 'resume' ? (
            <label>
              {t('审核员', 'Reviewer')}{' '}
              <select value={assignee} onChange={(e) => setAssignee((e.target as HTMLSelectElement).value)}>
                <option value="">{t('— 任务最少的审核员 —', '— the least-loaded reviewer —')}</option>
                {reviewers.map((r) => (
                  <option key={r.sub} value={r.sub}>
                    {r.name} ({r.email})
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label for={`${id}-reason`}>{t('理由（必填）', 'Reason (required)')}</label>
          <textarea id={`${id}-reason`} rows={2} required minLength={5} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          <ErrorBox error={error ?? staff.error} />
          <button type="submit" disabled={reason.trim().length < 5}>
            {action === 'resume' ? t('恢复', 'Resume') : t('关闭并通知申请单位', 'Close and tell the applicant')}
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setAction(undefined)}>
            {t('取消', 'Cancel')}
          </button>
        </form>
      )}
    </article>
  );
}
