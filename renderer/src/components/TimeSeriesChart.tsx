import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from '../lib/format.js';

export interface Series {
  readonly label: string;
  readonly color: string;
}

export interface TimeSeriesChartProps {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
  /** Column-oriented data: [timestamps in seconds, series 1 values, …]; replaced wholesale on each update. */
  readonly data: readonly (readonly (number | null)[])[];
  readonly height?: number;
}

/**
 * A uPlot line chart. uPlot redraws a few thousand points in well under a millisecond, so pushing 10 updates
 * per second for an hour stays smooth as long as callers keep a bounded window of points.
 */
export function TimeSeriesChart({ title, unit, series, data, height = 180 }: TimeSeriesChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is rebuilt only when its shape changes; data flows through setData below.
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      title,
      width: element.clientWidth || 600,
      height,
      scales: { x: { time: true } },
      axes: [
        {
          stroke: 'currentColor',
          grid: { stroke: 'rgba(128,128,128,0.15)' },
          space: 70,
          // Whole seconds and up: one point a second, so finer ticks would only repeat labels.
          incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600],
          // Wall-clock ticks only: the default adds a date line that collides with the ticks in a small chart.
          values: (_plot, splits) => splits.map((seconds) => formatClock(seconds * 1000)),
        },
        { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' }, label: unit },
      ],
      // A null is a second without a measurement (no change mirrored, the project stopped): a gap, never a ramp.
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, spanGaps: false }))],
      legend: { show: true },
    };
    plot.current = new uPlot(options, data as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: element.clientWidth, height });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [title, unit, height, series.map((s) => s.label).join('|')]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div className="chart" ref={container} role="img" aria-label={`${title} (${unit})`} />;
}
