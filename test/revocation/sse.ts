/**
 * @module test/revocation/sse
 * A small Server-Sent Events reader for the tests (WHATWG HTML §9.2 parsing, enough of it): opens a
 * stream with fetch and collects its events and comment lines, and waits for one that matches.
 */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export class SseStream {
  readonly status: number;
  readonly headers: Headers;
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  /** Resolves when the server ends the stream (or it breaks). */
  readonly ended: Promise<void>;
  readonly #abort: AbortController;
  #waiters = new Set<() => void>();
  #done = false;

  private constructor(res: Response, abort: AbortController) {
    this.status = res.status;
    this.headers = res.headers;
    this.#abort = abort;
    this.ended = this.#read(res).finally(() => {
      this.#done = true;
      for (const wake of this.#waiters) wake();
    });
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseStream> {
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    return new SseStream(res, abort);
  }

  /** The body of a refused stream, as JSON. */
  async json(): Promise<any> {
    await this.ended;
    return JSON.parse(this.#text);
  }

  #text = '';

  async #read(res: Response): Promise<void> {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of res.body) {
        const text = decoder.decode(chunk, { stream: true });
        if (res.status !== 200) {
          this.#text += text;
          continue;
        }
        buffer += text;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0) this.events.push({ id: current.id, event: current.event ?? 'message', data: current.data.join('\n') });
            current = { data: [] };
            for (const wake of this.#waiters) wake();
          } else if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
            for (const wake of this.#waiters) wake();
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') current.data.push(value);
            else if (field === 'event') current.event = value;
            else if (field === 'id') current.id = value;
          }
        }
      }
    } catch {
      // aborted or broken: ended
    }
  }

  /** Waits until `test` holds (checked after every event or comment), at most `timeoutMs`. */
  async until(test: () => boolean, timeoutMs = 5000, what = 'the stream'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (this.#done) throw new Error(`${what}: the stream ended first`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
      });
    }
  }

  /** The first event named `event` after `from` events; waits for it. */
  async next(event: string, from = 0, timeoutMs = 5000): Promise<SseEvent> {
    await this.until(() => this.events.slice(from).some((e) => e.event === event), timeoutMs, `event ${event}`);
    return this.events.slice(from).find((e) => e.event === event)!;
  }

  close(): void {
    this.#abort.abort();
  }
}
