import { Type } from 'typebox';

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

export const errorRef = Type.Unsafe<{ code: string; message: string; data?: unknown; details?: string }>(
  Type.Ref('ErrorBody'),
);

