import { useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** Shapes of schemas/api/sessions.schema.ts as the portal reads them. */
interface SessionView {
  sessionId: string;
  siteId: string;
  title?: string;
  status: 'SCHEDULED' | 'IN_PROGRESS' | 'HELD' | 'CANCELLED';
  started: boolean;
  startsAt: string;
  endsAt: string;
  rooms: string[];
  capacity: number;
  registeredCount: number;
  eligibilityRule: string;
  cancelled?: { at: string; reason: string };
  held?: { at: string; present: number; absent: number; countsAsHeld: boolean; violations: Array<{ description: string }>; incidents: Array<{ description: string }> };
}
interface CandidateView {
  candidateId: string;
  name: string;
  idNumberMasked: string;
  category: string;
  present?: boolean;
}
interface RegisterReport {
  registered: CandidateView[];
  rowErrors: Array<{ row: number; code: string; message: { zh: string; en: string }; article?: string }>;
  registeredCount: number;
  capacity: number;
}
interface SiteSummary {
  siteId: string;
  certificateNumber: string;
  institutionName: string;
  status: string;
  accreditedRooms: Array<{ name: string; capacity: number }>;
}

const STATUS: Record<SessionView['status'], [string, string]> = {
  SCHEDULED: ['已安排', 'Scheduled'],
  IN_PROGRESS: ['进行中', 'In progress'],
  HELD: ['已举行', 'Held'],
  CANCELLED: ['已取消', 'Cancelled'],
};

/** `YYYY-MM-DDTHH:mm` typed in Beijing time → ISO instant. */
const fromBeijing = (local: string) => new Date(`${local}:00+08:00`).toISOString();

/**
 * A site's exam sessions (Art.13–14): the list, and scheduling a new one in
 * the site's accredited rooms, capacity at most their seats at once
 * (Art.9(2)). Staff see the list; only the site's own members may schedule.
 */
export function SiteSessionsPage({ siteId }: { siteId: string }) {
  const t = useT();
  const site = useAsync(() => get<SiteSummary>(`/v1/sites/${encodeURIComponent(siteId)}`), [siteId]);
  const [version, setVersion] = useState(0);
  const sessions = useAsync(() => get<Page<SessionView>>(`/v1/sites/${encodeURIComponent(siteId)}/sessions`), [siteId, version]);
  const [form, setForm] = useState({ title: '', start: '', end: '', rooms: [] as string[], capacity: '' });
  const [error, setError] = useState<unknown>(undefined);
  const rooms = site.data?.accreditedRooms ?? [];
  const seats = rooms.filter((r) => form.rooms.includes(r.name)).reduce((sum, r) => sum + r.capacity, 0);
  const schedule = async () => {
    setError(undefined);
    try {
      await api<SessionView>('POST', `/v1/sites/${encodeURIComponent(siteId)}/sessions`, {
        body: { ...(form.title.trim() ? { title: form.title.trim() } : {}), startsAt: fromBeijing(form.start), endsAt: fromBeijing(form.end), rooms: form.rooms, capacity: Number(form.capacity) },
        idempotent: true,
      });
      setForm({ title: '', start: '', end: '', rooms: [], capacity: '' });
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  const items = sessions.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('考试场次', 'Exam sessions')}</PageTitle>
      {site.data ? (
        <p class="muted">
          {site.data.institutionName} · <code>{site.data.certificateNumber}</code>
        </p>
      ) : null}
      <ErrorBox error={site.error ?? sessions.error} />
      {sessions.loading && !sessions.data ? <Loading /> : null}
      {sessions.data && !items.length ? <p class="muted">{t('尚未安排考试。', 'No session scheduled yet.')}</p> : null}
      {items.length ? (
        <DataTable caption={t('考试场次', 'Exam sessions')} columns={[t('考试', 'Session'), t('状态', 'Status'), t('开始', 'Starts'), t('考场', 'Rooms'), t('报名 / 容量', 'Registered / capacity')]}>
          {items.map((s) => (
            <tr key={s.sessionId} data-session={s.sessionId}>
              <td>
                <Link href={`/sites/${siteId}/sessions/${s.sessionId}`}>{s.title ?? s.sessionId}</Link>
              </td>
              <td>
                <Badge value={s.status} label={t(...STATUS[s.status])} />
              </td>
              <td>{formatTime(s.startsAt, t.lang)}</td>
              <td>{s.rooms.join('、')}</td>
              <td>
                {s.registeredCount} / {s.capacity}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {site.data?.status === 'ACTIVE' ? (
        <form
          class="card"
          aria-label={t('安排考试', 'Schedule a session')}
          onSubmit={(e) => {
            e.preventDefault();
            void schedule();
          }}
        >
          <h2>{t('安排考试', 'Schedule a session')}</h2>
          <div class="row">
            <label>
              {t('名称', 'Title')} <input name="title" value={form.title} onInput={(e) => setForm({ ...form, title: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('开始（北京时间）', 'Starts (Beijing time)')}{' '}
              <input name="start" type="datetime-local" required value={form.start} onInput={(e) => setForm({ ...form, start: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              {t('结束（北京时间）', 'Ends (Beijing time)')}{' '}
              <input name="end" type="datetime-local" required value={form.end} onInput={(e) => setForm({ ...form, end: (e.target as HTMLInputElement).value })} />
            </label>
          </div>
          <fieldset>
            <legend>{t('考场（仅限通过认定的考场，第九条第二款）', 'Rooms (accredited rooms only, Art.9(2))')}</legend>
            {rooms.map((r) => (
              <label key={r.name}>
                <input
                  type="checkbox"
                  name="room"
                  value={r.name}
                  checked={form.rooms.includes(r.name)}
                  onChange={(e) => setForm({ ...form, rooms: (e.target as HTMLInputElement).checked ? [...form.rooms, r.name] : form.rooms.filter((n) => n !== r.name) })}
                />{' '}
                {r.name}（{t(`同时可考 ${r.capacity} 人`, `${r.capacity} at once`)}）
              </label>
            ))}
          </fieldset>
          <label>
            {t('容量（人）', 'Capacity (candidates)')}{' '}
            <input name="capacity" type="number" min={1} max={seats || undefined} required value={form.capacity} onInput={(e) => setForm({ ...form, capacity: (e.target as HTMLInputElement).value })} />
            <span class="muted small"> {t(`所选考场同时可考 ${seats} 人`, `the chosen rooms seat ${seats} at once`)}</span>
          </label>
          <ErrorBox error={error} />
          <button type="submit" class="primary">
            {t('安排考试', 'Schedule')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/**
 * One session: its candidates (ID numbers masked), registering them one by
 * one or by CSV with the refused rows listed (Art.14), cancelling, and
 * recording it held with attendance, violations and incidents (Art.14, Art.20).
 */
export function SessionPage({ siteId, sessionId }: { siteId: string; sessionId: string }) {
  const t = useT();
  const base = `/v1/sites/${encodeURIComponent(siteId)}/sessions/${encodeURIComponent(sessionId)}`;
  const [version, setVersion] = useState(0);
  const session = useAsync(() => get<SessionView & { candidates: CandidateView[] }>(base), [base, version]);
  const [candidate, setCandidate] = useState({ name: '', idNumber: '', category: 'student' });
  const [csv, setCsv] = useState('');
  const [report, setReport] = useState<RegisterReport | undefined>(undefined);
  const [absent, setAbsent] = useState<string[]>([]);
  const [notes, setNotes] = useState({ violations: '', incidents: '', cancelReason: '' });
  const [error, setError] = useState<unknown>(undefined);
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    }
  };
  const register = (body: { candidates: unknown[] } | string) =>
    run(async () => {
      setReport(undefined);
      const out = await api<RegisterReport>('POST', `${base}/candidates`, typeof body === 'string' ? { text: { value: body, type: 'text/csv' } } : { body });
      setReport(out);
      setCandidate({ name: '', idNumber: '', category: 'student' });
      setCsv('');
    });
  const lines = (text: string) =>
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((description) => ({ description }));
  const s = session.data;
  const open = s && (s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS');
  const started = s?.started;
  return (
    <section>
      <PageTitle>{s?.title ?? t('考试场次', 'Exam session')}</PageTitle>
      <p>
        <Link href={`/sites/${siteId}/sessions`}>{t('返回考试场次', 'Back to the sessions')}</Link>
      </p>
      <ErrorBox error={session.error} />
      {session.loading && !s ? <Loading /> : null}
      {s ? (
        <div class="card">
          <p>
            <Badge value={s.status} label={t(...STATUS[s.status])} /> {formatTime(s.startsAt, t.lang)} – {formatTime(s.endsAt, t.lang)} · {s.rooms.join('、')} ·{' '}
            <span data-registered>{t(`已报名 ${s.registeredCount} / ${s.capacity} 人`, `${s.registeredCount} of ${s.capacity} registered`)}</span>
          </p>
          {s.held ? (
            <p data-held>
              {t(`已举行：到考 ${s.held.present} 人，缺考 ${s.held.absent} 人`, `Held: ${s.held.present} present, ${s.held.absent} absent`)}
              {s.held.countsAsHeld ? t('（计入两年内正常开展工作，第二十三条第一款）', ' (counts as operating, Art.23(1))') : ''}
            </p>
          ) : null}
          {s.cancelled ? <p>{t(`已取消：${s.cancelled.reason}`, `Cancelled: ${s.cancelled.reason}`)}</p> : null}
        </div>
      ) : null}
      {s?.candidates.length ? (
        <DataTable caption={t('考生', 'Candidates')} columns={[t('姓名', 'Name'), t('身份证号（已隐去）', 'ID number (masked)'), t('类别', 'Category'), t('出勤', 'Attendance')]}>
          {s.candidates.map((c) => (
            <tr key={c.candidateId} data-candidate={c.candidateId}>
              <td>{c.name}</td>
              <td>
                <code>{c.idNumberMasked}</code>
              </td>
              <td>{c.category === 'student' ? t('本校学生', 'Student') : t('社会人员', 'Public')}</td>
              <td>
                {c.present !== undefined ? (
                  c.present ? t('到考', 'Present') : t('缺考', 'Absent')
                ) : open && started ? (
                  <label>
                    <input
                      type="checkbox"
                      name="present"
                      checked={!absent.includes(c.candidateId)}
                      onChange={(e) => setAbsent((e.target as HTMLInputElement).checked ? absent.filter((id) => id !== c.candidateId) : [...absent, c.candidateId])}
                    />{' '}
                    {t('到考', 'Present')}
                  </label>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <ErrorBox error={error} />
      {report ? (
        <div class="card" data-report role="status">
          <p>{t(`本次报名成功 ${report.registered.length} 人；共 ${report.registeredCount} / ${report.capacity} 人。`, `${report.registered.length} registered now; ${report.registeredCount} of ${report.capacity} in all.`)}</p>
          {report.rowErrors.length ? (
            <ul>
              {report.rowErrors.map((e) => (
                <li key={`${e.row}-${e.code}`} data-row-error={e.code}>
                  {t.pick(e.message)}
                  {e.article ? ` (${e.article})` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {open && !started ? (
        <>
          <form
            class="card"
            aria-label={t('报名考生', 'Register a candidate')}
            onSubmit={(e) => {
              e.preventDefault();
              void register({ candidates: [candidate] });
            }}
          >
            <h2>{t('报名考生（第十四条）', 'Register a candidate (Art.14)')}</h2>
            <div class="row">
              <label>
                {t('姓名', 'Name')} <input name="name" required value={candidate.name} onInput={(e) => setCandidate({ ...candidate, name: (e.target as HTMLInputElement).value })} />
              </label>
              <label>
                {t('身份证号', 'ID number')}{' '}
                <input name="idNumber" required autocomplete="off" value={candidate.idNumber} onInput={(e) => setCandidate({ ...candidate, idNumber: (e.target as HTMLInputElement).value })} />
              </label>
              <label>
                {t('类别', 'Category')}{' '}
                <select name="category" value={candidate.category} onChange={(e) => setCandidate({ ...candidate, category: (e.target as HTMLSelectElement).value })}>
                  <option value="student">{t('本校学生', 'Student')}</option>
                  <option value="public">{t('社会人员', 'Public')}</option>
                </select>
              </label>
            </div>
            <p class="muted small">{t('身份证号仅用于核验与查重，系统只保存加密摘要和隐去中间位的号码。', 'The ID number is used to check and deduplicate only; the system keeps a keyed hash and a masked form.')}</p>
            <button type="submit" class="primary">
              {t('报名', 'Register')}
            </button>
          </form>
          <form
            class="card"
            aria-label={t('批量导入（CSV）', 'Import (CSV)')}
            onSubmit={(e) => {
              e.preventDefault();
              void register(csv);
            }}
          >
            <h2>{t('批量导入（CSV）', 'Import (CSV)')}</h2>
            <label>
              {t('表头：name,idNumber,category', 'Header: name,idNumber,category')}
              <textarea name="csv" rows={5} value={csv} onInput={(e) => setCsv((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit">{t('导入', 'Import')}</button>
          </form>
        </>
      ) : null}
      {open && started ? (
        <form
          class="card"
          aria-label={t('记录考试已举行', 'Record the session as held')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(() =>
              api('POST', `${base}/held`, {
                body: {
                  attendance: (s?.candidates ?? []).map((c) => ({ candidateId: c.candidateId, present: !absent.includes(c.candidateId) })),
                  violations: lines(notes.violations),
                  incidents: lines(notes.incidents),
                },
              }),
            );
          }}
        >
          <h2>{t('记录考试已举行（第十四条、第二十条）', 'Record the session as held (Art.14, Art.20)')}</h2>
          <label>
            {t('违纪违规（每行一条）', 'Violations (one per line)')}
            <textarea name="violations" rows={3} value={notes.violations} onInput={(e) => setNotes({ ...notes, violations: (e.target as HTMLTextAreaElement).value })} />
          </label>
          <label>
            {t('考试事故（每行一条）', 'Incidents (one per line)')}
            <textarea name="incidents" rows={3} value={notes.incidents} onInput={(e) => setNotes({ ...notes, incidents: (e.target as HTMLTextAreaElement).value })} />
          </label>
          <button type="submit" class="primary">
            {t('记录为已举行', 'Record as held')}
          </button>
        </form>
      ) : null}
      {open ? (
        <form
          class="card"
          aria-label={t('取消考试', 'Cancel the session')}
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => api('POST', `${base}/cancel`, { body: { reason: notes.cancelReason } }));
          }}
        >
          <label>
            {t('取消原因', 'Reason for cancelling')} <input name="cancelReason" required value={notes.cancelReason} onInput={(e) => setNotes({ ...notes, cancelReason: (e.target as HTMLInputElement).value })} />
          </label>
          <button type="submit">{t('取消考试', 'Cancel the session')}</button>
        </form>
      ) : null}
    </section>
  );
}
