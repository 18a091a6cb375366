import { sql, type Kysely } from 'kysely';

/**
 * Organizations (Logto's B2B tenants-within-a-tenant): the organizations, their roles and
 * permissions (organization scopes, and API resource scopes on roles), their members (users and
 * machine-to-machine applications), each user member's organization roles, and invitations.
 * Membership rows cascade with the organization, the user or the application; a member's roles
 * cascade with the membership.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)')
    .addColumn('custom_data', 'text', (c) => c.notNull())
    .addColumn('is_mfa_required', 'boolean', (c) => c.notNull())
    .addColumn('is_trusted_device_allowed', 'boolean', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('branding', 'text', (c) => c.notNull())
    .addColumn('custom_css', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('organizations__created_at').on('organizations').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('organization_scopes')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('description', 'varchar(256)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organization_roles')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('description', 'varchar(256)')
    .addColumn('type', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('organization_role_scopes')
    .addColumn('organization_role_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_roles.id').onDelete('cascade'),
    )
    .addColumn('organization_scope_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_scopes.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_role_scopes__pk', ['organization_role_id', 'organization_scope_id'])
    .execute();
  await db.schema
    .createIndex('organization_role_scopes__scope')
    .on('organization_role_scopes')
    .column('organization_scope_id')
    .execute();

  await db.schema
    .createTable('organization_role_resource_scopes')
    .addColumn('organization_role_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_roles.id').onDelete('cascade'),
    )
    .addColumn('scope_id', 'varchar(21)', (c) => c.notNull().references('scopes.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_role_resource_scopes__pk', ['organization_role_id', 'scope_id'])
    .execute();
  await db.schema
    .createIndex('organization_role_resource_scopes__scope')
    .on('organization_role_resource_scopes')
    .column('scope_id')
    .execute();

  await db.schema
    .createTable('organization_users')
    .addColumn('organization_id', 'varchar(21)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(21)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_users__pk', ['organization_id', 'user_id'])
    .execute();
  await db.schema.createIndex('organization_users__user').on('organization_users').column('user_id').execute();

  await db.schema
    .createTable('organization_user_roles')
    .addColumn('organization_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(21)', (c) => c.notNull())
    .addColumn('organization_role_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_roles.id').onDelete('cascade'),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_user_roles__pk', ['organization_id', 'user_id', 'organization_role_id'])
    .addForeignKeyConstraint(
      'organization_user_roles__membership',
      ['organization_id', 'user_id'],
      'organization_users',
      ['organization_id', 'user_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('organization_user_roles__role')
    .on('organization_user_roles')
    .column('organization_role_id')
    .execute();

  await db.schema
    .createTable('organization_applications')
    .addColumn('organization_id', 'varchar(21)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('application_id', 'varchar(21)', (c) => c.notNull().references('applications.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_applications__pk', ['organization_id', 'application_id'])
    .execute();
  await db.schema
    .createIndex('organization_applications__application')
    .on('organization_applications')
    .column('application_id')
    .execute();

  await db.schema
    .createTable('organization_invitations')
    .addColumn('id', 'varchar(21)', (c) => c.primaryKey())
    .addColumn('inviter_id', 'varchar(21)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('invitee', 'varchar(256)', (c) => c.notNull())
    .addColumn('accepted_user_id', 'varchar(21)', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('organization_id', 'varchar(21)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  // One pending invitation per invitee and organization (stale ones are marked Expired first).
  await db.schema
    .createIndex('organization_invitations__pending')
    .on('organization_invitations')
    .unique()
    .columns(['organization_id', 'invitee'])
    .where(sql.ref('status'), '=', 'Pending')
    .execute();

  await db.schema
    .createTable('organization_invitation_roles')
    .addColumn('organization_invitation_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_invitations.id').onDelete('cascade'),
    )
    .addColumn('organization_role_id', 'varchar(21)', (c) =>
      c.notNull().references('organization_roles.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('organization_invitation_roles__pk', [
      'organization_invitation_id',
      'organization_role_id',
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'organization_invitation_roles',
    'organization_invitations',
    'organization_applications',
    'organization_user_roles',
    'organization_users',
    'organization_role_resource_scopes',
    'organization_role_scopes',
    'organization_roles',
    'organization_scopes',
    'organizations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
