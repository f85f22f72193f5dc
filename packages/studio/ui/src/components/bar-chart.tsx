import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

// Only the parts the bar charts use: the bundle stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  readonly label: string;
  readonly data: readonly number[];
  readonly color: string;
}

/** A grouped bar chart (Chart.js) of one value per label and series. */
export function BarChart({ labels, series, title, horizontal = false, height = 240 }: { readonly labels: readonly string[]; readonly series: readonly Series[]; readonly title: string; readonly horizontal?: boolean; readonly height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      type: 'bar',
      data: { labels: [...labels], datasets: series.map((s) => ({ label: s.label, data: [...s.data], backgroundColor: s.color })) },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [labels, series]);
  return (
    <div class="card">
      <h3>{title}</h3>
      <div class="chart" style={{ height: `${height}px` }}><canvas ref={canvas} role="img" aria-label={title} /></div>
    </div>
  );
}
