/**
 * @module notes-api/errors
 * The API's errors: JSON `{error, message}` with a status. Kit errors from Steward calls are mapped
 * here: an owner whose tokens are gone must connect again; anything else is Steward's trouble (502).
 */
import type { NextFunction, Request, Response } from 'express';
import { UmaEnforcerError } from '@steward/rs';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** What a failed call to Steward means for the owner's request. */
export function fromSteward(e: unknown): unknown {
  if (!(e instanceof UmaEnforcerError)) return e;
  if (e.code === 'pat_unavailable' || e.code === 'pat_refresh_refused') {
    return new ApiError(401, 'connect_required', 'Connect your notes to Steward again: GET /connect');
  }
  return new ApiError(502, 'authorization_server_failed', `Steward could not be used (${e.code})`);
}

/** The last middleware: every error as JSON, never a stack trace. */
export function renderError(e: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status = e instanceof ApiError ? e.status : typeof (e as { status?: unknown })?.status === 'number' ? (e as { status: number }).status : 500;
  const code = e instanceof ApiError ? e.code : status === 500 ? 'server_error' : 'invalid_request';
  const message = e instanceof ApiError || status !== 500 ? (e as Error).message : 'Something went wrong';
  if (status === 500) console.error(e);
  res.status(status).json({ error: code, message });
}
