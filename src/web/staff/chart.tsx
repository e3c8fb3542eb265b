// A chart drawn with chart.js, imported only here (a staff chunk), with the same figures as a table for
// screen readers and keyboard users (the canvas itself is hidden from assistive technology).
import { useEffect, useRef } from 'react';

export function BarChart({ labels, values, label, kind = 'bar' }: { labels: string[]; values: number[]; label: string; kind?: 'bar' | 'line' }) {
  const ref = useRef<HTMLCanvasElement>(null);
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
          <summary>{label}: bảng số liệu / data table</summary>
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
