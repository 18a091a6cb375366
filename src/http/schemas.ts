import { Type, type Static } from 'typebox';

/** Logto's error body: `{ code, message, data?, details? }`. */
export const ErrorBodySchema = Type.Object(
  {
    code: Type.String({ description: 'Machine-readable code, `area.reason`.', examples: ['guard.invalid_input'] }),
    message: Type.String({ description: 'Human-readable explanation.' }),
    data: Type.Optional(Type.Unknown({ description: 'Structured detail, e.g. the offending field.' })),
    details: Type.Optional(Type.String()),
  },
  { $id: 'ErrorBody', title: 'Error', additionalProperties: false },
);

export type ErrorBody = Static<typeof ErrorBodySchema>;

/** `ErrorBody` by reference, typed. */
export const errorRef = Type.Unsafe<ErrorBody>(Type.Ref('ErrorBody'));
