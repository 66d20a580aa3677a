import { useEffect, useMemo, useState } from 'preact/hooks';
import type { EChartsOption } from 'echarts';
import { findProvince } from '../../../schemas/validators/region-codes.ts';
import { DataTable } from '../components/ui.tsx';
import { useT } from '../i18n.ts';
import { Chart, ChartFigure, loadCharts } from './chart.tsx';
import type { MapFeature } from './echarts.ts';

/** Art.8: a prefecture-level city with pilot colleges and its ACTIVE sites (`GET /v1/register/coverage`, `GET /v1/admin/reports`). */
export interface CityCoverage {
  provinceCode: string;
  cityCode: string;
  pilotColleges: number;
  activeSites: number;
  covered: boolean;
}

/** The fill of an area by coverage: no pilot college, all cities covered, some, none. */
export const COVERAGE_COLOURS = { none: '#eef1f4', all: '#2da44e', some: '#e3b341', uncovered: '#cf222e' } as const;
type Level = keyof typeof COVERAGE_COLOURS;

const MUNICIPALITIES = ['11', '12', '31', '50'];

function levelOf(cities: readonly CityCoverage[]): Level {
  if (!cities.length) return 'none';
  const covered = cities.filter((c) => c.covered).length;
  return covered === cities.length ? 'all' : covered ? 'some' : 'uncovered';
}

let cityNames: Promise<Record<string, string>> | undefined;
/** City code → name, from the portal's offline map data (Chinese names). */
export function loadCityNames(): Promise<Record<string, string>> {
  cityNames ??= fetch('/maps/city-names.json')
    .then((r) => (r.ok ? (r.json() as Promise<Record<string, string>>) : {}))
    .catch(() => ({}));
  return cityNames;
}

/** City names once loaded (codes until then). */
export function useCityNames(): (code: string) => string {
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    void loadCityNames().then(setNames);
  }, []);
  return (code) => names[code] ?? code;
}

/**
 * The Art.8 coverage map: China by province, coloured by the coverage of its
 * prefecture-level cities with pilot colleges; a province (click, or its
 * button in the table) drills down to its cities. Beside it, the cities
 * still without an exam site (with their colleges, when `collegesOf` names
 * them: the organisation's view). The table under it is the map's text
 * alternative and its keyboard path.
 */
export function CoverageMap(props: { cities: readonly CityCoverage[]; collegesOf?: (cityCode: string) => readonly string[]; id?: string }) {
  const t = useT();
  const cityName = useCityNames();
  const [province, setProvince] = useState<string | undefined>(undefined);
  // The features with the map they belong to: until the map of the new scope has loaded, no option is built
  // (an option naming a map not yet registered would draw nothing).
  const [loaded, setLoaded] = useState<{ key: string; features: MapFeature[] } | undefined>(undefined);
  const mapKey = province ?? 'china';
  const features = loaded?.key === mapKey ? loaded.features : undefined;
  const id = props.id ?? 'coverage-map';
  const provinceName = (code: string) => {
    const p = findProvince(code);
    return p ? t.pick(p) : code;
  };

  const byProvince = useMemo(() => {
    const out = new Map<string, CityCoverage[]>();
    for (const c of props.cities) out.set(c.provinceCode, [...(out.get(c.provinceCode) ?? []), c]);
    return out;
  }, [props.cities]);
  const inScope = province ? (byProvince.get(province) ?? []) : props.cities;
  const uncovered = inScope.filter((c) => !c.covered);

  useEffect(() => {
    let live = true;
    void loadCharts()
      .then((m) => m.loadMap(mapKey))
      .then((f) => live && setLoaded({ key: mapKey, features: f }))
      .catch(() => live && setLoaded({ key: mapKey, features: [] }));
    return () => {
      live = false;
    };
  }, [mapKey]);

  const label = (level: Level) =>
    ({
      none: t('无试点院校', 'No pilot college'),
      all: t('全部覆盖', 'All covered'),
      some: t('部分覆盖', 'Partly covered'),
      uncovered: t('尚未覆盖', 'Not covered'),
    })[level];

  const option = useMemo<EChartsOption | undefined>(() => {
    if (!features) return undefined;
    const data = features.map((f) => {
      const cities = province
        ? MUNICIPALITIES.includes(province.slice(0, 2))
          ? inScope
          : props.cities.filter((c) => c.cityCode === f.code)
        : (byProvince.get(f.code) ?? []);
      const level = levelOf(cities);
      const covered = cities.filter((c) => c.covered).length;
      return {
        name: f.name,
        value: cities.length ? covered / cities.length : 0,
        code: f.code,
        summary: cities.length
          ? t(`有试点院校的地级市 ${cities.length} 个，已覆盖 ${covered} 个`, `${covered} of ${cities.length} cities with pilot colleges covered`)
          : label('none'),
        itemStyle: { areaColor: COVERAGE_COLOURS[level] },
      };
    });
    return {
      tooltip: { trigger: 'item', formatter: (p: unknown) => { const d = (p as { name: string; data?: { summary?: string } }); return `${d.name}<br/>${d.data?.summary ?? ''}`; } },
      series: [
        {
          type: 'map',
          map: mapKey,
          roam: false,
          selectedMode: false,
          data,
          label: { show: Boolean(province), fontSize: 10 },
          emphasis: { label: { show: true }, itemStyle: { areaColor: '#8cb4f5' } },
          itemStyle: { borderColor: '#fff', borderWidth: 0.6 },
        },
      ],
    } as EChartsOption;
  }, [features, props.cities, province, t.lang]);

  const covered = inScope.filter((c) => c.covered).length;
  const summary = t(
    `${province ? provinceName(province) : '全国'}：有试点院校的地级市 ${inScope.length} 个，已设考核站点 ${covered} 个，尚未覆盖 ${inScope.length - covered} 个。`,
    `${province ? provinceName(province) : 'China'}: ${covered} of ${inScope.length} prefecture-level cities with pilot colleges have an exam site; ${inScope.length - covered} have none.`,
  );

  const drill = (code: string) => {
    if (code && byProvince.has(code)) setProvince(code);
  };

  return (
    <div class="coverage-map" data-scope={mapKey}>
      <div class="map-and-list">
        <ChartFigure
          id={id}
          title={
            <>
              {province ? provinceName(province) : t('全国', 'China')} · {t('地级市覆盖', 'City coverage')} <span class="article">Art.8</span>
            </>
          }
          note={summary}
          chart={
            <>
              {province ? (
                <button type="button" class="small" onClick={() => setProvince(undefined)}>
                  {t('← 返回全国', '← Back to China')}
                </button>
              ) : (
                <p class="muted small">{t('点击省份或表中的“查看各市”查看地级市。', 'Click a province, or “Show cities” in the table, to see its cities.')}</p>
              )}
              {option ? (
                <Chart option={option} summary={summary} height={420} onClick={(e) => !province && drill((e.data as { code?: string } | undefined)?.code ?? '')} />
              ) : (
                <div class="chart placeholder" style={{ height: '420px' }} aria-hidden="true" />
              )}
              <ul class="legend" aria-label={t('图例', 'Legend')}>
                {(Object.keys(COVERAGE_COLOURS) as Level[]).map((level) => (
                  <li key={level}>
                    <span class={`swatch swatch-${level}`} aria-hidden="true" /> {label(level)}
                  </li>
                ))}
              </ul>
            </>
          }
          table={
            province ? (
              <DataTable caption={summary} columns={[t('地级市', 'City'), t('代码', 'Code'), t('试点院校', 'Pilot colleges'), t('考核站点', 'Exam sites'), t('是否覆盖', 'Covered')]}>
                {inScope.map((c) => (
                  <tr key={c.cityCode} data-city={c.cityCode}>
                    <td>{cityName(c.cityCode)}</td>
                    <td>
                      <code>{c.cityCode}</code>
                    </td>
                    <td>{c.pilotColleges}</td>
                    <td>{c.activeSites}</td>
                    <td>{c.covered ? t('已覆盖', 'Yes') : t('未覆盖', 'Not yet')}</td>
                  </tr>
                ))}
              </DataTable>
            ) : (
              <DataTable caption={summary} columns={[t('省份', 'Province'), t('有试点院校的地级市', 'Cities with pilot colleges'), t('已覆盖', 'Covered'), '']}>
                {[...byProvince.entries()]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([code, cities]) => (
                    <tr key={code} data-province={code}>
                      <td>{provinceName(code)}</td>
                      <td>{cities.length}</td>
                      <td>{cities.filter((c) => c.covered).length}</td>
                      <td>
                        <button type="button" class="small" onClick={() => drill(code)}>
                          {t('查看各市', 'Show cities')}
                        </button>
                      </td>
                    </tr>
                  ))}
              </DataTable>
            )
          }
        />
        <aside class="uncovered" aria-labelledby={`${id}-uncovered`}>
          <h3 id={`${id}-uncovered`}>
            {t('尚无考核站点的地级市', 'Cities without an exam site')} ({uncovered.length})
          </h3>
          {uncovered.length ? (
            <ul class="plain" data-uncovered>
              {uncovered.map((c) => {
                const colleges = props.collegesOf?.(c.cityCode) ?? [];
                return (
                  <li key={c.cityCode} data-city={c.cityCode}>
                    <strong>{cityName(c.cityCode)}</strong> <span class="muted small">{province ? '' : provinceName(c.provinceCode)}</span>
                    <span class="muted small">
                      {' '}
                      · {t(`试点院校 ${c.pilotColleges} 所`, `${c.pilotColleges} pilot college${c.pilotColleges === 1 ? '' : 's'}`)}
                    </span>
                    {colleges.length ? <div class="small">{colleges.join(t('、', ', '))}</div> : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p class="muted">{t('全部覆盖。', 'All covered.')}</p>
          )}
        </aside>
      </div>
    </div>
  );
}
