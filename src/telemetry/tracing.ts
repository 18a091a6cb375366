/**
 * The OpenTelemetry SDK, loaded only when tracing is on (hub.ts): a tracer provider of its own (not
 * registered globally: each server, and the dispatcher's thread, has its own), batching spans to an
 * OTLP/HTTP (JSON) exporter. The request being served is tracked with an AsyncLocalStorage, so an
 * emit inside it becomes its child without any context being passed by hand.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Context,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import { HERALD_VERSION } from '../version.ts';
import type { AttemptSpanData, RequestSpan, Tracing } from './types.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C traceparent header's span context, or undefined when it is malformed. */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2] as string) || /^0+$/.test(match[3] as string))
    return undefined;
  return {
    traceId: match[2] as string,
    spanId: match[3] as string,
    traceFlags: Number.parseInt(match[4] as string, 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
}

export function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-0${(context.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

export function createTracing(options: {
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  thread: 'api' | 'dispatcher';
}): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      [ATTR_SERVICE_VERSION]: HERALD_VERSION,
      'herald.thread': options.thread,
    }),
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.url, headers: options.headers }) }),
    ],
  });
  const tracer = provider.getTracer('herald', HERALD_VERSION);
  /** The span of the request being served, in this async context. */
  const current = new AsyncLocalStorage<Span>();

  function parentOf(traceparent: string | undefined): Context {
    const remote = parseTraceparent(traceparent);
    return remote ? trace.setSpanContext(ROOT_CONTEXT, remote) : ROOT_CONTEXT;
  }

  return {
    startRequest(method, path, traceparent): RequestSpan {
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path } },
        parentOf(traceparent),
      );
      let ended = false;
      return {
        end(route, statusCode) {
          if (ended) return;
          ended = true;
          if (route) {
            span.updateName(`${method} ${route}`);
            span.setAttribute(ATTR_HTTP_ROUTE, route);
          }
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
        run(fn) {
          current.run(span, fn);
        },
      };
    },

    async emit(eventNames, fn) {
      const request = current.getStore();
      const parent = request ? trace.setSpan(ROOT_CONTEXT, request) : ROOT_CONTEXT;
      const span = tracer.startSpan(
        `emit ${eventNames.length === 1 ? eventNames[0] : `${eventNames.length} events`}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'herald.event.name': [...new Set(eventNames)].join(','),
            'herald.event.count': eventNames.length,
          },
        },
        parent,
      );
      try {
        const { result, deliveries } = await fn(formatTraceparent(span.spanContext()));
        span.setAttribute('herald.delivery.count', deliveries);
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },

    attempt(data: AttemptSpanData) {
      const link = parseTraceparent(data.traceparent);
      const span = tracer.startSpan(
        `deliver ${data.eventName}`,
        {
          kind: SpanKind.CLIENT,
          startTime: data.startedAt,
          links: link ? [{ context: link }] : [],
          attributes: {
            'herald.hook.id': data.hookId,
            'herald.delivery.id': data.deliveryId,
            'herald.event.name': data.eventName,
            'herald.attempt': data.attempt,
            'herald.outcome': data.outcome,
            ...(data.statusCode === undefined ? {} : { [ATTR_HTTP_RESPONSE_STATUS_CODE]: data.statusCode }),
          },
        },
        ROOT_CONTEXT,
      );
      if (data.outcome !== 'delivered')
        span.setStatus({ code: SpanStatusCode.ERROR, message: data.error ?? data.outcome });
      span.end(data.startedAt + data.durationMs);
    },

    async shutdown() {
      await provider.shutdown();
    },
  };
}
