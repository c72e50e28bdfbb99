/**
 * @module wire/paging
 * CREST's paged query result (PingAM's UMA REST reference): `result`, `resultCount`,
 * `pagedResultsCookie` (the next page's `_pagedResultsCookie`, null on the last page),
 * `totalPagedResultsPolicy`, `totalPagedResults` and `remainingPagedResults` (-1 when not counted), and
 * the query parameters that ask for a page.
 */
import Type, { type TSchema } from 'typebox';
import { COUNT_POLICIES, DEFAULT_PAGE_SIZE, ESTIMATE_LIMIT, MAX_PAGE_SIZE, MAX_PAGED_OFFSET, type Page, type PageRequest } from '@steward/core';

/** The paging query parameters of a list (`counted`: whether `_totalPagedResultsPolicy` counts). */
export function pagingQueryDocs(counted = true) {
  return {
    _pageSize: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: `At most this many results (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}).` })),
    _pagedResultsCookie: Type.Optional(Type.String({ description: 'The `pagedResultsCookie` of the previous page, unchanged (with the same filter and sort keys): the next page starts after its last result. Opaque; one that this query did not return is `invalid_request`.' })),
    _pagedResultsOffset: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: `Skip this many matches (default 0, at most ${MAX_PAGED_OFFSET.toLocaleString('en-US')}; page farther with the cookie). Not with \`_pagedResultsCookie\`.` })),
    _totalPagedResultsPolicy: Type.Optional(
      Type.Union(COUNT_POLICIES.map((p) => Type.Literal(p)), {
        description: counted
          ? `\`NONE\` (the default): not counted, \`totalPagedResults\` is -1. \`ESTIMATE\`: counted up to ${ESTIMATE_LIMIT.toLocaleString('en-US')} (a larger count answers ${ESTIMATE_LIMIT.toLocaleString('en-US')}). \`EXACT\`: every match counted (its cost grows with the matches; counted a chunk per statement, so a long count never holds the database).`
          : 'Accepted; this list is never counted: `totalPagedResults` is always -1.',
      }),
    ),
  };
}

/** The result schema of a paged list of `item`. */
export function pagedResultSchema(id: string, item: TSchema, description = '') {
  return Type.Object(
    {
      result: Type.Array(item),
      resultCount: Type.Integer({ description: 'The number of items in `result`.' }),
      pagedResultsCookie: Type.Union([Type.String(), Type.Null()], { description: 'Send it as `_pagedResultsCookie` for the next page; null on the last page. A page may hold fewer than `_pageSize` results (even none) and still not be the last.' }),
      totalPagedResultsPolicy: Type.Union(COUNT_POLICIES.map((p) => Type.Literal(p)), { description: 'How `totalPagedResults` was counted.' }),
      totalPagedResults: Type.Integer({ description: `How many match in all${description}; -1 when not counted.` }),
      remainingPagedResults: Type.Integer({ description: 'How many matches follow this page: 0 on the last page; -1 when unknown.' }),
    },
    { $id: id, additionalProperties: false },
  );
}

/** The page in CREST's shape. */
export function pageToWire<T>(page: Page<T>, request: PageRequest, toWire: (item: T) => unknown): Record<string, unknown> {
  return {
    result: page.result.map(toWire),
    resultCount: page.result.length,
    pagedResultsCookie: page.cookie,
    totalPagedResultsPolicy: page.total < 0 ? 'NONE' : request.countPolicy,
    totalPagedResults: page.total,
    remainingPagedResults: page.remaining,
  };
}
