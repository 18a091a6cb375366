/** What Herald's code sees of tracing (hub.ts loads the implementation, tracing.ts). */
/** A request's span, as the HTTP hooks hold it. */
export interface RequestSpan {
  /** Ends the span with the route pattern and the status code. */
  end(route: string | undefined, statusCode: number): void;
  /** Runs `fn` (the rest of the request) with this span current, so that emits become its children. */
  run(fn: () => void): void;
}

export interface AttemptSpanData {
  hookId: string;
  deliveryId: string;
  eventName: string;
  attempt: number;
  outcome: string;
  statusCode: number | undefined;
  error: string | undefined;
  startedAt: number;
  durationMs: number;
  /** The emitting span's W3C traceparent, stored with the event. */
  traceparent: string | undefined;
}

export interface Tracing {
  /** `traceparent`: the incoming request's W3C header, if any (the span continues that trace). */
  startRequest(method: string, path: string, traceparent: string | undefined): RequestSpan;
  /**
   * Runs an emit inside its span (a child of the current request's, if any); `fn` gets the span's
   * traceparent to store with the events, and answers how many deliveries it created.
   */
  emit<T>(
    eventNames: readonly string[],
    fn: (traceparent: string) => Promise<{ result: T; deliveries: number }>,
  ): Promise<T>;
  /** Records one finished delivery attempt as a span linked to its emitting span. */
  attempt(data: AttemptSpanData): void;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}
