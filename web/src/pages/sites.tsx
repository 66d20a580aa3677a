import { get } from '../api.ts';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** An exam site as `GET /v1/sites` returns it (schemas/api/sites.schema.ts). */
interface SiteView {
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

const STATUS_LABELS: Record<SiteView['status'], [string, string]> = {
  ACTIVE: ['已认证', 'Active'],
  SUSPENDED: ['暂停考试', 'Exams suspended'],
  REVOKED: ['已撤销', 'Revoked'],
  WITHDRAWN: ['已退出', 'Withdrawn'],
};

/**
 * The accredited exam sites: a college sees its own (certificate number,
 * status, its accredited rooms with their capacity (Art.9(2): exam
 * sessions are held only there), the Art.23(1) date by which an exam must be held); the
 * organisation sees its register of active sites.
 */
export function SitesPage() {
  const t = useT();
  const sites = useAsync(() => get<Page<SiteView>>('/v1/sites'), []);
  const items = sites.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('考核站点', 'Exam sites')}</PageTitle>
      <ErrorBox error={sites.error} />
      {sites.loading && !sites.data ? <Loading /> : null}
      {sites.data && !items.length ? <p class="muted">{t('暂无认证考核站点。', 'No accredited exam site yet.')}</p> : null}
      {items.length ? (
        <DataTable
          caption={t('考核站点', 'Exam sites')}
          columns={[t('证书编号', 'Certificate'), t('单位', 'Institution'), t('状态', 'Status'), t('认证日期', 'Accredited'), t('认证考场（同时可考人数）', 'Accredited rooms (candidates at once)'), t('最近考试', 'Last exam'), t('须在此前组织考试（第二十三条）', 'Exam needed before (Art.23(1))')]}
        >
          {items.map((s) => (
            <tr key={s.siteId}>
              <td>
                <code>{s.certificateNumber}</code>
              </td>
              <td>
                {s.institutionName} <Link href={`/applications/${s.applicationId}`}>{t('申请记录', 'Application')}</Link>
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
    </section>
  );
}
