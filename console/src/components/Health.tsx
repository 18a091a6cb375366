import { useEffect, useRef, useState } from 'react';
import type { Api } from '../api';
import { hour } from '../format';
import { useLoad } from '../hooks';
import type { HealthBucket, HealthPeriod, HookHealth } from '../../../src/delivery/schemas.ts';
import type { Hook } from '../../../src/hooks/schemas.ts';
import { ErrorMessage, Loading } from './ui';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 40, right: 8, top: 10, bottom: 28 };

/** A round top for the y axis: 1, 2, 5, 10, 20, 50… */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

export function Chart({
  buckets,
  period,
  delivered,
  failed,
}: {
  buckets: HealthBucket[];
  period: HealthPeriod;
  delivered: number;
  failed: number;
}) {
  const max = niceMax(Math.max(...buckets.map((b) => b.delivered + b.failed)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / buckets.length;
  const bar = Math.max(1, slot * 0.8);
  const y = (n: number) => (n / max) * plotH;
  const labelEvery = period === '24h' ? 6 : 24;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Attempts per hour over the last ${period === '24h' ? '24 hours' : '7 days'}: ${delivered} delivered, ${failed} failed.`}
    >
      {[0, max / 2, max].map((tick) => (
        <g key={tick}>
          <line
            className="grid"
            x1={PAD.left}
            x2={WIDTH - PAD.right}
            y1={PAD.top + plotH - y(tick)}
            y2={PAD.top + plotH - y(tick)}
          />
          <text className="axis" x={PAD.left - 6} y={PAD.top + plotH - y(tick) + 4} textAnchor="end">
            {tick}
          </text>
        </g>
      ))}
      {buckets.map((b, i) => {
        const x = PAD.left + i * slot + (slot - bar) / 2;
        const hd = y(b.delivered);
        const hf = y(b.failed);
        return (
          <g key={b.start}>
            <title>{`${hour(b.start, period === '7d')}: ${b.delivered} delivered, ${b.failed} failed`}</title>
            {b.delivered > 0 && <rect className="delivered" x={x} width={bar} y={PAD.top + plotH - hd} height={hd} />}
            {b.failed > 0 && <rect className="failed" x={x} width={bar} y={PAD.top + plotH - hd - hf} height={hf} />}
            {i % labelEvery === 0 && (
              <text className="axis" x={x + bar / 2} y={HEIGHT - 8} textAnchor="middle">
                {hour(b.start, period === '7d')}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function Health({ api, hook }: { api: Api; hook: Hook }) {
  const [period, setPeriod] = useState<HealthPeriod>('24h');
  const health = useLoad<HookHealth>(api, `/api/hooks/${hook.id}/health?period=${period}`);
  const data = health.data?.period === period ? health.data : undefined;
  const wrap = useRef<HTMLDivElement>(null);
  // Where the chart scrolls (narrow screens), show the newest hours first.
  useEffect(() => {
    if (wrap.current) wrap.current.scrollLeft = wrap.current.scrollWidth;
  }, [data]);
  const delivered = data?.buckets.reduce((n, b) => n + b.delivered, 0) ?? 0;
  const failed = data?.buckets.reduce((n, b) => n + b.failed, 0) ?? 0;

  return (
    <div className="health">
      <h2>Health</h2>
      <div className="segmented" role="group" aria-label="Period">
        {(['24h', '7d'] as const).map((p) => (
          <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)}>
            {p === '24h' ? 'Last 24 hours' : 'Last 7 days'}
          </button>
        ))}
        <button type="button" onClick={() => void health.reload()} disabled={health.loading}>
          Refresh
        </button>
      </div>
      <ErrorMessage error={health.error} />
      {!data && health.loading && <Loading what="health" />}
      {data && (
        <figure>
          <div className="chart-wrap" ref={wrap} tabIndex={0} role="region" aria-label="Attempts per hour chart">
            <Chart buckets={data.buckets} period={period} delivered={delivered} failed={failed} />
          </div>
          <figcaption>
            <span className="legend delivered-key">Delivered</span> {delivered}{' '}
            <span className="legend failed-key">Failed</span> {failed}
            {delivered + failed > 0 && (
              <> · {Math.round((delivered / (delivered + failed)) * 1000) / 10} % of attempts delivered</>
            )}
          </figcaption>
          <details>
            <summary>Show as a table</summary>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="Attempts per hour table">
              <table aria-label="Attempts per hour">
                <thead>
                  <tr>
                    <th scope="col">Hour</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">Failed</th>
                  </tr>
                </thead>
                <tbody>
                  {data.buckets
                    .filter((b) => b.delivered + b.failed > 0)
                    .map((b) => (
                      <tr key={b.start}>
                        <td>{hour(b.start, true)}</td>
                        <td>{b.delivered}</td>
                        <td>{b.failed}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </details>
        </figure>
      )}
    </div>
  );
}
