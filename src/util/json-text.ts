/**
 * JSON that Herald shows but did not shape: receivers' answers and stored event payloads holding
 * users' data. Either can nest arbitrarily deep, and while V8's JSON.parse is iterative, what comes
 * after it is not (masking, JSON.stringify in the response serializer, the console's pretty-printer,
 * API clients' parsers), so a body 5 000 levels deep would turn a view into a 500. Everything here
 * walks with loops and explicit stacks: no input can exhaust the call stack.
 */

/**
 * The deepest nesting of arrays and objects shown as parsed JSON; anything deeper is shown as text.
 * Far beyond any real webhook payload (Logto's own shapes are about five levels deep), and below
 * the defaults of common client parsers (Ruby's JSON stops at 100, PHP's at 512, Python's
 * recursion limit is about 1 000), so every client can parse every view.
 */
export const MAX_JSON_DEPTH = 64;

/** The index just past the string literal whose opening quote is at `start` (text.length if unterminated). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c)
      i++; // a backslash escapes the next character, a quote included
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpace(text: string, i: number): number {
  while (isSpace(text[i])) i++;
  return i;
}

/**
 * Whether `text` nests arrays and objects more than `max` levels deep. One pass, no recursion;
 * brackets inside strings do not count. Meant for text that is (or may be) JSON.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i) - 1;
    else if (c === '[' || c === '{') {
      if (++depth > max) return true;
    } else if (c === ']' || c === '}') depth--;
  }
  return false;
}

/** The index just past the JSON value starting at `start` (its nested values included). */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== '[' && first !== '{') {
    let i = start;
    while (i < text.length && !isSpace(text[i]) && text[i] !== ',' && text[i] !== ']' && text[i] !== '}') i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = stringEnd(text, i) - 1;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * `text`, which must be valid JSON, with the value of every member whose name matches `rule`
 * replaced by `mask` (a JSON string): what masking the parsed value would give, done on the text,
 * so it works at any depth. Everything else is kept byte for byte.
 */
export function maskJsonText(text: string, rule: RegExp, mask: string): string {
  const parts: string[] = [];
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    const end = stringEnd(text, i);
    const colon = skipSpace(text, end);
    // In valid JSON, a string followed by a colon is a member name and nothing else.
    if (text[colon] === ':' && rule.test(memberName(text.slice(i, end)))) {
      const start = skipSpace(text, colon + 1);
      const stop = valueEnd(text, start);
      parts.push(text.slice(copied, start), JSON.stringify(mask));
      copied = stop;
      i = stop - 1;
    } else i = end - 1;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** A member name's text (a JSON string literal); a malformed one (a cut body) is read raw. */
function memberName(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

/** Whether `text` begins like a JSON object or array: a body cut short (20 KB kept) still does. */
const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

/** Sets `key` as an own property, `__proto__` included (a plain assignment would replace the prototype). */
function put(target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else (target as Record<string, unknown>)[key] = value;
}

/**
 * A deep copy of `value` (parsed JSON) with the value of every member whose name matches `rule`
 * replaced by `mask`. Iterative, with an explicit stack; members keep their order.
 */
export function maskJsonValue(value: unknown, rule: RegExp, mask: string): unknown {
  const root: unknown[] = [undefined];
  const stack: [unknown, Record<string, unknown> | unknown[], string | number][] = [[value, root, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [source, target, key] = next;
    if (Array.isArray(source)) {
      const copy = new Array<unknown>(source.length);
      put(target, key, copy);
      for (const [i, item] of source.entries()) stack.push([item, copy, i]);
    } else if (source !== null && typeof source === 'object') {
      const copy: Record<string, unknown> = {};
      put(target, key, copy);
      for (const [name, inner] of Object.entries(source)) {
        const masked = rule.test(name);
        // Set now, filled in later: the copy keeps the source's member order.
        put(copy, name, masked ? mask : undefined);
        if (!masked) stack.push([inner, copy, name]);
      }
    } else put(target, key, source);
  }
  return root[0];
}

/**
 * JSON text as an API shows it where any value may go: parsed and masked when it is JSON nested
 * at most MAX_JSON_DEPTH deep; the text, masked in place, when it is deeper; as is when not JSON.
 */
export function viewJsonText(text: string, rule: RegExp, mask: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON, or JSON cut at the stored 20 KB: masked in place all the same.
    return looksLikeJson(text) ? maskJsonText(text, rule, mask) : text;
  }
  return nestsDeeperThan(text, MAX_JSON_DEPTH) ? maskJsonText(text, rule, mask) : maskJsonValue(parsed, rule, mask);
}

/**
 * JSON text as an API shows it where a string goes: masked in place when it is (or begins like) a
 * JSON object or array, as is otherwise (a JSON scalar has no members to mask). No parse needed.
 */
export function maskJsonBody(text: string, rule: RegExp, mask: string): string {
  return looksLikeJson(text) ? maskJsonText(text, rule, mask) : text;
}
