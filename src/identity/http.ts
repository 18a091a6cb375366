/** Schema pieces shared by the identity routes. */
import { Type, type TProperties, type TSchema, type TString } from 'typebox';
import { PaginationQuery } from '../http/pagination.ts';
import { errorRef } from '../http/schemas.ts';

/** A list's query: paging plus Logto's `search`, `search.<field>`, `mode`, `joint` keys (open-ended). */
export const listQuery = <T extends TProperties>(extra: T = {} as T) =>
  Type.Object(
    {
      ...PaginationQuery,
      search: Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], {
          description: "Match any searchable field (Logto's modes: `like` with `%` wildcards, `exact`, `posix`, `similar_to`). `search.<field>` matches one field; repeated in `exact` mode, any value matches.",
        }),
      ),
      ...extra,
    },
    { additionalProperties: true },
  );

export const errors = { 400: errorRef, 401: errorRef, 404: errorRef, 422: errorRef } as const;

export const idParams = <const N extends string>(...names: N[]) =>
  Type.Object(Object.fromEntries(names.map((n) => [n, Type.String()])) as { [K in N]: TString });


export const noContent = Type.Null({ description: 'No content.' });

export const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A body's list of ids (bounded: 10 000). */
export const idList = (description: string, minItems?: number) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 21 }), { description, maxItems: 10000, ...(minItems ? { minItems } : {}) });

/** Most ids one list of an event's delta carries (Logto caps membership deltas so, LOG-13492). */
export const DELTA_CAP = 5000;
export const capDelta = (ids: readonly string[]): string[] => ids.slice(0, DELTA_CAP);
