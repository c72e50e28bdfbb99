/** @module announce — one polite live region for status messages ("Shared with bob"), read by screen readers. */
import { createContext, useContext } from 'react';

export const AnnounceContext = createContext<(message: string) => void>(() => undefined);

export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}
