import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EChartsOption } from 'echarts';
import { useT } from '../i18n.ts';
import './charts.css';

type EChartsModule = typeof import('./echarts.ts');
type Instance = ReturnType<EChartsModule['echarts']['init']>;

let module: Promise<EChartsModule> | undefined;
/** The charting chunk, loaded on the first chart drawn (and kept). */
export function loadCharts(): Promise<EChartsModule> {
  module ??= import('./echarts.ts');
  return module;
}

/** A click on a chart element: its name and data item. */
export interface ChartClick {
  readonly name: string;
  readonly data: unknown;
}

/**
 * One ECharts chart, drawn once the charting chunk has loaded; redrawn when
 * the option changes, resized with its box, disposed with the component.
 * The drawing is an image for assistive technology (`role="img"` with the
 * summary as its label); the figure around it gives the table alternative.
 * `prepare` runs before drawing (e.g. registering a map).
 */
export function Chart(props: { option: EChartsOption; summary: string; height?: number; prepare?: (m: EChartsModule) => Promise<void>; onClick?: (e: ChartClick) => void }) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | undefined>(undefined);
  const click = useRef(props.onClick);
  click.current = props.onClick;
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    // Ready means this option is drawn: not ready again until it is.
    if (box.current) box.current.dataset.ready = 'false';
    void (async () => {
      try {
        const m = await loadCharts();
        await props.prepare?.(m);
        if (disposed || !box.current) return;
        chart.current ??= m.echarts.init(box.current, undefined, { renderer: 'svg' });
        chart.current.setOption(props.option, true);
        chart.current.off('click');
        chart.current.on('click', (e) => click.current?.({ name: String(e.name ?? ''), data: e.data }));
        observer = new ResizeObserver(() => chart.current?.resize());
        observer.observe(box.current);
        box.current.dataset.ready = 'true';
      } catch {
        if (!disposed) setFailed(true);
      }
    })();
    return () => {
      disposed = true;
      observer?.disconnect();
    };
  }, [props.option]);

  useEffect(
    () => () => {
      chart.current?.dispose();
      chart.current = undefined;
    },
    [],
  );

  return (
    <div class="chart-box">
      <div ref={box} class="chart" role="img" aria-label={props.summary} tabIndex={0} style={{ height: `${props.height ?? 280}px` }} />
      {failed ? <p class="muted small">{t('图表无法加载，请查看下方数据表。', 'The chart could not be loaded; see the data table below.')}</p> : null}
    </div>
  );
}

/**
 * A chart with its title, and its data as a table (the text alternative,
 * open on request, reachable by keyboard).
 */
export function ChartFigure(props: { id: string; title: ComponentChildren; chart: ComponentChildren; table: ComponentChildren; note?: ComponentChildren }) {
  const t = useT();
  return (
    <figure class="chart-figure" aria-labelledby={`${props.id}-title`} data-figure={props.id}>
      <figcaption id={`${props.id}-title`}>
        <h3>{props.title}</h3>
        {props.note ? <p class="muted small">{props.note}</p> : null}
      </figcaption>
      {props.chart}
      <details>
        <summary>{t('数据表', 'Data table')}</summary>
        {props.table}
      </details>
    </figure>
  );
}
