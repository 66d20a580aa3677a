import { useState } from 'preact/hooks';
import { PROVINCES } from '../../../schemas/validators/region-codes.ts';
import { get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** An exam site as `GET /v1/sites` returns it (schemas/api/sites.schema.ts). */
export interface SiteView {
  siteId: string;
  certificateNumber: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'WITHDRAWN';
  institutionName: string;
  provinceCode: string;
  cityCode: string;
  applicationId: string;
  activatedAt: string;
  /** Art.9(2): the rooms the site is accredited for, with the candidates each seats at once. */
  accreditedRooms: Array<{ name: string; seats: number; seatingArrangement: 'every-seat' | 'alternate-seat'; capacity: number }>;
  lastExamAt: string | null;
  inactiveRevocationAt: string;
}

export const STATUS_LABELS: Record<SiteView['status'], [string, string]> = {
  ACTIVE: ['已认证', 'Active'],
  SUSPENDED: ['暂停考试', 'Exams suspended'],
  REVOKED: ['已撤销', 'Revoked'],
  WITHDRAWN: ['已退出', 'Withdrawn'],
};

/** The staff search of `GET /v1/sites` (reviewers, admins). */
interface SiteSearch {
  province: string;
  city: string;
  status: string;
  name: string;
  milestoneBefore: string;
}

const EMPTY_SEARCH: SiteSearch = { province: '', city: '', status: '', name: '', milestoneBefore: '' };

function searchQuery(search: SiteSearch, cursor?: string): string {
  const params = new URLSearchParams({ limit: '50' });
  if (search.province) params.set('province', search.province);
  if (search.city.trim()) params.set('city', search.city.trim());
  if (search.status) params.set('status', search.status);
  if (search.name.trim()) params.set('name', search.name.trim());
  // A date picked in the portal means the end of that day in China (UTC+8).
  if (search.milestoneBefore) params.set('milestoneBefore', `${search.milestoneBefore}T23:59:59+08:00`);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/**
 * The accredited exam sites: a college sees its own (certificate number,
 * status, its accredited rooms with their capacity (Art.9(2): exam
 * sessions are held only there), the Art.23(1) date by which an exam must be held); the
 * organisation searches them by province, city, status, name and upcoming
 * milestone. Each site opens its page with its timeline and duties.
 */
export function SitesPage() {
  const t = useT();
  const state = useApp();
  const staff = hasGroup(state, 'reviewer') || hasGroup(state, 'admin');
  const [draft, setDraft] = useState<SiteSearch>(EMPTY_SEARCH);
  const [search, setSearch] = useState<SiteSearch>(EMPTY_SEARCH);
  const [extra, setExtra] = useState<SiteView[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const sites = useAsync(
    () => get<Page<SiteView>>(`/v1/sites?${searchQuery(search)}`),
    [search],
    (page) => {
      setExtra([]);
      setCursor(page.cursor);
    },
  );
  const more = async () => {
    try {
      const page = await get<Page<SiteView>>(`/v1/sites?${searchQuery(search, cursor)}`);
      setExtra([...extra, ...page.items]);
      setCursor(page.cursor);
    } catch (e) {
      setMoreError(e);
    }
  };
  const items = [...(sites.data?.items ?? []), ...extra];
  const input = (key: keyof SiteSearch, label: string, date = false) => (
    <label>
      {label}{' '}
      {date ? (
        <input type="date" name={key} value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })} />
      ) : (
        <input type="text" name={key} value={draft[key]} onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })} />
      )}
    </label>
  );
  return (
    <section>
      <PageTitle>{t('考核站点', 'Exam sites')}</PageTitle>
      {staff ? (
        <form
          class="card"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setSearch({ ...draft });
          }}
        >
          <div class="row">
            <label>
              {t('省份', 'Province')}{' '}
              <select name="province" value={draft.province} onChange={(e) => setDraft({ ...draft, province: (e.target as HTMLSelectElement).value })}>
                <option value="">{t('全部', 'All')}</option>
                {PROVINCES.map((p) => (
                  <option key={p.code} value={p.code}>
                    {t.pick(p)}
                  </option>
                ))}
              </select>
            </label>
            {input('city', t('地级市代码', 'City code'))}
            <label>
              {t('状态', 'Status')}{' '}
              <select name="status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: (e.target as HTMLSelectElement).value })}>
                <option value="">{t('全部', 'All')}</option>
                {(Object.keys(STATUS_LABELS) as Array<SiteView['status']>).map((s) => (
                  <option key={s} value={s}>
                    {t(...STATUS_LABELS[s])}
                  </option>
                ))}
              </select>
            </label>
            {input('name', t('单位名称', 'Institution name'))}
            {input('milestoneBefore', t('下一时限早于（第二十三条第一项）', 'Next milestone before (Art.23(1))'), true)}
          </div>
          <button type="submit" class="primary">
            {t('查询', 'Search')}
          </button>
        </form>
      ) : null}
      <ErrorBox error={sites.error ?? moreError} />
      {sites.loading && !sites.data ? <Loading /> : null}
      {sites.data && !items.length ? <p class="muted">{staff ? t('没有符合条件的考核站点。', 'No exam site matches.') : t('暂无认证考核站点。', 'No accredited exam site yet.')}</p> : null}
      {items.length ? (
        <DataTable
          caption={t('考核站点', 'Exam sites')}
          columns={[t('证书编号', 'Certificate'), t('单位', 'Institution'), t('状态', 'Status'), t('认证日期', 'Accredited'), t('认证考场（同时可考人数）', 'Accredited rooms (candidates at once)'), t('最近考试', 'Last exam'), t('须在此前组织考试（第二十三条）', 'Exam needed before (Art.23(1))')]}
        >
          {items.map((s) => (
            <tr key={s.siteId}>
              <td>
                <Link href={`/sites/${encodeURIComponent(s.siteId)}`}>
                  <code>{s.certificateNumber}</code>
                </Link>
                {' '}
                <Link href={`/sites/${encodeURIComponent(s.siteId)}/sessions`}>{t('考试场次', 'Exam sessions')}</Link>
              </td>
              <td>
                {s.institutionName} <Link href={`/applications/${s.applicationId}`}>{t('申请记录', 'Application')}</Link>{' '}
                <Link href={`/sites/${s.siteId}/exit`}>{t('退出与撤销', 'Withdrawal and revocation')}</Link>{' '}
                <Link href={`/sites/${encodeURIComponent(s.siteId)}/supervision`}>{t('检查评估与整改', 'Evaluation and rectification')}</Link>
              </td>
              <td>
                <Badge value={s.status} label={t(...STATUS_LABELS[s.status])} />
              </td>
              <td>{formatTime(s.activatedAt, t.lang)}</td>
              <td>
                {s.accreditedRooms.length ? (
                  <ul class="rooms">
                    {s.accreditedRooms.map((r) => (
                      <li key={r.name} data-room={r.name}>
                        {r.name}：
                        {t(
                          `${r.seats} 个考位${r.seatingArrangement === 'alternate-seat' ? '，隔位而坐' : ''}，同时可考 ${r.capacity} 人`,
                          `${r.seats} seats${r.seatingArrangement === 'alternate-seat' ? ', alternate seating' : ''}, ${r.capacity} candidates at once`,
                        )}
                      </li>
                    ))}
                  </ul>
                ) : (
                  t('未记录', 'Not recorded')
                )}
              </td>
              <td>{s.lastExamAt ? formatTime(s.lastExamAt, t.lang) : t('尚无', 'None yet')}</td>
              <td>{formatTime(s.inactiveRevocationAt, t.lang)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" onClick={() => void more()}>
          {t('加载更多', 'Load more')}
        </button>
      ) : null}
    </section>
  );
}
