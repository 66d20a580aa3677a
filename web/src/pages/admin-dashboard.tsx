import { findProvince } from '../../../schemas/validators/region-codes.ts';
import { get } from '../api.ts';
import { ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, DECISION_KIND_LABELS, labelOf } from '../labels.ts';
import type { Dashboard } from '../types.ts';
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
