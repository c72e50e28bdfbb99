/**
 * @module paging
 * Pages of an owner list by cookie (CREST `_pagedResultsCookie`): the cookies of the pages visited are
 * kept, so Previous goes back exactly and Next continues after the last result shown, however far.
 */
import { useState } from 'react';

export interface CursorPages {
  /** The cookie of the page to load; undefined for the first page. */
  cookie: string | undefined;
  /** The page's number, from 0. */
  index: number;
  next(cookie: string): void;
  previous(): void;
  /** Back to the first page (the query changed). */
  reset(): void;
}

export function useCursorPages(): CursorPages {
  const [cookies, setCookies] = useState<string[]>([]);
  return {
    cookie: cookies.at(-1),
    index: cookies.length,
    next: (cookie) => setCookies((c) => [...c, cookie]),
    previous: () => setCookies((c) => c.slice(0, -1)),
    reset: () => setCookies((c) => (c.length === 0 ? c : [])),
  };
}
