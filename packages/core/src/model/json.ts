/**
 * @module model/json
 * The one test for a JSON object (RFC 8259 §4): parsed JSON that is neither an array nor null.
 */

/** Whether `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
