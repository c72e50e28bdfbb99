/**
 * @module report — tells the app why a request was refused: its `onError`, or by default one
 * `console.warn` line per misconfiguration code (so a wrong issuer or secret is seen at once without
 * flooding the log; unreachable, refused and token errors stay silent by default).
 */
import type { UmaEnforcerError } from './errors.ts';
import type { UmaEnforcerOptions, UmaRefusalContext } from './types.ts';

export type Reporter = (error: UmaEnforcerError, context: UmaRefusalContext) => void;

/** Calls `onError` safely (what it throws or rejects with is ignored), or the default warner. */
export function reporter(onError: UmaEnforcerOptions['onError']): Reporter {
  if (!onError) {
    const warned = new Set<string>();
    return (error) => {
      if (error.kind !== 'misconfigured' || warned.has(error.code)) return;
      warned.add(error.code);
      console.warn(`@steward/rs: UMA misconfigured (${error.code}): ${error.message}. Protected requests are answered 500 until this is fixed; give onError to see every refusal.`);
    };
  }
  return (error, context) => {
    try {
      const result: unknown = onError(error, context);
      if (result instanceof Promise) result.catch(() => {});
    } catch {
      // A failing logger must not change the answer.
    }
  };
}
