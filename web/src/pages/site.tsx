import { useState } from 'preact/hooks';
import { STAFF_ROLES } from '../../../schemas/application-form.schema.ts';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';
import { useProvinceName } from './register.tsx';
import { STATUS_LABELS, type SiteView } from './sites.tsx';

/** `GET /v1/sites/{siteId}/timeline` (schemas/api/sites.schema.ts): actors by role, staff with their name. */
interface SiteTimelineEvent {
  at: string;
  action: string;
  actor: { kind: 'user' | 'system'; role?: string; displayName: { zh: string; en: string } };
  from?: string;
  to?: string;
  article?: string;
  reason?: string;
}

interface Training {
  trainingId: string;
  traineeName: string;
  traineeRole?: (typeof STAFF_ROLES)[number];
  title: string;
  trainedOn: string;
  organiser: 'site' | 'organisation';
  hours?: number;
  recordedAt: string;
}

interface WorkSummary {
  summaryId: string;
  periodStart: string;
  periodEnd: string;
  text: string;
  recordedAt: string;
}

/** Art.10: the exam team's roles. */
const ROLE_LABELS: Record<(typeof STAFF_ROLES)[number], [string, string]> = {
  leader: ['考务工作组组长', 'Leader'],
  'patrol-inspector': ['巡考', 'Patrol inspector'],
  invigilator: ['监考', 'Invigilator'],
  'exam-executor': ['考务执行', 'Exam executor'],
  'technical-support': ['技术支持', 'Technical support'],
  logistics: ['考务后勤保障', 'Logistics'],
};

const ACTION_LABELS: Record<string, [string, string]> = {
  'training-recorded': ['记录考务培训', 'Staff training recorded'],
  'work-summary-submitted': ['提交考务工作总结', 'Work summary submitted'],
};

function Timeline({ siteId, version }: { siteId: string; version: number }) {
  const t = useT();
  const [older, setOlder] = useState<SiteTimelineEvent[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const first = useAsync(
    () => get<Page<SiteTimelineEvent>>(`/v1/sites/${encodeURIComponent(siteId)}/timeline?limit=100`),
    [siteId, version],
    (page) => {
      setOlder([]);
      setCursor(page.cursor);
    },
  );
  const more = async () => {
    const page = await get<Page<SiteTimelineEvent>>(`/v1/sites/${encodeURIComponent(siteId)}/timeline?limit=100&cursor=${encodeURIComponent(cursor ?? '')}`);
    setOlder([...older, ...page.items]);
    setCursor(page.cursor);
  };
  const status = (s: string) => (s in STATUS_LABELS ? t(...STATUS_LABELS[s as SiteView['status']]) : s);
  const events = [...(first.data?.items ?? []), ...older];
  return (
    <section class="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('站点记录', 'Timeline')}</h2>
      <ErrorBox error={first.error} />
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && !events.length ? <p class="muted">{t('尚无记录。', 'Nothing yet.')}</p> : null}
      <ol class="timeline site-timeline">
        {events.map((e, i) => (
          <li key={`${e.at}-${i}`}>
            <time dateTime={e.at}>{formatTime(e.at, t.lang)}</time> <strong>{t.pick(e.actor.displayName)}</strong>{' '}
            {e.from || e.to ? (
              <span>
                {e.from ? status(e.from) : '—'} → {e.to ? status(e.to) : '—'}
              </span>
            ) : (
              <span>{ACTION_LABELS[e.action] ? t(...ACTION_LABELS[e.action]!) : e.action}</span>
            )}
            {e.reason ? <span class="reason">：{e.reason}</span> : null}
            {e.article ? <span class="article"> {e.article}</span> : null}
          </li>
        ))}
      </ol>
      {cursor ? (
        <button type="button" onClick={() => void more()}>
          {t('更早的记录', 'Older entries')}
        </button>
      ) : null}
    </section>
  );
}

const EMPTY_TRAINING = { traineeName: '', traineeRole: '', title: '', trainedOn: '', organiser: 'site', hours: '' };

function Trainings({ siteId, member, onSaved }: { siteId: string; member: boolean; onSaved: () => void }) {
  const t = useT();
  const list = useAsync(() => get<Page<Training>>(`/v1/sites/${encodeURIComponent(siteId)}/trainings?limit=100`), [siteId]);
  const [form, setForm] = useState(EMPTY_TRAINING);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      await api('POST', `/v1/sites/${encodeURIComponent(siteId)}/trainings`, {
        idempotent: true,
        body: {
          traineeName: form.traineeName,
          ...(form.traineeRole ? { traineeRole: form.traineeRole } : {}),
          title: form.title,
          trainedOn: form.trainedOn,
          organiser: form.organiser,
          ...(form.hours ? { hours: Number(form.hours) } : {}),
        },
      });
      setForm(EMPTY_TRAINING);
      setSaved(true);
      onSaved();
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const items = list.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="trainings-title">
      <h2 id="trainings-title">{t('考务人员培训（第十五条）', 'Exam-staff training (Art.15)')}</h2>
      <ErrorBox error={list.error} />
      {list.data && !items.length ? <p class="muted">{t('尚无培训记录。', 'No training recorded yet.')}</p> : null}
      {items.length ? (
        <DataTable caption={t('培训记录', 'Training records')} columns={[t('日期', 'Date'), t('人员', 'Trainee'), t('岗位', 'Role'), t('培训内容', 'Training'), t('组织方', 'Organised by'), t('学时', 'Hours')]} class="trainings">
          {items.map((r) => (
            <tr key={r.trainingId}>
              <td>{r.trainedOn}</td>
              <td>{r.traineeName}</td>
              <td>{r.traineeRole ? t(...ROLE_LABELS[r.traineeRole]) : '—'}</td>
              <td>{r.title}</td>
              <td>{r.organiser === 'organisation' ? t('培训评价组织', 'The organisation') : t('本站点', 'The site')}</td>
              <td>{r.hours ?? '—'}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {member ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3>{t('记录培训', 'Record a training')}</h3>
          <p class="muted small">{t('只填写姓名，不填写身份证号。', 'A name only; no ID number.')}</p>
          <ErrorBox error={error} />
          <div class="row">
            <label>
              {t('姓名', 'Name')} <input name="traineeName" required value={form.traineeName} onInput={(e) => setForm({ ...form, traineeName: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('岗位', 'Role')}{' '}
              <select name="traineeRole" value={form.traineeRole} onChange={(e) => setForm({ ...form, traineeRole: (e.target as HTMLSelectElement).value })}>
                <option value="">—</option>
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(...ROLE_LABELS[r])}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('培训内容', 'Training')} <input name="title" required value={form.title} onInput={(e) => setForm({ ...form, title: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('日期', 'Date')} <input name="trainedOn" type="date" required value={form.trainedOn} onInput={(e) => setForm({ ...form, trainedOn: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('组织方', 'Organised by')}{' '}
              <select name="organiser" value={form.organiser} onChange={(e) => setForm({ ...form, organiser: (e.target as HTMLSelectElement).value })}>
                <option value="site">{t('本站点（考核业务与职业素养）', 'The site (exam business, professional conduct)')}</option>
                <option value="organisation">{t('培训评价组织（考务组织培训）', 'The organisation (exam organisation)')}</option>
              </select>
            </label>
            <label>
              {t('学时', 'Hours')} <input name="hours" type="number" min="0.5" max="200" step="0.5" value={form.hours} onInput={(e) => setForm({ ...form, hours: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <button type="submit" class="primary">
            {t('保存培训记录', 'Save training')}
          </button>
          {saved ? <p role="status">{t('已保存。', 'Saved.')}</p> : null}
        </form>
      ) : null}
    </section>
  );
}

const EMPTY_SUMMARY = { periodStart: '', periodEnd: '', text: '' };

function WorkSummaries({ siteId, member, onSaved }: { siteId: string; member: boolean; onSaved: () => void }) {
  const t = useT();
  const list = useAsync(() => get<Page<WorkSummary>>(`/v1/sites/${encodeURIComponent(siteId)}/work-summaries?limit=50`), [siteId]);
  const [form, setForm] = useState(EMPTY_SUMMARY);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      await api('POST', `/v1/sites/${encodeURIComponent(siteId)}/work-summaries`, { idempotent: true, body: form });
      setForm(EMPTY_SUMMARY);
      setSaved(true);
      onSaved();
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const items = list.data?.items ?? [];
  return (
    <section class="card" aria-labelledby="summaries-title">
      <h2 id="summaries-title">{t('考务工作总结（第十六条）', 'Work summaries (Art.16)')}</h2>
      <ErrorBox error={list.error} />
      {list.data && !items.length ? <p class="muted">{t('尚无工作总结。', 'No work summary yet.')}</p> : null}
      {items.map((s) => (
        <article key={s.summaryId} class="summary">
          <h3>
            {s.periodStart} – {s.periodEnd}
          </h3>
          <p class="muted small">{t(`提交于 ${formatTime(s.recordedAt, 'zh')}`, `Submitted ${formatTime(s.recordedAt, 'en')}`)}</p>
          <p style="white-space: pre-wrap">{s.text}</p>
        </article>
      ))}
      {member ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <h3>{t('提交工作总结', 'Submit a work summary')}</h3>
          <p class="muted small">{t('仅文字（不附文件），10 至 10,000 字。', 'Text only (no files), 10 to 10,000 characters.')}</p>
          <ErrorBox error={error} />
          <div class="row">
            <label>
              {t('期间开始', 'Period from')} <input name="periodStart" type="date" required value={form.periodStart} onInput={(e) => setForm({ ...form, periodStart: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('期间结束', 'Period to')} <input name="periodEnd" type="date" required value={form.periodEnd} onInput={(e) => setForm({ ...form, periodEnd: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <label for="summary-text">{t('总结内容', 'Summary')}</label>
          <textarea id="summary-text" name="text" rows={6} required value={form.text} onInput={(e) => setForm({ ...form, text: (e.target as HTMLTextAreaElement).value })} />
          <button type="submit" class="primary">
            {t('提交总结', 'Submit summary')}
          </button>
          {saved ? <p role="status">{t('已提交。', 'Submitted.')}</p> : null}
        </form>
      ) : null}
    </section>
  );
}

/**
 * One exam site: its accreditation, its timeline (every change, who, when,
 * the article), its staff training (Art.15) and work summaries (Art.16).
 * The site's own members record these; reviewers and admins read them.
 */
export function SitePage({ siteId }: { siteId: string }) {
  const t = useT();
  const state = useApp();
  const provinceName = useProvinceName();
  const site = useAsync(() => get<SiteView>(`/v1/sites/${encodeURIComponent(siteId)}`), [siteId]);
  const member = hasGroup(state, 'applicant') && !hasGroup(state, 'reviewer') && !hasGroup(state, 'admin');
  // A record the site adds also lands on its timeline: read the timeline again.
  const [timelineVersion, setTimelineVersion] = useState(0);
  const recorded = () => setTimelineVersion((v) => v + 1);
  const s = site.data;
  return (
    <section>
      <PageTitle>{s ? s.institutionName : t('考核站点', 'Exam site')}</PageTitle>
      <p>
        <Link href="/sites">{t('返回考核站点列表', 'Back to the exam sites')}</Link> · <Link href={`/sites/${siteId}/evaluations`}>{t('检查评估', 'Evaluations')}</Link>
      </p>
      <ErrorBox error={site.error} />
      {site.loading && !s ? <Loading /> : null}
      {s ? (
        <>
          <dl class="card facts">
            <dt>{t('证书编号', 'Certificate')}</dt>
            <dd>
              <code>{s.certificateNumber}</code>
            </dd>
            <dt>{t('状态', 'Status')}</dt>
            <dd>
              <Badge value={s.status} label={t(...STATUS_LABELS[s.status])} />
            </dd>
            <dt>{t('所在地', 'Location')}</dt>
            <dd>
              {provinceName(s.provinceCode)} <code>{s.cityCode}</code>
            </dd>
            <dt>{t('认证日期', 'Accredited')}</dt>
            <dd>{formatTime(s.activatedAt, t.lang)}</dd>
            <dt>{t('须在此前组织考试（第二十三条第一项）', 'Exam needed before (Art.23(1))')}</dt>
            <dd>{formatTime(s.inactiveRevocationAt, t.lang)}</dd>
          </dl>
          <Timeline siteId={siteId} version={timelineVersion} />
          <Trainings siteId={siteId} member={member} onSaved={recorded} />
          <WorkSummaries siteId={siteId} member={member} onSaved={recorded} />
        </>
      ) : null}
    </section>
  );
}
