// A chart drawn with chart.js, imported only here (a staff chunk), with the same figures as a table for
// screen readers and keyboard users (the canvas itself is hidden from assistive technology).
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n.tsx';

export function BarChart({ labels, values, label, kind = 'bar' }: { labels: string[]; values: number[]; label: string; kind?: 'bar' | 'line' }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    let chart: { destroy: () => void } | undefined;
    let cancelled = false;
    void import('chart.js/auto').then(({ default: Chart }) => {
      if (cancelled || !ref.current) return;
      chart = new Chart(ref.current, {
        type: kind,
        data: { labels, datasets: [{ label, data: values, backgroundColor: '#1d70b8', borderColor: '#1d70b8' }] },
        options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [labels, values, label, kind]);
  return (
    <figure style={{ margin: '0 0 20px' }}>
      <div className="chart-box">
        <canvas ref={ref} aria-hidden="true" />
      </div>
      <figcaption>
        <details className="details">
          <summary>{t(`${label}: bảng số liệu`, `${label}: data table`)}</summary>
          <table className="table">
            <tbody>
              {labels.map((l, i) => (
                <tr key={l}>
                  <th scope="row">{l}</th>
                  <td className="num">{values[i]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

export interface Series {
  label: string;
  values: Array<number | null>;
  color: string;
  /** a dash pattern, so the lines differ by more than colour */
  dash?: number[];
}

/**
 * Several lines over a time axis that changes often (the operations page): the chart is made once and its
 * data replaced in place, so a refresh every few seconds neither flickers nor steals focus. The caller
 * gives the same figures as a table.
 */
export function LineChart({ labels, series, label, yTitle }: { labels: string[]; series: Series[]; label: string; yTitle: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const chart = useRef<{ data: { labels: string[]; datasets: Array<{ data: Array<number | null> }> }; update: (mode?: 'none') => void; destroy: () => void } | null>(null);
  const latest = useRef({ labels, series });
  latest.current = { labels, series };
  const key = series.map((s) => s.label).join('|');
  useEffect(() => {
    let cancelled = false;
    void import('chart.js/auto').then(({ default: Chart }) => {
      if (cancelled || !ref.current) return;
      const { labels: l, series: s } = latest.current;
      chart.current = new Chart(ref.current, {
        type: 'line',
        data: { labels: l, datasets: s.map((x) => ({ label: x.label, data: x.values, borderColor: x.color, backgroundColor: x.color, borderDash: x.dash ?? [], pointRadius: 0, pointStyle: 'line', borderWidth: 2, spanGaps: true })) },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: true, position: 'bottom', labels: { usePointStyle: true } } },
          scales: { y: { beginAtZero: true, title: { display: true, text: yTitle } }, x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } } },
        },
      }) as unknown as typeof chart.current;
    });
    return () => {
      cancelled = true;
      chart.current?.destroy();
      chart.current = null;
    };
  }, [key, yTitle]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = labels;
    series.forEach((s, i) => {
      const d = c.data.datasets[i];
      if (d) d.data = s.values;
    });
    c.update('none');
  }, [labels, series]);
  return (
    <div className="chart-box" role="img" aria-label={label}>
      <canvas ref={ref} aria-hidden="true" />
    </div>
  );
}
