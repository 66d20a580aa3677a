import { useState } from 'preact/hooks';
import { PROVINCES, findProvince } from '../../../schemas/validators/region-codes.ts';
import { get } from '../api.ts';
import { lazyComponent } from '../charts/lazy.tsx';
import { DataTable, ErrorBox, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** An ACTIVE site as `GET /v1/register/sites` returns it (schemas/api/register.schema.ts): no personal data. */
export interface RegisterEntry {
  siteId: string;
  certificateNumber: string;
  institutionName: string;
  provinceCode: string;
  cityCode: string;
  activatedAt: string;
  accreditedRooms: number;
  accreditedSeats: number;
  accreditedCapacity: number;
}

/** `GET /v1/register/coverage` (Art.8). */
interface PublicCoverage {
  article: 'Art.8';
  citiesWithPilotColleges: number;
  coveredCities: number;
  cities: Array<{ provinceCode: string; cityCode: string; pilotColleges: number; activeSites: number; covered: boolean }>;
}

/** The Art.8 map (charts chunk), loaded when the coverage is shown. */
const CoverageMap = lazyComponent(() => import('../charts/coverage-map.tsx').then((m) => m.CoverageMap));

/** The province's name in the reader's language, else its code. */
export function useProvinceName(): (code: string) => string {
  const t = useT();
  return (code) => {
    const province = findProvince(code);
    return province ? t.pick(province) : code;
  };
}

/**
 * The public register of exam sites (考核站点名录), readable without signing
 * in: ACTIVE sites by province and city with their certificate number and
 * accredited capacity, and the Art.8 coverage beside it.
 */
export function RegisterPage() {
  const t = useT();
  const provinceName = useProvinceName();
  const [province, setProvince] = useState('');
  const [pages, setPages] = useState<RegisterEntry[][]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const first = useAsync(
    () => get<Page<RegisterEntry>>(`/v1/register/sites?limit=50${province ? `&province=${province}` : ''}`),
    [province],
    (page) => {
      setPages([page.items]);
      setCursor(page.cursor);
    },
  );
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const more = async () => {
    if (!cursor) return;
    try {
      const page = await get<Page<RegisterEntry>>(`/v1/register/sites?limit=50&cursor=${encodeURIComponent(cursor)}${province ? `&province=${province}` : ''}`);
      setPages([...pages, page.items]);
      setCursor(page.cursor);
    } catch (e) {
      setMoreError(e);
    }
  };
  const coverage = useAsync(() => get<PublicCoverage>('/v1/register/coverage'), []);
  const items = pages.flat();
  return (
    <section>
      <PageTitle>{t('考核站点名录', 'Public register of exam sites')}</PageTitle>
      <p class="muted">
        {t(
          '以下为认证有效的考核站点（按省份、地级市排列），可面向本校及社会组织考试（第五条）。名录不含任何个人信息。',
          'The exam sites currently accredited, by province and city; they may hold exams for their own students and the public (Art.5). The register holds no personal data.',
        )}
      </p>
      <p>
        <label>
          {t('省份', 'Province')}{' '}
          <select value={province} onChange={(e) => setProvince((e.target as HTMLSelectElement).value)}>
            <option value="">{t('全部', 'All')}</option>
            {PROVINCES.map((p) => (
              <option key={p.code} value={p.code}>
                {t.pick(p)}
              </option>
            ))}
          </select>
        </label>
      </p>
      <ErrorBox error={first.error ?? moreError} />
      {first.loading && !first.data ? <Loading /> : null}
      {first.data && !items.length ? <p class="muted">{t('暂无认证考核站点。', 'No accredited exam site yet.')}</p> : null}
      {items.length ? (
        <DataTable
          caption={t('考核站点名录', 'Public register of exam sites')}
          columns={[t('省份', 'Province'), t('地级市代码', 'City code'), t('单位', 'Institution'), t('证书编号', 'Certificate'), t('认证考场', 'Accredited rooms'), t('考位', 'Seats'), t('同时可考人数', 'Candidates at once'), t('认证日期', 'Accredited')]}
          class="register"
        >
          {items.map((s) => (
            <tr key={s.siteId} data-certificate={s.certificateNumber}>
              <td>{provinceName(s.provinceCode)}</td>
              <td>
                <code>{s.cityCode}</code>
              </td>
              <td>{s.institutionName}</td>
              <td>
                <code>{s.certificateNumber}</code>
              </td>
              <td>{s.accreditedRooms}</td>
              <td>{s.accreditedSeats}</td>
              <td>{s.accreditedCapacity}</td>
              <td>{formatTime(s.activatedAt, t.lang)}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      {cursor ? (
        <button type="button" onClick={() => void more()}>
          {t('加载更多', 'Load more')}
        </button>
      ) : null}
      <section class="card" aria-labelledby="coverage-title">
        <h2 id="coverage-title">{t('地级市覆盖情况（第八条）', 'Coverage of prefecture-level cities (Art.8)')}</h2>
        <p class="muted">
          {t('原则上有试点院校的地级市至少设置一个考点。', 'In principle, every prefecture-level city with pilot colleges has at least one exam site.')}
        </p>
        <ErrorBox error={coverage.error} />
        {coverage.data ? (
          <>
            <p role="status">
              {t(
                `有试点院校的地级市 ${coverage.data.citiesWithPilotColleges} 个，其中已设考点 ${coverage.data.coveredCities} 个。`,
                `${coverage.data.coveredCities} of ${coverage.data.citiesWithPilotColleges} prefecture-level cities with pilot colleges have an exam site.`,
              )}
            </p>
            {coverage.data.cities.length ? <CoverageMap cities={coverage.data.cities} id="register-coverage" /> : null}
            {coverage.data.cities.length ? (
              <DataTable caption={t('地级市覆盖情况', 'City coverage')} columns={[t('省份', 'Province'), t('地级市代码', 'City code'), t('试点院校', 'Pilot colleges'), t('考核站点', 'Exam sites'), t('是否覆盖', 'Covered')]} class="coverage">
                {coverage.data.cities.map((c) => (
                  <tr key={c.cityCode} data-city={c.cityCode}>
                    <td>{provinceName(c.provinceCode)}</td>
                    <td>
                      <code>{c.cityCode}</code>
                    </td>
                    <td>{c.pilotColleges}</td>
                    <td>{c.activeSites}</td>
                    <td>{c.covered ? t('已覆盖', 'Yes') : t('未覆盖', 'Not yet')}</td>
                  </tr>
                ))}
              </DataTable>
            ) : null}
          </>
        ) : coverage.loading ? (
          <Loading />
        ) : null}
      </section>
    </section>
  );
}
