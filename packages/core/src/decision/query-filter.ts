/**
 * @module decision/query-filter
 * The CREST `_queryFilter` subset the owner APIs accept (ForgeRock AM's UMA policies REST API, "Query UMA policies"): `true`,
 * `false`, `field eq value`, `and`, and parentheses. A pure parser that checks fields against a list,
 * a formatter (its inverse), and an evaluator over plain JSON records.
 */
import { fail, type StewardError } from '../errors.ts';

/** A literal a filter compares with. */
export type QueryValue = string | number | boolean;

/** A parsed filter. Fields are JSON pointers with a leading `/` (`/permissions/subject`). */
export type QueryFilter =
  | { op: 'true' }
  | { op: 'false' }
  | { op: 'eq'; field: string; value: QueryValue }
  | { op: ComparisonOperator; field: string; value: QueryValue }
  | { op: 'and'; operands: QueryFilter[] };

/** Ordering comparisons, accepted only on the fields a caller lists as `ordered`. */
export type ComparisonOperator = 'gt' | 'ge' | 'lt' | 'le';
const COMPARISONS: ReadonlySet<string> = new Set(['gt', 'ge', 'lt', 'le']);

/** Bounds that keep one filter's work small. */
export const QUERY_FILTER_LIMITS = { length: 2048, depth: 32 } as const;

/** CREST comparison operators Steward recognizes but does not support (answered with a clear 400). */
const OTHER_OPERATORS = new Set(['co', 'sw', 'lt', 'le', 'gt', 'ge', 'pr']);

interface Token {
  kind: 'open' | 'close' | 'not' | 'string' | 'word';
  text: string;
  /** Offset of the token in the filter, for messages. */
  at: number;
}

function invalid(message: string): StewardError {
  return fail('invalid_request', `Invalid _queryFilter: ${message}`);
}

function quote(text: string): string {
  return `'${text.length > 64 ? `${text.slice(0, 64)}…` : text}'`;
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === '!') {
      tokens.push({ kind: c === '(' ? 'open' : c === ')' ? 'close' : 'not', text: c, at: i });
      i++;
    } else if (c === '"') {
      // A JSON string: a backslash escapes the next character, the next bare quote ends it.
      let j = i + 1;
      while (j < filter.length && filter[j] !== '"') j += filter[j] === '\\' ? 2 : 1;
      if (j >= filter.length) throw invalid(`unterminated string at position ${i}`);
      const raw = filter.slice(i, j + 1);
      let text: string;
      try {
        text = JSON.parse(raw) as string;
      } catch {
        throw invalid(`malformed string at position ${i}`);
      }
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else {
      let j = i;
      while (j < filter.length && !/[\s()!"]/.test(filter[j]!)) j++;
      tokens.push({ kind: 'word', text: filter.slice(i, j), at: i });
      i = j;
    }
  }
  return tokens;
}

/** `permissions/subject` and `/permissions/subject` name the same field. */
export function normalizeField(field: string): string {
  return field.startsWith('/') ? field : `/${field}`;
}

class Parser {
  readonly #tokens: Token[];
  readonly #fields: ReadonlySet<string>;
  readonly #ordered: ReadonlySet<string>;
  #next = 0;
  #depth = 0;

  constructor(tokens: Token[], fields: readonly string[], ordered: readonly string[]) {
    this.#tokens = tokens;
    this.#fields = new Set(fields.map(normalizeField));
    this.#ordered = new Set(ordered.map(normalizeField));
  }

  parse(): QueryFilter {
    const filter = this.#or();
    const extra = this.#peek();
    if (extra) throw invalid(`unexpected ${quote(extra.text)} at position ${extra.at}`);
    return filter;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#next];
  }

  #take(): Token {
    const token = this.#tokens[this.#next++];
    if (!token) throw invalid('the filter ends too early');
    return token;
  }

  #isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  #or(): QueryFilter {
    const first = this.#and();
    const next = this.#peek();
    if (this.#isKeyword(next, 'or')) throw invalid(`'or' is not supported (position ${next!.at}); combine expressions with and`);
    return first;
  }

  #and(): QueryFilter {
    const operands = [this.#unary()];
    while (this.#isKeyword(this.#peek(), 'and')) {
      this.#next++;
      operands.push(this.#unary());
    }
    return operands.length === 1 ? operands[0]! : { op: 'and', operands };
  }

  #unary(): QueryFilter {
    const token = this.#take();
    if (token.kind === 'open') {
      if (++this.#depth > QUERY_FILTER_LIMITS.depth) throw invalid(`parentheses nest deeper than ${QUERY_FILTER_LIMITS.depth}`);
      const inner = this.#or();
      const close = this.#take();
      if (close.kind !== 'close') throw invalid(`expected ')' at position ${close.at}`);
      this.#depth--;
      return inner;
    }
    if (token.kind === 'not') throw invalid(`'!' (not) is not supported (position ${token.at})`);
    if (token.kind !== 'word') throw invalid(`expected a field, true or false at position ${token.at}`);
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return { op: word };
    if (word === 'and' || word === 'or') throw invalid(`expected an expression before ${quote(token.text)} at position ${token.at}`);
    const field = normalizeField(token.text);
    if (!this.#fields.has(field)) throw fail('invalid_request', `${quote(field)} not queryable`);
    const operator = this.#take();
    const op = operator.kind === 'word' ? operator.text.toLowerCase() : '';
    if (COMPARISONS.has(op) && this.#ordered.has(field)) return { op: op as ComparisonOperator, field, value: this.#value() };
    if (op !== 'eq') {
      if (OTHER_OPERATORS.has(op)) throw invalid(`operator ${quote(operator.text)} is not supported on ${quote(field)}; only ${this.#ordered.has(field) ? 'eq, gt, ge, lt and le are' : 'eq is'}`);
      throw invalid(`expected an operator after ${quote(field)} at position ${operator.at}`);
    }
    return { op: 'eq', field, value: this.#value() };
  }

  #value(): QueryValue {
    const token = this.#take();
    if (token.kind === 'string') return token.text;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true' || word === 'false') return word === 'true';
      if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(token.text)) {
        const n = Number(token.text);
        if (Number.isFinite(n)) return Object.is(n, -0) ? 0 : n;
      }
    }
    throw invalid(`expected a value (a "quoted string", a number, true or false) at position ${token.at}`);
  }
}

/** The terms of a conjunction, nested `and`s flattened; any other filter is its one term. */
export function conjunctionTerms(filter: QueryFilter): QueryFilter[] {
  return filter.op === 'and' ? filter.operands.flatMap(conjunctionTerms) : [filter];
}

/**
 * Parses a `_queryFilter`. Throws `invalid_request` naming the problem: an unknown field answers
 * `'/field' not queryable` (AM's message), an unsupported operator or `or` says so.
 */
export function parseQueryFilter(filter: string, fields: readonly string[], options: { /** Fields that also accept gt, ge, lt and le. */ ordered?: readonly string[] } = {}): QueryFilter {
  if (filter.length > QUERY_FILTER_LIMITS.length) throw invalid(`longer than ${QUERY_FILTER_LIMITS.length} characters`);
  const tokens = tokenize(filter);
  if (tokens.length === 0) throw invalid('the filter is empty');
  return new Parser(tokens, fields, options.ordered ?? []).parse();
}

/** The filter as text that `parseQueryFilter` reads back to an equal filter. */
export function formatQueryFilter(filter: QueryFilter): string {
  switch (filter.op) {
    case 'true':
    case 'false':
      return filter.op;
    case 'eq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return `${filter.field} ${filter.op} ${JSON.stringify(filter.value)}`;
    case 'and':
      return filter.operands.map((f) => (f.op === 'and' ? `(${formatQueryFilter(f)})` : formatQueryFilter(f))).join(' and ');
  }
}

/** The values at a JSON pointer; arrays met on the way are looked into (`/permissions/subject`). */
export function valuesAt(record: unknown, field: string): unknown[] {
  let values: unknown[] = [record];
  for (const segment of normalizeField(field).slice(1).split('/')) {
    const name = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    const next: unknown[] = [];
    for (const v of values.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (typeof v === 'object' && v !== null && Object.hasOwn(v, name)) next.push((v as Record<string, unknown>)[name]);
    }
    values = next;
  }
  return values.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

/** Whether `record` matches: `eq` holds when any value at the field equals the literal. */
export function matchesQueryFilter(filter: QueryFilter, record: unknown): boolean {
  switch (filter.op) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
      return valuesAt(record, filter.field).some((v) => v === filter.value);
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      return valuesAt(record, filter.field).some((v) => compares(filter.op as ComparisonOperator, v, filter.value));
    case 'and':
      return filter.operands.every((f) => matchesQueryFilter(f, record));
  }
}

/** `value op literal` for two numbers or two strings; values of other types never compare. */
function compares(op: ComparisonOperator, value: unknown, literal: QueryValue): boolean {
  if (typeof value !== typeof literal || (typeof value !== 'number' && typeof value !== 'string')) return false;
  const a = value as number | string;
  const b = literal as number | string;
  return op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : a <= b;
}
