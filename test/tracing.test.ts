/**
 * OpenTelemetry traces: off by default; on with the OTEL_* variables, Herald sends its spans over
 * OTLP/HTTP (JSON) to a collector (here a node:http server in this process): one per API request,
 * one per emit (a child of the request's), one per delivery attempt (from the dispatcher's thread,
 * linked to the emit, so to the request's trace).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { tracesEndpoint } from '../src/telemetry/hub.ts';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, eventually, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: OtlpValue }[];
  links?: { traceId: string; spanId: string }[];
}
interface CollectedSpan extends OtlpSpan {
  resource: Record<string, unknown>;
  attrs: Record<string, unknown>;
}

const otlpValue = (v: OtlpValue) => v.stringValue ?? (v.intValue === undefined ? v.boolValue : Number(v.intValue));
const attrsOf = (list: { key: string; value: OtlpValue }[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, otlpValue(a.value)]));

/** An OTLP/HTTP collector: keeps every span POSTed to /v1/traces (JSON). */
async function startCollector() {
  const spans: CollectedSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: OtlpValue }[] };
          scopeSpans: { spans: OtlpSpan[] }[];
        }[];
      };
      for (const rs of body.resourceSpans) {
        const resource = attrsOf(rs.resource.attributes);
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans) spans.push({ ...span, resource, attrs: attrsOf(span.attributes) });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('tracing settings', () => {
  it('is off by default, with OTEL_SDK_DISABLED=true, and with OTEL_TRACES_EXPORTER=none', () => {
    assert.equal(tracesEndpoint(loadConfig({})), undefined);
    assert.equal(
      tracesEndpoint(loadConfig({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })),
      undefined,
    );
    assert.equal(
      tracesEndpoint(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })),
      undefined,
    );
    assert.equal(
      tracesEndpoint(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })),
      'http://c:4318/v1/traces',
    );
    assert.equal(tracesEndpoint(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' })), 'http://localhost:4318/v1/traces');
    assert.equal(
      tracesEndpoint(
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://d/t' }),
      ),
      'http://d/t',
    );
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'c:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

for (const store of stores) {
  describe(`tracing (${store})`, () => {
    for (const thread of [true, false])
      it(`sends the request, emit and attempt spans, the attempt linked to the request trace (HERALD_DISPATCHER_THREAD=${thread})`, async () => {
        const collector = await startCollector();
        const receiver = await startReceiver();
        const t = await startTestServer(store, {
          OTEL_TRACES_EXPORTER: 'otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_SERVICE_NAME: 'herald-test',
          HERALD_DISPATCHER_THREAD: String(thread),
        });
        let hookId: string;
        try {
          const hook = await t.request('POST', '/api/hooks', {
            body: { name: 'traced', events: ['User.Created'], config: { url: receiver.url } },
          });
          assert.equal(hook.status, 201);
          hookId = hook.json.id;
          const user = await t.request('POST', '/api/users', { body: { username: `traced_${store}_${thread}` } });
          assert.equal(user.status, 200);
          await receiver.waitFor((r) => r.length === 1);
          await eventually(async () =>
            (await t.request('GET', `/api/hooks/${hookId}/deliveries?status=succeeded`)).json.data.length === 1
              ? true
              : undefined,
          );
        } finally {
          // Closing flushes both threads' span processors.
          await t.close();
          await receiver.close();
          await collector.close();
        }
        assert.ok(
          collector.paths.every((p) => p.startsWith('POST /v1/traces application/json')),
          collector.paths.join(),
        );

        const request = collector.spans.find((s) => s.attrs['http.route'] === '/api/users');
        assert.ok(request, 'the request span arrived');
        assert.equal(request.name, 'POST /api/users');
        assert.equal(request.attrs['http.request.method'], 'POST');
        assert.equal(request.attrs['http.response.status_code'], 200);
        assert.equal(request.resource['service.name'], 'herald-test');
        assert.equal(request.resource['herald.thread'], 'api');

        const emit = collector.spans.find((s) => s.name === 'emit User.Created');
        assert.ok(emit, 'the emit span arrived');
        assert.equal(emit.traceId, request.traceId);
        assert.equal(emit.parentSpanId, request.spanId, 'the emit is a child of the request');
        assert.equal(emit.attrs['herald.event.name'], 'User.Created');
        assert.equal(emit.attrs['herald.delivery.count'], 1);

        const attempt = collector.spans.find((s) => s.name === 'deliver User.Created');
        assert.ok(attempt, 'the attempt span arrived');
        assert.equal(
          attempt.resource['herald.thread'],
          thread ? 'dispatcher' : 'api',
          "in its thread, the dispatcher's own tracer provider sends it",
        );
        assert.equal(attempt.attrs['herald.hook.id'], hookId);
        assert.equal(attempt.attrs['herald.event.name'], 'User.Created');
        assert.equal(attempt.attrs['herald.attempt'], 1);
        assert.equal(attempt.attrs['herald.outcome'], 'delivered');
        assert.equal(attempt.attrs['http.response.status_code'], 200);
        assert.deepEqual(
          attempt.links?.map((l) => [l.traceId, l.spanId]),
          [[request.traceId, emit.spanId]],
          "the attempt links to the emit, in the request's trace",
        );
      });
  });
}
