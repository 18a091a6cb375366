import type { Api } from '../api';
import { HookForm } from '../components/HookForm';
import { ErrorMessage, Loading } from '../components/ui';
import { useLoad } from '../hooks';
import { navigate } from '../router';
import type { CatalogEvent, Hook } from '../../../src/hooks/schemas.ts';

export function HookCreate({ api }: { api: Api }) {
  const catalog = useLoad<CatalogEvent[]>(api, '/api/hook-events');
  return (
    <section aria-labelledby="create-title">
      <p className="crumbs">
        <a href="#/hooks">Webhooks</a> ›
      </p>
      <h1 id="create-title">Create webhook</h1>
      <ErrorMessage error={catalog.error} />
      {catalog.loading && <Loading what="the event catalog" />}
      {catalog.data && (
        <HookForm
          catalog={catalog.data}
          submitLabel="Create webhook"
          onSubmit={async (values) => {
            const hook = await api.send<Hook>('POST', '/api/hooks', values);
            navigate(`/hooks/${hook.id}`);
          }}
        />
      )}
    </section>
  );
}
