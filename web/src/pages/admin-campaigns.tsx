import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, get, getText } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { navigate } from '../router.ts';
import { useAsync } from '../use-async.ts';

/** Campaign views as the API returns them (schemas/api/supervision.schema.ts). */
type Selection =
  | { kind: 'sites'; siteIds: string[] }
  | { kind: 'filter'; provinceCode?: string; cityCode?: string; statuses?: Array<'ACTIVE' | 'SUSPENDED'>; notEvaluatedForMonths?: number; sample?: { size: number; seed: string } };
interface CampaignView {
  campaignId: string;
  title: string;
  deadline: string;
  reminderAt?: string;
  status: 'OPEN' | 'CLOSED';
  selection: Selection;
  siteCount: number;
  notified: number;
  submitted: number;
  missed: number;
  progress: Record<string, number>;
  reminderRound?: number;
  createdAt: string;
}
interface EvaluationRow {
  siteId: string;
  institutionName: string;
  provinceCode: string;
  cityCode: string;
  deadline: string;
  status: 'NOTICE_PENDING' | 'NOTIFIED' | 'SUBMITTED' | 'MISSED';
  submittedAt?: string;
}
interface CampaignDetail extends CampaignView {
  evaluations: EvaluationRow[];
  cursor?: string;
}

export const EVALUATION_STATUS_LABELS: Record<EvaluationRow['status'], [string, string]> = {
  NOTICE_PENDING: ['待通知', 'Notice pending'],
  NOTIFIED: ['已通知，待提交', 'Notified, awaiting report'],
  SUBMITTED: ['已提交', 'Submitted'],
  MISSED: ['逾期未提交（不合格）', 'Missed (failed, Art.20)'],
};
const CAMPAIGN_STATUS_LABELS: Record<CampaignView['status'], [string, string]> = { OPEN: ['进行中', 'Open'], CLOSED: ['已结束', 'Closed'] };

const value = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
/** A `datetime-local` value read as Beijing time (the users' clock). */
const fromBeijing = (local: string) => new Date(`${local}:00+08:00`).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);

interface SelectionForm {
  kind: 'filter' | 'sites';
  provinceCode: string;
  cityCode: string;
  active: boolean;
  suspended: boolean;
  notEvaluatedForMonths: string;
  sampleSize: string;
  sampleSeed: string;
  siteIds: string;
}

function selectionOf(f: SelectionForm): Selection {
  if (f.kind === 'sites') return { kind: 'sites', siteIds: f.siteIds.split(/[\s,，]+/).filter(Boolean) };
  const statuses = [...(f.active ? ['ACTIVE' as const] : []), ...(f.suspended ? ['SUSPENDED' as const] : [])];
  return {
    kind: 'filter',
    ...(f.provinceCode.trim() ? { provinceCode: f.provinceCode.trim() } : {}),
    ...(f.cityCode.trim() ? { cityCode: f.cityCode.trim() } : {}),
    ...(statuses.length ? { statuses } : {}),
    ...(f.notEvaluatedForMonths.trim() ? { notEvaluatedForMonths: Number(f.notEvaluatedForMonths) } : {}),
    ...(f.sampleSize.trim() ? { sample: { size: Number(f.sampleSize), seed: f.sampleSeed.trim() || 'seed' } } : {}),
  };
}

/** The admin's campaigns: the list with progress, and the form that opens one with a live count of its selection (Art.19–20). */
export function AdminCampaignsPage() {
  const t = useT();
  const app = useApp();
  const isAdmin = hasGroup(app, 'admin');
  const list = useAsync(() => get<{ items: CampaignView[] }>('/v1/admin/campaigns?limit=50'), []);
  const [title, setTitle] = useState('');
  const [deadline, setDeadline] = useState(inDays(14));
  const [form, setForm] = useState<SelectionForm>({ kind: 'filter', provinceCode: '', cityCode: '', active: true, suspended: true, notEvaluatedForMonths: '', sampleSize: '', sampleSeed: '', siteIds: '' });
  const [count, setCount] = useState<{ count: number; matching: number } | undefined>(undefined);
  const [countError, setCountError] = useState<unknown>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  // The live count: asked again half a second after the selection last changed.
  const key = JSON.stringify(selectionOf(form));
  useEffect(() => {
    if (!isAdmin) return undefined;
    const timer = setTimeout(() => {
      api<{ count: number; matching: number }>('POST', '/v1/admin/campaign-previews', { body: { selection: JSON.parse(key) } })
        .then((c) => {
          setCount(c);
          setCountError(undefined);
        })
        .catch((e: unknown) => {
          setCount(undefined);
          setCountError(e);
        });
    }, 500);
    return () => clearTimeout(timer);
  }, [key, isAdmin]);

  const open = async () => {
    setError(undefined);
    setBusy(true);
    try {
      const created = await api<CampaignView>('POST', '/v1/admin/campaigns', { body: { title: title.trim(), deadline: fromBeijing(deadline), selection: selectionOf(form) }, idempotent: true });
      setTitle('');
      await list.reload();
      navigate(`/admin/campaigns/${created.campaignId}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const set = (patch: Partial<SelectionForm>) => setForm({ ...form, ...patch });

  return (
    <section>
      <PageTitle>{t('检查评估活动', 'Evaluation campaigns')}</PageTitle>
      <p class="muted">{t('培训评价组织不定期对考核站点开展检查评估（第十九条）；站点须在规定时间内提交汇报材料及下一阶段工作计划（第二十条）。', 'The organisation evaluates its sites at any time (Art.19); each site submits its report and next-stage work plan by the deadline (Art.20).')}</p>
      {isAdmin ? (
        <form
          class="card"
          aria-labelledby="open-campaign"
          onSubmit={(e) => {
            e.preventDefault();
            void open();
          }}
        >
          <h2 id="open-campaign">{t('发起检查评估', 'Open a campaign')}</h2>
          <div class="row">
            <label>
              {t('名称', 'Title')} <input name="title" required maxLength={100} value={title} onInput={(e) => setTitle(value(e))} />
            </label>
            <label>
              {t('提交截止时间（北京时间）', 'Deadline (Beijing time)')} <input name="deadline" type="datetime-local" required value={deadline} onInput={(e) => setDeadline(value(e))} />
            </label>
          </div>
          <fieldset>
            <legend>{t('评估范围', 'Which sites')}</legend>
            <label>
              <input type="radio" name="kind" checked={form.kind === 'filter'} onChange={() => set({ kind: 'filter' })} /> {t('按条件选择', 'By criteria')}
            </label>{' '}
            <label>
              <input type="radio" name="kind" checked={form.kind === 'sites'} onChange={() => set({ kind: 'sites' })} /> {t('指定站点', 'Listed sites')}
            </label>
            {form.kind === 'filter' ? (
              <>
                <div class="row">
                  <label>
                    {t('省份代码', 'Province code')} <input name="provinceCode" value={form.provinceCode} placeholder="440000" onInput={(e) => set({ provinceCode: value(e) })} />
                  </label>
                  <label>
                    {t('地级市代码', 'City code')} <input name="cityCode" value={form.cityCode} placeholder="440100" onInput={(e) => set({ cityCode: value(e) })} />
                  </label>
                  <label>
                    {t('超过几个月未评估', 'Not evaluated for (months)')} <input name="notEvaluatedForMonths" type="number" min={1} max={120} value={form.notEvaluatedForMonths} onInput={(e) => set({ notEvaluatedForMonths: value(e) })} />
                  </label>
                </div>
                <div class="row">
                  <label>
                    <input type="checkbox" checked={form.active} onChange={(e) => set({ active: (e.target as HTMLInputElement).checked })} /> {t('正常', 'Active')}
                  </label>
                  <label>
                    <input type="checkbox" checked={form.suspended} onChange={(e) => set({ suspended: (e.target as HTMLInputElement).checked })} /> {t('暂停考试', 'Suspended')}
                  </label>
                  <label>
                    {t('随机抽取数量', 'Random sample of')} <input name="sampleSize" type="number" min={1} value={form.sampleSize} onInput={(e) => set({ sampleSize: value(e) })} />
                  </label>
                  <label>
                    {t('抽样种子', 'Sample seed')} <input name="sampleSeed" value={form.sampleSeed} onInput={(e) => set({ sampleSeed: value(e) })} />
                  </label>
                </div>
              </>
            ) : (
              <label>
                {t('站点编号（逗号或换行分隔）', 'Site ids (comma or line separated)')}
                <textarea name="siteIds" rows={3} value={form.siteIds} onInput={(e) => set({ siteIds: value(e) })} />
              </label>
            )}
          </fieldset>
          <p role="status" aria-live="polite" data-testid="live-count">
            {count
              ? t(`将覆盖 ${count.count} 个考核站点`, `Covers ${count.count} site${count.count === 1 ? '' : 's'}`) + (count.matching !== count.count ? t(`（符合条件 ${count.matching} 个）`, ` (${count.matching} match)`) : '')
              : t('正在统计…', 'Counting…')}
          </p>
          <ErrorBox error={countError} />
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy || count?.count === 0}>
            {t('发起并通知站点', 'Open and notify the sites')}
          </button>
        </form>
      ) : null}
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorBox error={list.error} />
      {list.data ? (
        list.data.items.length === 0 ? (
          <p class="muted">{t('尚无检查评估。', 'No campaigns yet.')}</p>
        ) : (
          <DataTable caption={t('检查评估列表', 'Campaigns')} columns={[t('名称', 'Title'), t('状态', 'Status'), t('截止', 'Deadline'), t('站点', 'Sites'), t('已通知', 'Notified'), t('已提交', 'Submitted'), t('逾期', 'Missed')]}>
            {list.data.items.map((c) => (
              <tr key={c.campaignId}>
                <td>
                  <Link href={`/admin/campaigns/${c.campaignId}`}>{c.title}</Link>
                </td>
                <td>
                  <Badge value={c.status} label={t(...CAMPAIGN_STATUS_LABELS[c.status])} />
                </td>
                <td>{formatTime(c.deadline, t.lang)}</td>
                <td>{c.siteCount}</td>
                <td>{c.notified}</td>
                <td>{c.submitted}</td>
                <td>{c.missed}</td>
              </tr>
            ))}
          </DataTable>
        )
      ) : null}
    </section>
  );
}

/** Progress names beyond the three every campaign has (the assessment adds `decided` and `outcome_<kind>`). */
function counterLabel(name: string, t: (zh: string, en: string) => string): string {
  const known: Record<string, [string, string]> = {
    notified: ['已通知', 'Notified'],
    submitted: ['已提交', 'Submitted'],
    missed: ['逾期未提交', 'Missed'],
    decided: ['已评定', 'Decided'],
  };
  if (known[name]) return t(...known[name]!);
  if (name.startsWith('outcome_')) return t(`结论：${name.slice(8)}`, `Outcome: ${name.slice(8)}`);
  return name;
}

/** One campaign: progress from its counters, its sites' evaluations, and the bulk actions (extend, remind, export). */
export function AdminCampaignPage({ campaignId }: { campaignId: string }) {
  const t = useT();
  const app = useApp();
  const isAdmin = hasGroup(app, 'admin');
  const detail = useAsync(() => get<CampaignDetail>(`/v1/admin/campaigns/${encodeURIComponent(campaignId)}?limit=50`), [campaignId]);
  const [more, setMore] = useState<{ rows: EvaluationRow[]; cursor?: string }>({ rows: [] });
  const [extend, setExtend] = useState({ deadline: inDays(21), reason: '', siteIds: '' });
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => setMore({ rows: [] }), [detail.data]);

  const act = async (fn: () => Promise<string>) => {
    setError(undefined);
    setNotice('');
    try {
      setNotice(await fn());
      await detail.reload();
    } catch (e) {
      setError(e);
    }
  };
  const extendDeadline = () =>
    act(async () => {
      const ids = extend.siteIds.split(/[\s,，]+/).filter(Boolean);
      const out = await api<{ extended: number; refused: Array<{ siteId: string }> }>('POST', `/v1/admin/campaigns/${encodeURIComponent(campaignId)}/deadline`, {
        body: { deadline: fromBeijing(extend.deadline), reason: extend.reason.trim(), ...(ids.length ? { siteIds: ids } : {}) },
        idempotent: true,
      });
      return t(`已延长 ${out.extended} 个站点的截止时间`, `Deadline extended for ${out.extended} site(s)`) + (out.refused.length ? t(`；未延长：${out.refused.map((r) => r.siteId).join('、')}`, `; not extended: ${out.refused.map((r) => r.siteId).join(', ')}`) : '');
    });
  const remind = () =>
    act(async () => {
      const out = await api<{ round: number }>('POST', `/v1/admin/campaigns/${encodeURIComponent(campaignId)}/reminders`, { idempotent: true });
      return t(`第 ${out.round} 轮催报已发出（经邮件队列）`, `Reminder round ${out.round} sent (through the mail queue)`);
    });
  const download = () =>
    act(async () => {
      let csv = '';
      let cursor: string | null = null;
      do {
        const page: { text: string; nextCursor: string | null } = await getText(`/v1/admin/campaigns/${encodeURIComponent(campaignId)}/results${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
        // The header row comes with every page: kept once.
        csv += csv ? page.text.slice(page.text.indexOf('\n') + 1) : page.text;
        cursor = page.nextCursor;
      } while (cursor);
      const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `campaign-${campaignId}.csv`;
      a.click();
      URL.revokeObjectURL(url);
      return t(`已导出 ${csv.split('\n').filter(Boolean).length - 1} 行`, `Exported ${csv.split('\n').filter(Boolean).length - 1} rows`);
    });
  const loadMore = async (cursor: string) => {
    try {
      const page = await get<CampaignDetail>(`/v1/admin/campaigns/${encodeURIComponent(campaignId)}?limit=50&cursor=${encodeURIComponent(cursor)}`);
      setMore({ rows: [...more.rows, ...page.evaluations], cursor: page.cursor });
    } catch (e) {
      setError(e);
    }
  };

  if (detail.loading && !detail.data) return <Loading />;
  if (!detail.data) return <ErrorBox error={detail.error} />;
  const c = detail.data;
  const rows = [...c.evaluations, ...more.rows];
  const nextCursor = more.rows.length ? more.cursor : c.cursor;
  const pct = (n: number) => (c.siteCount ? Math.round((n / c.siteCount) * 100) : 0);
  return (
    <section>
      <PageTitle>{c.title}</PageTitle>
      <p>
        <Badge value={c.status} label={t(...CAMPAIGN_STATUS_LABELS[c.status])} /> {t('截止', 'Deadline')} {formatTime(c.deadline, t.lang)}
        {c.reminderAt ? ` · ${t('提醒', 'Reminder')} ${formatTime(c.reminderAt, t.lang)}` : ''}
      </p>
      <section class="card" aria-labelledby="progress">
        <h2 id="progress">{t('进度', 'Progress')}</h2>
        <dl class="facts" data-testid="progress">
          <dt>{t('覆盖站点', 'Sites')}</dt>
          <dd>{c.siteCount}</dd>
          {Object.entries(c.progress).map(([name, n]) => (
            <Fragment key={name}>
              <dt>{counterLabel(name, t)}</dt>
              <dd data-counter={name}>
                {n} <span class="muted small">({pct(n)}%)</span>
              </dd>
            </Fragment>
          ))}
        </dl>
        <progress max={c.siteCount || 1} value={(c.progress.submitted ?? 0) + (c.progress.missed ?? 0)} aria-label={t('已提交或逾期', 'Submitted or missed')} />
      </section>
      {isAdmin && c.status === 'OPEN' ? (
        <section class="card" aria-labelledby="bulk">
          <h2 id="bulk">{t('批量操作', 'Bulk actions')}</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void extendDeadline();
            }}
          >
            <div class="row">
              <label>
                {t('新的截止时间（北京时间）', 'New deadline (Beijing time)')} <input name="newDeadline" type="datetime-local" required value={extend.deadline} onInput={(e) => setExtend({ ...extend, deadline: value(e) })} />
              </label>
              <label>
                {t('原因', 'Reason')} <input name="extendReason" required maxLength={500} value={extend.reason} onInput={(e) => setExtend({ ...extend, reason: value(e) })} />
              </label>
              <label>
                {t('仅这些站点（留空为全部）', 'Only these sites (empty: all)')} <input name="extendSites" value={extend.siteIds} onInput={(e) => setExtend({ ...extend, siteIds: value(e) })} />
              </label>
            </div>
            <button type="submit">{t('延长截止时间', 'Extend the deadline')}</button>
          </form>
          <div class="actions">
            <button type="button" onClick={() => void remind()}>
              {t('催报所有未提交站点', 'Remind every site not submitted')}
            </button>
          </div>
        </section>
      ) : null}
      <div class="actions">
        <button type="button" onClick={() => void download()}>
          {t('导出结果（CSV）', 'Download the results (CSV)')}
        </button>
      </div>
      {notice ? (
        <p role="status" class="notice">
          {notice}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <DataTable caption={t('各站点评估', "Sites' evaluations")} columns={[t('站点', 'Site'), t('单位', 'Institution'), t('地区', 'Region'), t('截止', 'Deadline'), t('状态', 'Status')]}>
        {rows.map((e) => (
          <tr key={e.siteId}>
            <td>
              <Link href={`/sites/${e.siteId}`}>{e.siteId}</Link>
            </td>
            <td>{e.institutionName}</td>
            <td>{e.cityCode}</td>
            <td>{formatTime(e.deadline, t.lang)}</td>
            <td>
              <Badge value={e.status} label={t(...EVALUATION_STATUS_LABELS[e.status])} />
            </td>
          </tr>
        ))}
      </DataTable>
      {nextCursor ? (
        <button type="button" onClick={() => void loadMore(nextCursor)}>
          {t('加载更多', 'Load more')}
        </button>
      ) : null}
      <p>
        <Link href="/admin/campaigns">{t('返回检查评估列表', 'Back to the campaigns')}</Link>
      </p>
    </section>
  );
}
