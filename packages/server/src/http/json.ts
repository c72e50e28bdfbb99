/**
 * @module http/json
 * JSON bodies with one rule more than JSON.parse: an object member may not appear twice. UMA
 * Federated Authorization §3.2 makes a repeated parameter an `invalid_request`, and a last-one-wins
 * parse would silently keep whichever copy came last.
 */

/** The first member name repeated within one object of `text`, or null. Malformed text yields null (the parser reports it). */
export function firstRepeatedMember(text: string): string | null {
  const objects: Array<Set<string> | null> = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const current = objects[objects.length - 1];
      if (expectName && current) {
        let name: string;
        try {
          name = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return null;
        }
        if (current.has(name)) return name;
        current.add(name);
        expectName = false;
      }
      i = j;
    } else if (c === '{') {
      objects.push(new Set());
      expectName = true;
    } else if (c === '[') {
      objects.push(null);
      expectName = false;
    } else if (c === '}' || c === ']') {
      objects.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = objects[objects.length - 1] instanceof Set;
    } else if (c === ':') {
      expectName = false;
    }
  }
  return null;
}
