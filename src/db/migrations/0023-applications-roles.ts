import type { Kysely } from 'kysely';

/**
 * Which machine-to-machine roles an application has (Logto's `applications_roles`). Deleting the
 * application or the role removes the link. Only MachineToMachine roles on MachineToMachine
 * applications: the service checks that (both types are immutable), as SQLite has no check
 * constraint that reads another table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('applications_roles')
    .addColumn('application_id', 'varchar(21)', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('role_id', 'varchar(21)', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('applications_roles__pk', ['application_id', 'role_id'])
    .execute();
  await db.schema.createIndex('applications_roles__role').on('applications_roles').column('role_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('applications_roles').execute();
}
