import { useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { Badge, ErrorBox, Link, Loading, PageTitle, DataTable } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, labelOf } from '../labels.ts';
import { navigate } from '../router.ts';
import type { ApplicationSummary, ApplicationView, Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

const OPEN = ['DRAFT', 'SUBMITTED', 'SCREENING', 'UNDER_REVIEW', 'RETURNED', 'SITE_VISIT', 'DECISION'];

/** The applicant's applications (one open at a time), or for staff the applications in a status. */
export function ApplicationsPage() {
  const t = useT();
  const state = useApp();
  const staff = hasGroup(state, 'reviewer') || hasGroup(state, 'admin');
  const [status, setStatus] = useState(staff ? 'UNDER_REVIEW' : '');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<unknown>(undefined);
  const list = useAsync(() => get<Page<ApplicationSummary>>(`/v1/applications${status ? `?status=${status}` : ''}`), [status]);

  const create = async () => {
    setCreating(true);
    setCreateError(undefined);
    try {
      const app = await api<ApplicationView>('POST', '/v1/applications', { body: {}, idempotent: true });
      navigate(`/applications/${app.id}/form`);
    } catch (e) {
      setCreateError(e);
    } finally {
      setCreating(false);
    }
  };
  const items = list.data?.items ?? [];
  const hasOpen = items.some((a) => OPEN.includes(a.status));
  return (
    <section>
      <PageTitle>{staff ? t('申请列表', 'Applications') : t('我的考核站点申请', 'My exam-site applications')}</PageTitle>
      {staff ? (
        <p>
          <label>
            {t('状态', 'Status')}{' '}
            <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
              {Object.entries(APPLICATION_STATUS_LABELS).map(([k, v]) => (
                <option key={k} value={k}>
                  {t.pick(v)}
                </option>
              ))}
            </select>
          </label>
        </p>
      ) : (
        <p>
          <button type="button" class="primary" disabled={creating || hasOpen || !state.me?.membership} onClick={() => void create()}>
            {t('新建申请', 'New application')}
          </button>{' '}
          {hasOpen ? <span class="muted">{t('同一时间只能有一份进行中的申请。', 'One open application at a time.')}</span> : null}
          {!state.me?.membership && state.me ? (
            <span class="warn">{t('账号尚未关联院校（请接受邀请）。', 'No institution linked yet (accept your invitation).')}</span>
          ) : null}
        </p>
      )}
      <ErrorBox error={createError ?? list.error} />
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && items.length === 0 ? <p class="muted">{t('暂无申请。', 'No applications.')}</p> : null}
      {items.length ? (
        <DataTable caption={t('申请', 'Applications')} columns={[t('申请单位', 'Institution'), t('状态', 'Status'), t('轮次', 'Round'), t('更新时间', 'Updated'), t('操作', 'Actions')]}>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.institutionName || t('（未填写）', '(not filled in)')} <span class="muted small">{a.id}</span>
                </td>
                <td>
                  <Badge value={a.status} label={t.pick(labelOf(APPLICATION_STATUS_LABELS, a.status))} />
                </td>
                <td>{a.round}</td>
                <td>{formatTime(a.updatedAt, t.lang)}</td>
                <td class="actions">
                  <Link href={`/applications/${a.id}`}>{t('状态与进度', 'Status')}</Link>
                  <Link href={`/applications/${a.id}/form`}>{t('申请表', 'Form')}</Link>
                  <Link href={`/applications/${a.id}/evidence`}>{t('支撑材料', 'Evidence')}</Link>
                </td>
              </tr>
            ))}
          </DataTable>
      ) : null}
    </section>
  );
}

/** Tabs shared by the three pages of one application. */
export function ApplicationTabs({ id, current }: { id: string; current: 'status' | 'form' | 'evidence' }) {
  const t = useT();
  const tabs: Array<[typeof current, string, string]> = [
    ['form', `/applications/${id}/form`, t('1 申请表', '1 Form')],
    ['evidence', `/applications/${id}/evidence`, t('2 支撑材料', '2 Evidence')],
    ['status', `/applications/${id}`, t('3 提交与进度', '3 Submit & status')],
  ];
  return (
    <nav class="tabs" aria-label={t('申请步骤', 'Application steps')}>
      {tabs.map(([key, href, label]) => (
        <Link key={key} href={href} aria-current={key === current ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
