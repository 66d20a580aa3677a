import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EChartsOption } from 'echarts';
import type { z } from 'zod/mini';
import type { reportsComputingSchema, reportsSchema } from '../../../schemas/api/reports.schema.ts';
import { findProvince } from '../../../schemas/validators/region-codes.ts';
import { download, get } from '../api.ts';
import { Chart, ChartFigure } from '../charts/chart.tsx';
import { CoverageMap, useCityNames } from '../charts/coverage-map.tsx';
import { DataTable, ErrorBox, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, DECISION_KIND_LABELS, labelOf } from '../labels.ts';
import { useAsync } from '../use-async.ts';

/** `GET /v1/admin/reports` (schemas/api/reports.schema.ts). */
export type Reports = z.infer<typeof reportsSchema>;
type ReportsComputing = z.infer<typeof reportsComputingSchema>;

const STATUS_COLOURS: Record<string, string> = {
  DRAFT: '#afb8c1',
  SUBMITTED: '#54aeff',
  SCREENING: '#218bff',
  UNDER_REVIEW: '#0969da',
  RETURNED: '#d4a72c',
  SITE_VISIT: '#8250df',
  DECISION: '#bf3989',
  APPROVED: '#2da44e',
  REJECTED: '#cf222e',
  CLOSED: '#6e7781',
  ACTIVE: '#2da44e',
  SUSPENDED: '#d4a72c',
  REVOKED: '#cf222e',
  WITHDRAWN: '#6e7781',
};
const SITE_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED', 'WITHDRAWN'] as const;
/** As the sites page names them (pages/sites.tsx); repeated so that this chunk does not pull that page in. */
const STATUS_LABELS: Record<(typeof SITE_STATUSES)[number], [string, string]> = {
  ACTIVE: ['已认证', 'Active'],
  SUSPENDED: ['暂停考试', 'Exams suspended'],
  REVOKED: ['已撤销', 'Revoked'],
  WITHDRAWN: ['已退出', 'Withdrawn'],
};
const DAY = 86_400_000;

/** The figures the portal shows, with `id`s the browser test reads. */
function Figure({ name, value, label, warn }: { name: string; value: number | string; label: string; warn?: boolean }) {
  return (
    <div class="card stat" data-stat={name}>
      <h2>{label}</h2>
      <p class={`big ${warn ? 'warn' : ''}`}>{value}</p>
    </div>
  );
}

/**
 * Reports for the organisation: the Art.8 coverage map, the pipeline and
 * review times, site health, campaign progress, and the exports. Charts
 * load lazily (their own chunk); each has its data as a table.
 */
export function AdminReportsPage() {
  const t = useT();
  // The API serves a snapshot at most a minute old; the button asks for one computed now.
  const [refreshes, setRefreshes] = useState(0);
  const answer = useAsync(() => get<Reports | ReportsComputing>(refreshes ? '/v1/admin/reports?refresh=true' : '/v1/admin/reports'), [refreshes]);
  // 202 while the first snapshot is computed: ask again after the time the API says.
  const computing = answer.data && 'status' in answer.data ? answer.data : undefined;
  useEffect(() => {
    if (!computing) return undefined;
    const timer = setTimeout(() => void answer.reload(), computing.retryAfterSeconds * 1000);
    return () => clearTimeout(timer);
  }, [computing]);
  const reports = { ...answer, data: answer.data && !('status' in answer.data) ? answer.data : undefined };
  const r = reports.data;
  return (
    <section class="reports">
      <PageTitle>{t('统计报表', 'Reports')}</PageTitle>
      {r ? (
        <p class="muted small report-age">
          {t('数据生成时间', 'Figures as of')} {formatTime(r.generatedAt, t.lang)}
          {t('（每分钟更新）', ' (updated every minute)')}{' '}
          <button type="button" disabled={reports.loading} onClick={() => setRefreshes(refreshes + 1)}>
            {reports.loading ? t('正在刷新…', 'Refreshing…') : t('立即刷新', 'Refresh now')}
          </button>
        </p>
      ) : null}
      <ErrorBox error={reports.error} />
      {computing ? <p class="muted">{t(computing.message.zh, computing.message.en)}</p> : null}
      {!r ? <Loading /> : <ReportsBody r={r} />}
    </section>
  );
}

function ReportsBody({ r }: { r: Reports }) {
  const t = useT();
  const colleges = useMemo(() => new Map(r.coverage.uncoveredCities.map((c) => [c.cityCode, c.pilotColleges.map((p) => p.name)])), [r]);
  const decided = r.pipeline.latency.reduce((n, l) => n + l.decided, 0);
  return (
    <>
      <div class="cards">
        <Figure name="covered-cities" label={t('已覆盖地级市', 'Cities covered')} value={`${r.coverage.coveredCities} / ${r.coverage.citiesWithPilotColleges}`} />
        <Figure name="overdue" label={t('逾期待办', 'Overdue tasks')} value={r.pipeline.overdueTotal} warn={r.pipeline.overdueTotal > 0} />
        <Figure name="approaching" label={t('临近两年期限的站点', 'Sites near the two-year limit')} value={r.siteHealth.approaching.length} warn={r.siteHealth.approaching.length > 0} />
        <Figure name="decided" label={t('已完成审核决定', 'Review decisions taken')} value={decided} />
      </div>
      <section class="card" aria-labelledby="coverage-section">
        <h2 id="coverage-section">
          {t('考核站点覆盖', 'Exam-site coverage')} <span class="article">Art.8</span>
        </h2>
        <CoverageMap cities={r.coverage.cities} collegesOf={(code) => colleges.get(code) ?? []} id="admin-coverage" />
      </section>
      <PipelineSection r={r} />
      <SiteHealthSection r={r} />
      <CampaignSection r={r} />
      <ExportsSection />
    </>
  );
}

function PipelineSection({ r }: { r: Reports }) {
  const t = useT();
  const p = r.pipeline;
  const statuses = Object.keys(APPLICATION_STATUS_LABELS).filter((s) => p.byMonth.some((m) => m.counts[s]));
  const statusName = (s: string) => t.pick(labelOf(APPLICATION_STATUS_LABELS, s));
  const byMonth: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: p.byMonth.map((m) => m.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: statuses.map((s) => ({ type: 'bar', stack: 'status', barMaxWidth: 48, name: statusName(s), itemStyle: { color: STATUS_COLOURS[s] }, data: p.byMonth.map((m) => m.counts[s] ?? 0) })),
  };
  const total = p.byMonth.reduce((n, m) => n + Object.values(m.counts).reduce((a, b) => a + b, 0), 0);
  return (
    <section class="card" aria-labelledby="pipeline-section">
      <h2 id="pipeline-section">{t('申请与审核', 'Applications and reviews')}</h2>
      <ChartFigure
        id="by-month"
        title={t('各月申请（按当前状态）', 'Applications by month (by current status)')}
        note={t('按申请进入当前状态的月份统计（北京时间）。', 'By the month each application entered its current status (Beijing time).')}
        chart={<Chart option={byMonth} summary={t(`近 12 个月共 ${total} 件申请进入当前状态。`, `${total} applications entered their current status in the last 12 months.`)} />}
        table={
          <DataTable caption={t('各月申请', 'Applications by month')} columns={[t('月份', 'Month'), ...statuses.map(statusName)]}>
            {p.byMonth.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                {statuses.map((s) => (
                  <td key={s}>{m.counts[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </DataTable>
        }
      />
      <div class="chart-grid">
        {p.latency.map((l) => {
          const stage = t.pick(labelOf(DECISION_KIND_LABELS, l.stage));
          const labels = l.buckets.map((b) => (b.toDays === null ? `≥${b.fromDays}` : `${b.fromDays}–${b.toDays}`));
          const option: EChartsOption = {
            tooltip: { trigger: 'axis' },
            grid: { left: 36, right: 12, top: 24, bottom: 40 },
            xAxis: [
              { type: 'category', data: labels, name: t('天', 'days'), nameLocation: 'middle', nameGap: 26 },
              // The buckets' positions as numbers (bucket i spans i−0.5 to i+0.5), hidden: the deadline line sits on a bucket boundary.
              { type: 'value', min: -0.5, max: labels.length - 0.5, show: false },
            ],
            yAxis: { type: 'value', minInterval: 1, axisLine: { show: false } },
            series: [
              {
                type: 'bar',
                name: stage,
                barMaxWidth: 40,
                data: l.buckets.map((b) => ({ value: b.count, itemStyle: { color: b.fromDays >= l.deadlineDays ? '#cf222e' : '#0969da' } })),
              },
              {
                type: 'line',
                xAxisIndex: 1,
                data: [],
                markLine: {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: '#cf222e', type: 'dashed' },
                  label: { formatter: t(`期限 ${l.deadlineDays} 天`, `deadline ${l.deadlineDays} d`) },
                  // Between the last bucket within the deadline and the first beyond it.
                  data: [{ xAxis: l.buckets.findIndex((b) => b.fromDays >= l.deadlineDays) - 0.5 }],
                },
              },
            ],
          };
          const summary = t(
            `${stage}：已决定 ${l.decided} 项，期限内 ${l.withinDeadline} 项，中位 ${l.medianDays ?? '—'} 天，90% 在 ${l.p90Days ?? '—'} 天内，期限 ${l.deadlineDays} 天。`,
            `${stage}: ${l.decided} decided, ${l.withinDeadline} within the deadline; median ${l.medianDays ?? '—'} days, 90% within ${l.p90Days ?? '—'} days; deadline ${l.deadlineDays} days.`,
          );
          return (
            <ChartFigure
              key={l.stage}
              id={`latency-${l.stage}`}
              title={t(`审核用时：${stage}`, `Review time: ${stage}`)}
              note={summary}
              chart={<Chart option={option} summary={summary} height={220} />}
              table={
                <DataTable caption={summary} columns={[t('用时（天）', 'Time (days)'), t('决定数', 'Decisions')]}>
                  {l.buckets.map((b, i) => (
                    <tr key={i}>
                      <th scope="row">{labels[i]}</th>
                      <td>{b.count}</td>
                    </tr>
                  ))}
                </DataTable>
              }
            />
          );
        })}
      </div>
      <p class="muted small">
        {t(`审核用时取自最近 ${p.applicationsRead} 件已进入审核的申请。`, `Review times from the ${p.applicationsRead} most recent applications that reached review.`)}
      </p>
      <ChartFigure
        id="overdue-by-reviewer"
        title={t('逾期待办（按审核人）', 'Overdue tasks by reviewer')}
        note={t(`共 ${p.overdueTotal} 项逾期。`, `${p.overdueTotal} overdue in all.`)}
        chart={
          p.overdueByReviewer.length ? (
            <Chart
              height={Math.max(140, 40 + p.overdueByReviewer.length * 28)}
              summary={p.overdueByReviewer.map((o) => `${o.reviewer} ${o.count}`).join(t('，', ', '))}
              option={{
                grid: { left: 110, right: 24, top: 10, bottom: 24 },
                xAxis: { type: 'value', minInterval: 1 },
                yAxis: { type: 'category', data: p.overdueByReviewer.map((o) => o.reviewer), inverse: true },
                series: [{ type: 'bar', data: p.overdueByReviewer.map((o) => o.count), itemStyle: { color: '#cf222e' }, label: { show: true, position: 'right' } }],
              }}
            />
          ) : (
            <p class="muted">{t('无逾期待办。', 'No overdue task.')}</p>
          )
        }
        table={
          <DataTable caption={t('逾期待办（按审核人）', 'Overdue tasks by reviewer')} columns={[t('审核人', 'Reviewer'), t('逾期项', 'Overdue')]}>
            {p.overdueByReviewer.map((o) => (
              <tr key={o.reviewer}>
                <th scope="row">{o.reviewer}</th>
                <td>{o.count}</td>
              </tr>
            ))}
          </DataTable>
        }
      />
    </section>
  );
}

function SiteHealthSection({ r }: { r: Reports }) {
  const t = useT();
  const h = r.siteHealth;
  const cityName = useCityNames();
  const province = (code: string) => {
    const p = findProvince(code);
    return p ? t.pick(p) : code;
  };
  const statusName = (s: (typeof SITE_STATUSES)[number]) => t(...STATUS_LABELS[s]);
  const byProvince: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 60 },
    xAxis: { type: 'category', data: h.byProvince.map((p) => province(p.provinceCode)), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: SITE_STATUSES.map((s) => ({ type: 'bar', stack: 'site', barMaxWidth: 48, name: statusName(s), itemStyle: { color: STATUS_COLOURS[s] }, data: h.byProvince.map((p) => p.counts[s] ?? 0) })),
  };
  const now = Date.parse(r.generatedAt);
  const names = h.approaching.map((s) => s.institutionName);
  const point = (key: 'warn90At' | 'warn30At' | 'limitAt') => h.approaching.map((s, i) => [Date.parse(s[key]), i]);
  const timeline: EChartsOption = {
    tooltip: { trigger: 'item', formatter: (p: unknown) => { const d = p as { seriesName: string; value: [number, number] }; return `${names[d.value[1]] ?? ''}<br/>${d.seriesName}: ${formatTime(new Date(d.value[0]).toISOString(), t.lang)}`; } },
    legend: { top: 0 },
    grid: { left: 160, right: 24, top: 36, bottom: 30 },
    xAxis: { type: 'time', min: Math.min(now, ...point('warn90At').map((p) => p[0]!)) - 7 * DAY },
    yAxis: { type: 'category', data: names, inverse: true },
    series: [
      { type: 'scatter', name: 'T-90', data: point('warn90At'), itemStyle: { color: '#d4a72c' }, symbolSize: 10, markLine: { symbol: 'none', label: { formatter: t('今天', 'today') }, lineStyle: { color: '#57606a' }, data: [{ xAxis: now }] } },
      { type: 'scatter', name: 'T-30', data: point('warn30At'), itemStyle: { color: '#bc4c00' }, symbolSize: 10 },
      { type: 'scatter', name: t('两年期限', 'Two-year limit'), data: point('limitAt'), itemStyle: { color: '#cf222e' }, symbol: 'diamond', symbolSize: 14 },
    ],
  };
  const marks: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: h.marksByMonth.map((m) => m.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'line', name: t('警告', 'Warnings'), data: h.marksByMonth.map((m) => m.warning), itemStyle: { color: '#d4a72c' } },
      { type: 'line', name: t('暂停', 'Suspensions'), data: h.marksByMonth.map((m) => m.suspension), itemStyle: { color: '#cf222e' } },
      { type: 'line', name: t('整改', 'Rectifications'), data: h.marksByMonth.map((m) => m.rectification), itemStyle: { color: '#0969da' } },
    ],
  };
  const markTotal = h.marksByMonth.reduce((n, m) => n + m.warning + m.suspension + m.rectification, 0);
  return (
    <section class="card" aria-labelledby="health-section">
      <h2 id="health-section">{t('考核站点状况', 'Site health')}</h2>
      <ChartFigure
        id="sites-by-province"
        title={t('各省考核站点（按状态）', 'Exam sites by province and status')}
        chart={<Chart option={byProvince} summary={h.byProvince.map((p) => `${province(p.provinceCode)} ${Object.values(p.counts).reduce((a, b) => a + b, 0)}`).join(t('，', ', '))} />}
        table={
          <DataTable caption={t('各省考核站点', 'Exam sites by province')} columns={[t('省份', 'Province'), ...SITE_STATUSES.map(statusName)]}>
            {h.byProvince.map((p) => (
              <tr key={p.provinceCode} data-province={p.provinceCode}>
                <th scope="row">{province(p.provinceCode)}</th>
                {SITE_STATUSES.map((s) => (
                  <td key={s}>{p.counts[s] ?? 0}</td>
                ))}
              </tr>
            ))}
          </DataTable>
        }
      />
      <ChartFigure
        id="approaching"
        title={
          <>
            {t('临近两年未组织考试期限的站点', 'Sites close to two years without an exam')} <span class="article">Art.23(1)</span>
          </>
        }
        note={t('期限前 90 天、30 天发出提醒；到期未组织考试的撤销资格。', 'Warned 90 and 30 days before; a site that holds no exam by the limit is revoked.')}
        chart={
          h.approaching.length ? (
            <Chart option={timeline} height={Math.max(160, 70 + h.approaching.length * 30)} summary={h.approaching.map((s) => t(`${s.institutionName} 剩 ${s.daysLeft} 天`, `${s.institutionName}: ${s.daysLeft} days left`)).join(t('；', '; '))} />
          ) : (
            <p class="muted">{t('没有临近期限的站点。', 'No site is close to the limit.')}</p>
          )
        }
        table={
          <DataTable caption={t('临近期限的站点', 'Sites close to the limit')} columns={[t('单位', 'Institution'), t('证书编号', 'Certificate'), t('地级市', 'City'), 'T-90', 'T-30', t('期限', 'Limit'), t('剩余天数', 'Days left')]}>
            {h.approaching.map((s) => (
              <tr key={s.siteId} data-site={s.siteId}>
                <th scope="row">{s.institutionName}</th>
                <td>
                  <code>{s.certificateNumber}</code>
                </td>
                <td>{cityName(s.cityCode)}</td>
                <td>{formatTime(s.warn90At, t.lang)}</td>
                <td>{formatTime(s.warn30At, t.lang)}</td>
                <td>{formatTime(s.limitAt, t.lang)}</td>
                <td>{s.daysLeft}</td>
              </tr>
            ))}
          </DataTable>
        }
      />
      <ChartFigure
        id="marks"
        title={
          <>
            {t('警告、暂停与整改（按月）', 'Warnings, suspensions and rectifications by month')} <span class="article">Art.21</span>
          </>
        }
        chart={<Chart option={marks} height={240} summary={t(`近 12 个月共 ${markTotal} 项。`, `${markTotal} in the last 12 months.`)} />}
        table={
          <DataTable caption={t('警告、暂停与整改', 'Warnings, suspensions and rectifications')} columns={[t('月份', 'Month'), t('警告', 'Warnings'), t('暂停', 'Suspensions'), t('整改', 'Rectifications')]}>
            {h.marksByMonth.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td>{m.warning}</td>
                <td>{m.suspension}</td>
                <td>{m.rectification}</td>
              </tr>
            ))}
          </DataTable>
        }
      />
    </section>
  );
}

function CampaignSection({ r }: { r: Reports }) {
  const t = useT();
  const [error, setError] = useState<unknown>(undefined);
  const c = r.campaigns;
  const option: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 140, right: 24, top: 36, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: c.map((x) => x.title), inverse: true },
    series: [
      { type: 'bar', stack: 'c', name: t('已提交', 'Submitted'), data: c.map((x) => x.submitted), itemStyle: { color: '#2da44e' } },
      { type: 'bar', stack: 'c', name: t('逾期', 'Overdue'), data: c.map((x) => x.overdue), itemStyle: { color: '#cf222e' } },
      { type: 'bar', stack: 'c', name: t('已通知待提交', 'Notified, not yet submitted'), data: c.map((x) => Math.max(0, x.notified - x.submitted - x.overdue)), itemStyle: { color: '#54aeff' } },
      { type: 'bar', stack: 'c', name: t('待通知', 'Not yet notified'), data: c.map((x) => Math.max(0, x.siteCount - x.notified)), itemStyle: { color: '#afb8c1' } },
    ],
  };
  const fmt = (lang: string) => (lang === 'en' ? '&lang=en' : '');
  return (
    <section class="card" aria-labelledby="campaign-section">
      <h2 id="campaign-section">
        {t('评估活动进度', 'Evaluation campaigns')} <span class="article">Art.19–20</span>
      </h2>
      <ErrorBox error={error} />
      {c.length ? (
        <ChartFigure
          id="campaigns"
          title={t('各活动进度', 'Progress of each campaign')}
          chart={<Chart option={option} height={Math.max(160, 70 + c.length * 36)} summary={c.map((x) => t(`${x.title}：${x.siteCount} 个站点，已提交 ${x.submitted}，逾期 ${x.overdue}`, `${x.title}: ${x.siteCount} sites, ${x.submitted} submitted, ${x.overdue} overdue`)).join(t('；', '; '))} />}
          table={
            <DataTable caption={t('评估活动进度', 'Evaluation campaigns')} columns={[t('活动', 'Campaign'), t('站点', 'Sites'), t('已通知', 'Notified'), t('已提交', 'Submitted'), t('逾期', 'Overdue'), t('已评定', 'Decided'), t('结论', 'Outcomes'), t('导出', 'Export')]}>
              {c.map((x) => (
                <tr key={x.campaignId} data-campaign={x.campaignId}>
                  <th scope="row">{x.title}</th>
                  <td>{x.siteCount}</td>
                  <td>{x.notified}</td>
                  <td>{x.submitted}</td>
                  <td>{x.overdue}</td>
                  <td>{x.decided}</td>
                  <td>{Object.entries(x.outcomes).map(([k, n]) => `${k} ${n}`).join(t('，', ', ')) || '—'}</td>
                  <td>
                    <button type="button" class="small" onClick={() => download(`/v1/admin/exports/campaigns/${encodeURIComponent(x.campaignId)}?format=xlsx${fmt(t.lang)}`, `campaign-${x.campaignId}.xlsx`).catch(setError)}>
                      Excel
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          }
        />
      ) : (
        <p class="muted">{t('暂无评估活动。', 'No campaign yet.')}</p>
      )}
    </section>
  );
}

/** The exports: the register and the coverage report, a site's or an application's audit trail; CSV or Excel, headers in the reader's language. */
function ExportsSection() {
  const t = useT();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState('');
  const [subject, setSubject] = useState<'sites' | 'applications'>('sites');
  const [subjectId, setSubjectId] = useState('');
  const lang = t.lang === 'en' ? '&lang=en' : '';
  const run = async (path: string, name: string) => {
    setError(undefined);
    setBusy(name);
    try {
      await download(`${path}${lang}`, name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };
  const pair = (report: string, label: string) => (
    <li key={report}>
      {label}{' '}
      {(['csv', 'xlsx'] as const).map((format) => (
        <button key={format} type="button" class="small" data-export={`${report}.${format}`} disabled={busy !== ''} onClick={() => void run(`/v1/admin/exports/${report}?format=${format}`, `${report}.${format}`)}>
          {format === 'csv' ? 'CSV' : 'Excel'}
        </button>
      ))}
    </li>
  );
  return (
    <section class="card" aria-labelledby="exports-section">
      <h2 id="exports-section">{t('导出', 'Exports')}</h2>
      <p class="muted small">
        {t('CSV 为带 BOM 的 UTF-8，可直接用 Excel 打开；表头语言随当前界面语言。', 'CSV is UTF-8 with a byte-order mark, so Excel opens it directly; the headers follow the page language.')}
      </p>
      <ErrorBox error={error} />
      <ul class="plain exports">
        {pair('register', t('考核站点名录', 'Register of exam sites'))}
        {pair('coverage', t('地级市覆盖情况（第八条）', 'Coverage by city (Art.8)'))}
      </ul>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (subjectId.trim()) void run(`/v1/admin/exports/${subject}/${encodeURIComponent(subjectId.trim())}/audit?format=xlsx`, `${subject}-audit.xlsx`);
        }}
      >
        <label>
          {t('操作记录', 'Audit trail of')}{' '}
          <select value={subject} onChange={(e) => setSubject((e.target as HTMLSelectElement).value as 'sites' | 'applications')}>
            <option value="sites">{t('考核站点', 'an exam site')}</option>
            <option value="applications">{t('申请', 'an application')}</option>
          </select>
        </label>
        <label>
          {t('编号', 'Id')} <input value={subjectId} onInput={(e) => setSubjectId((e.target as HTMLInputElement).value)} required />
        </label>
        <button type="submit" class="small" disabled={busy !== ''}>
          {t('导出 Excel', 'Export Excel')}
        </button>
      </form>
    </section>
  );
}
