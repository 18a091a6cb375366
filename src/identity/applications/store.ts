import type { Executor } from '../../db/query.ts';
import type { ApplicationsTable } from '../../db/types.ts';
import { searchCondition, type Search } from '../search.ts';

export function insertApplication(db: Executor, row: ApplicationsTable): Promise<unknown> {
  return db.insertInto('applications').values(row).execute();
}

export function findApplicationById(db: Executor, id: string): Promise<ApplicationsTable | undefined> {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ApplicationFilter {
  search?: Search | undefined;
  types?: string[] | undefined;
  isThirdParty?: boolean | undefined;
  /** Leave out the applications holding this role. */
  excludeRoleId?: string | undefined;
  /** Leave out the applications in this organization. */
  excludeOrganizationId?: string | undefined;
}

function filtered(db: Executor, filter: ApplicationFilter) {
  let query = db.selectFrom('applications');
  const { search, types, isThirdParty, excludeRoleId, excludeOrganizationId } = filter;
  if (search) query = query.where((eb) => searchCondition(eb, search));
  if (types?.length) query = query.where('type', 'in', types);
  if (isThirdParty !== undefined) query = query.where('is_third_party', '=', isThirdParty);
  if (excludeRoleId)
    query = query.where(
      'applications.id',
      'not in',
      db.selectFrom('applications_roles').select('application_id').where('role_id', '=', excludeRoleId),
    );
  if (excludeOrganizationId) {
    query = query.where(
      'applications.id',
      'not in',
      db
        .selectFrom('organization_applications')
        .select('application_id')
        .where('organization_id', '=', excludeOrganizationId),
    );
  }
  return query;
}

export function listApplications(
  db: Executor,
  filter: ApplicationFilter,
  page?: { offset: number; limit: number },
): Promise<ApplicationsTable[]> {
  let query = filtered(db, filter).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  if (page) query = query.offset(page.offset).limit(page.limit);
  return query.execute();
}

export async function countApplications(db: Executor, filter: ApplicationFilter): Promise<number> {
  return Number(
    (
      await filtered(db, filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export function updateApplicationById(
  db: Executor,
  id: string,
  patch: Partial<Omit<ApplicationsTable, 'id'>>,
): Promise<unknown> {
  return db.updateTable('applications').set(patch).where('id', '=', id).execute();
}

export async function deleteApplicationById(db: Executor, id: string): Promise<boolean> {
  return Number((await db.deleteFrom('applications').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;
}
