/**
 * @module decision/glob
 * Keycloak-style URI patterns, matched without regular expressions: `*` stands for any run of
 * characters (empty too, `/` included), `{name}` for one path segment (one or more characters, no
 * `/`), everything else for itself (`.`, `?`, `+`, `(`… are literal). A `{` with no `}` before the next
 * `/` is literal. The whole URI must match.
 *
 * The pattern becomes a small automaton whose set of live positions is advanced one character at a
 * time, each position at most once per character: never backtracking, so at most
 * `(|uri| + 1) · (tokens + 1)` steps, tokens ≤ `|pattern|`. Once a `*` is reached, positions before it
 * are dropped (whatever they could still match, the `*` matches too), so live positions never span more
 * than the stretch between two `*`: at most `(|uri| + 1) · (w + 3)` steps, `w` the longest run of tokens
 * without a `*`. A pattern of many `*` and short literals (`/*a*a*a*c`) is thus linear in the URI.
 */

/**
 * Counts the matcher's steps (a position entered for one character), to observe and bound its cost:
 * with `limit`, matching gives up (answers false) as soon as `steps` would pass it, leaving
 * `steps > limit` for the caller to see.
 */
export interface GlobCounter {
  steps: number;
  limit?: number;
}

/** Any run of characters (a `*`). */
const ANY_RUN = -1;
/** One character other than `/` (a `{name}` begins). */
const SEGMENT_CHAR = -2;
/** Any run of characters other than `/` (a `{name}` goes on). */
const SEGMENT_RUN = -3;

/** Tokens: a UTF-16 code unit (≥ 0) matched literally, or one of the classes above. */
function tokensOf(pattern: string): Int32Array {
  const tokens: number[] = [];
  // A `{` before this index has no `}` before the next `/`: neither has any `{` up to there (keeps this linear).
  let unclosedUntil = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x2a /* * */) {
      // `[^/]*` then `*` is `*`; `**` is `*`: no two run tokens ever follow each other.
      if (tokens.at(-1) === SEGMENT_RUN) tokens.pop();
      if (tokens.at(-1) !== ANY_RUN) tokens.push(ANY_RUN);
      continue;
    }
    if (c === 0x7b /* { */ && i >= unclosedUntil) {
      let j = i + 1;
      while (j < pattern.length && pattern[j] !== '}' && pattern[j] !== '/') j++;
      if (pattern[j] === '}') {
        tokens.push(SEGMENT_CHAR, SEGMENT_RUN);
        i = j;
        continue;
      }
      unclosedUntil = j;
    }
    tokens.push(c);
  }
  return Int32Array.from(tokens);
}

function isRun(token: number | undefined): boolean {
  return token === ANY_RUN || token === SEGMENT_RUN;
}

/** Whether the whole `uri` matches `pattern`; `counter.steps` grows by the work done. */
export function globMatches(pattern: string, uri: string, counter?: GlobCounter): boolean {
  const tokens = tokensOf(pattern);
  const end = tokens.length;
  // seen[s] === stamp: position s was already entered for the current character (each at most once).
  const seen = new Int32Array(end + 1);
  let live = new Int32Array(end + 1);
  let next = new Int32Array(end + 1);
  let liveCount = 0;
  let nextCount = 0;
  let floor = 0;
  let steps = 0;
  let stamp = 1;
  const budget = counter?.limit === undefined ? Infinity : counter.limit - counter.steps;

  const enter = (s: number): void => {
    if (s < floor || seen[s] === stamp) return;
    seen[s] = stamp;
    next[nextCount++] = s;
    steps++;
    const token = tokens[s];
    if (token === ANY_RUN && s > floor) floor = s;
    // A run may match nothing: entering it enters what follows (never another run).
    if (isRun(token)) enter(s + 1);
  };

  enter(0);
  let matched: boolean | undefined;
  for (let i = 0; matched === undefined; i++) {
    [live, next] = [next, live];
    liveCount = 0;
    for (let k = 0; k < nextCount; k++) if (live[k]! >= floor) live[liveCount++] = live[k]!;
    nextCount = 0;
    if (tokens[floor] === ANY_RUN && floor + 1 === end) matched = true; // a trailing `*` reached: the rest matches
    else if (liveCount === 0 || steps > budget) matched = false;
    else if (i === uri.length) matched = live.subarray(0, liveCount).includes(end);
    else {
      stamp++;
      const c = uri.charCodeAt(i);
      for (let k = 0; k < liveCount; k++) {
        const s = live[k]!;
        if (s === end || s < floor) continue;
        const token = tokens[s];
        if (token === ANY_RUN || (token === SEGMENT_RUN && c !== 0x2f)) enter(s);
        else if (token === c || (token === SEGMENT_CHAR && c !== 0x2f)) enter(s + 1);
      }
    }
  }
  if (counter) counter.steps += steps;
  return matched;
}
