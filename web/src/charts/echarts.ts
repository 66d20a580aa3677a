import { BarChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * Apache ECharts with only the charts and components the reports draw
 * (tree-shaken), SVG rendering. Imported dynamically by `chart.tsx`, so
 * that it is a chunk of its own and the portal's first load stays small.
 */
echarts.use([BarChart, LineChart, MapChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export { echarts };

/** A map feature as the portal's offline map data has it (web/vite.config.ts): name and GB/T 2260 code. */
export interface MapFeature {
  readonly name: string;
  readonly code: string;
}

const loaded = new Map<string, Promise<MapFeature[]>>();

/**
 * Registers the map `key` (`china` or a province code) from the portal's own
 * `/maps/<key>.json`, once; the features' names and codes.
 */
export function loadMap(key: string): Promise<MapFeature[]> {
  let features = loaded.get(key);
  if (!features) {
    features = fetch(`/maps/${key}.json`)
      .then((res) => {
        if (!res.ok) throw new Error(`map ${key}: ${res.status}`);
        return res.json() as Promise<{ features: Array<{ properties: { name: string; code?: string } }> }>;
      })
      .then((geo) => {
        echarts.registerMap(key, geo as never);
        return geo.features.map((f) => ({ name: f.properties.name, code: f.properties.code ?? '' }));
      });
    features.catch(() => loaded.delete(key));
    loaded.set(key, features);
  }
  return features;
}
