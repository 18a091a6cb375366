import type { Api } from '../api';
import { SyncHookForm } from '../components/SyncHookForm';
import { navigate } from '../router';
import type { SyncHook } from '../../../src/sync-hooks/schemas.ts';

export function SyncHookCreate({ api }: { api: Api }) {
  return (
    <section aria-labelledby="create-sync-title">
      <p className="crumbs">
        <a href="#/sync-hooks">Sync hooks</a> ›
      </p>
      <h1 id="create-sync-title">Create sync hook</h1>
      <p>
        Herald calls the endpoint while the user waits, and goes on only once it answers (or fails, as the failure
        policy says).
      </p>
      <SyncHookForm
        submitLabel="Create sync hook"
        onSubmit={async (values) => {
          const hook = await api.send<SyncHook>('POST', '/api/sync-hooks', values);
          navigate(`/sync-hooks/${hook.id}`);
        }}
      />
    </section>
  );
}
