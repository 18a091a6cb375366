/** A page the console does not have: says so, and offers the way back. */
export function NotFound({ path }: { path: string }) {
  return (
    <section aria-labelledby="not-found-title" className="not-found">
      <h1 id="not-found-title">Page not found</h1>
      <p>
        The console has no page at <code>{path}</code>. It may have moved, or the link was mistyped.
      </p>
      <p>
        <a className="button primary" href="#/overview">
          Go to the overview
        </a>{' '}
        <a className="button" href="#/hooks">
          Webhooks
        </a>
      </p>
    </section>
  );
}
