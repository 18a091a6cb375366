/**
 * The JSON shapes the users routes answer and take, each declared once as a TypeBox schema; the
 * TypeScript types are `Static<>` of them.
 */
import { Type, type Static } from 'typebox';
import { JsonObject } from '../schemas.ts';

/** Logto's username rule: a letter or underscore, then letters, digits, underscores. */
export const USERNAME_PATTERN = '^[A-Z_a-z]\\w*$';
export const EMAIL_PATTERN = '^\\S+@\\S+\\.\\S+$';
export const PHONE_PATTERN = '^\\d+$';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const AddressSchema = Type.Object(
  {
    formatted: Type.Optional(Type.String()),
    streetAddress: Type.Optional(Type.String()),
    locality: Type.Optional(Type.String()),
    region: Type.Optional(Type.String()),
    postalCode: Type.Optional(Type.String()),
    country: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ProfileSchema = Type.Object(
  {
    familyName: Type.Optional(Type.String()),
    givenName: Type.Optional(Type.String()),
    middleName: Type.Optional(Type.String()),
    nickname: Type.Optional(Type.String()),
    preferredUsername: Type.Optional(Type.String()),
    profile: Type.Optional(Type.String()),
    website: Type.Optional(Type.String()),
    gender: Type.Optional(Type.String()),
    birthdate: Type.Optional(Type.String()),
    zoneinfo: Type.Optional(Type.String()),
    locale: Type.Optional(Type.String()),
    address: Type.Optional(AddressSchema),
  },
  { additionalProperties: false, description: 'OpenID Connect standard profile claims.' },
);
export type Profile = Static<typeof ProfileSchema>;

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    username: nullable(Type.String()),
    primaryEmail: nullable(Type.String()),
    primaryPhone: nullable(Type.String()),
    name: nullable(Type.String()),
    avatar: nullable(Type.String()),
    customData: JsonObject,
    identities: Type.Record(Type.String(), Type.Object({ userId: Type.String(), details: Type.Optional(JsonObject) })),
    lastSignInAt: nullable(Type.Number()),
    createdAt: Type.Number(),
    updatedAt: Type.Number(),
    profile: ProfileSchema,
    applicationId: nullable(Type.String()),
    cimdClientId: nullable(Type.String()),
    isSuspended: Type.Boolean(),
    hasPassword: Type.Boolean(),
    ssoIdentities: Type.Optional(
      Type.Array(JsonObject, {
        description: 'Only with `includeSsoIdentities=true`: always empty (Herald has no enterprise SSO connectors).',
      }),
    ),
    passwordDigest: Type.Optional(nullable(Type.String({ description: 'Only with `includePasswordHash=true`.' }))),
    passwordAlgorithm: Type.Optional(nullable(Type.String({ description: 'Only with `includePasswordHash=true`.' }))),
  },
  { $id: 'User', title: 'User' },
);
/** A user as Logto returns it; never the password, its digest only when asked for. */
export type User = Static<typeof UserSchema>;
/** `User` by reference, typed. */
export const userRef = Type.Unsafe<User>(Type.Ref('User'));

const username = Type.String({ pattern: USERNAME_PATTERN, maxLength: 128 });
const email = Type.String({ pattern: EMAIL_PATTERN, maxLength: 128 });
const phone = Type.String({ pattern: PHONE_PATTERN, maxLength: 128 });
const avatar = Type.Union([Type.String({ format: 'uri', maxLength: 2048 }), Type.Literal(''), Type.Null()]);

export const CreateUserBody = Type.Object({
  username: Type.Optional(username),
  primaryEmail: Type.Optional(email),
  primaryPhone: Type.Optional(phone),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  passwordDigest: Type.Optional(Type.String({ maxLength: 256 })),
  passwordAlgorithm: Type.Optional(
    Type.Enum(['Argon2i', 'Argon2id', 'Argon2d', 'SHA1', 'SHA256', 'MD5', 'Bcrypt', 'Legacy']),
  ),
  name: Type.Optional(Type.String({ maxLength: 128 })),
  avatar: Type.Optional(avatar),
  customData: Type.Optional(JsonObject),
  profile: Type.Optional(ProfileSchema),
});

export const UpdateUserBody = Type.Object({
  username: Type.Optional(Type.Union([username, Type.Literal(''), Type.Null()])),
  primaryEmail: Type.Optional(Type.Union([email, Type.Literal(''), Type.Null()])),
  primaryPhone: Type.Optional(Type.Union([phone, Type.Literal(''), Type.Null()])),
  name: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
  avatar: Type.Optional(avatar),
  customData: Type.Optional(JsonObject),
  profile: Type.Optional(ProfileSchema),
});
