/**
 * What every request adds to the metrics and, when tracing is on, to the traces: its duration by
 * method, route pattern (Fastify's routeOptions.url, never the URL) and status code, and one span.
 */
import type { App } from '../http/types.ts';
import type { RequestSpan, Tracing } from './hub.ts';

export interface HttpObserver {
  observeHttp(method: string, route: string | undefined, statusCode: number, seconds: number): void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's span (tracing on only). */
    heraldSpan?: RequestSpan | undefined;
  }
}

export function instrumentHttp(app: App, deps: { metrics?: HttpObserver | undefined; tracing?: Tracing | undefined }) {
  const { metrics, tracing } = deps;
  if (tracing) {
    app.decorateRequest('heraldSpan', undefined);
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.traceparent;
      request.heraldSpan = tracing.startRequest(
        request.method,
        request.url.split('?')[0] ?? '/',
        typeof header === 'string' ? header : undefined,
      );
      done();
    });
    // After the body is parsed, the handler (and what it awaits) runs with the request's span current.
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.heraldSpan) request.heraldSpan.run(done);
      else done();
    });
    // A client that goes away before the answer: the span ends there (499, as proxies log it).
    app.addHook('onRequestAbort', (request, done) => {
      request.heraldSpan?.end(request.routeOptions.url, 499);
      done();
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    metrics?.observeHttp(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    request.heraldSpan?.end(request.routeOptions.url, reply.statusCode);
    done();
  });
}
