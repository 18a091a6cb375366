/**
 * OpenTelemetry tracing as the rest of Herald sees it: an interface, and a loader that imports the
 * SDK (tracing.ts) only when the `OTEL_*` settings turn tracing on. Off (the default), nothing of
 * OpenTelemetry is loaded and no code path does more than check for `undefined`.
 */
import type { Config } from '../config.ts';
import type { Tracing } from './types.ts';

type TracingSettings = Pick<
  Config,
  | 'otelSdkDisabled'
  | 'otelTracesExporter'
  | 'otelExporterOtlpEndpoint'
  | 'otelExporterOtlpTracesEndpoint'
  | 'otelExporterOtlpHeaders'
  | 'otelServiceName'
>;

/** Where spans go, or undefined when tracing is off. */
export function tracesEndpoint(config: TracingSettings): string | undefined {
  if (config.otelSdkDisabled || config.otelTracesExporter === 'none') return undefined;
  if (config.otelExporterOtlpTracesEndpoint) return config.otelExporterOtlpTracesEndpoint;
  if (config.otelExporterOtlpEndpoint) return `${config.otelExporterOtlpEndpoint.replace(/\/+$/, '')}/v1/traces`;
  return config.otelTracesExporter === 'otlp' ? 'http://localhost:4318/v1/traces' : undefined;
}

export type { AttemptSpanData, RequestSpan, Tracing } from './types.ts';

/** Loads and starts the tracer provider when the settings turn tracing on; `thread` names where it runs. */
export async function startTracing(
  config: TracingSettings,
  thread: 'api' | 'dispatcher',
): Promise<Tracing | undefined> {
  const url = tracesEndpoint(config);
  if (!url) return undefined;
  const { createTracing } = await import('./tracing.ts');
  return createTracing({
    url,
    headers: config.otelExporterOtlpHeaders ?? {},
    serviceName: config.otelServiceName,
    thread,
  });
}
