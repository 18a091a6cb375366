import type { Kysely } from 'kysely';

/**
 * Organization roles of application members (Logto's `organization_role_application_relations`):
 * which MachineToMachine organization roles an application holds in an organization it belongs
 * to. Rows cascade with the role and with the membership (so with the organization, the
 * application, or the application leaving the organization), as a user member's roles do.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organization_application_roles')
    .addColumn('organization_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('application_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('organization_role_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_roles.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_application_roles__pk', [
      'organization_id',
      'application_id',
      'organization_role_id',
    ])
    .addForeignKeyConstraint(
      'organization_application_roles__membership',
      ['organization_id', 'application_id'],
      'organization_applications',
      ['organization_id', 'application_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('organization_application_roles__role')
    .on('organization_application_roles')
    .column('organization_role_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('organization_application_roles').execute();
}
