/** @module router — the console's pages live in the URL's fragment (`#/resources/{id}`), so one server path serves them all. */
import { useEffect, useState } from 'react';

export type Route =
  | { page: 'resources' }
  | { page: 'resource'; id: string }
  | { page: 'shared' }
  | { page: 'requests' }
  | { page: 'history' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [first, second] = path.split('/');
  if (first === 'resources' && second) return { page: 'resource', id: decodeURIComponent(second) };
  if (first === 'shared') return { page: 'shared' };
  if (first === 'requests') return { page: 'requests' };
  if (first === 'history') return { page: 'history' };
  return { page: 'resources' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

export function resourceHref(id: string): string {
  return `#/resources/${encodeURIComponent(id)}`;
}
