import { CancellationTokenSource, type CancellationToken } from 'vscode-languageserver';

/** Starts and cancels timers; real timers in the server, a fake clock in unit tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

const realTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => performance.now(),
};

/** What the scheduler runs for one document; it must check `token` after every await. */
export type DiagnosisRun = (uri: string, token: CancellationToken) => Promise<void>;

interface UriState {
  /** The quiet window after the last run started; requests inside it are coalesced. */
  window?: unknown;
  /** When the current window opened (the last request or run start). */
  windowStart: number;
  pending: boolean;
  running?: CancellationTokenSource;
}

/**
 * Per-document debounce with a leading edge: an idle document is checked at once (so a single edit
 * shows its result immediately), requests inside the quiet window coalesce into one trailing run,
 * and a new request cancels whatever run is in flight because that run is checking stale text.
 */
export class DiagnosisScheduler {
  private readonly states = new Map<string, UriState>();

  constructor(
    private readonly run: DiagnosisRun,
    private readonly quietMs: number,
    private readonly onError: (uri: string, error: unknown) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Asks for `uri` to be (re-)checked. */
  request(uri: string): void {
    let state = this.states.get(uri);
    if (!state) {
      state = { pending: false, windowStart: 0 };
      this.states.set(uri, state);
    }
    state.running?.cancel();
    if (state.window !== undefined) this.timers.clear(state.window);
    // Idle means the window has passed, even if its timer is late (a busy machine fires timers late).
    if (state.window === undefined || this.timers.now() - state.windowStart >= this.quietMs) {
      state.pending = false;
      this.start(uri, state);
    } else {
      state.pending = true;
    }
    this.openWindow(uri, state);
  }

  /** Forgets `uri` (document closed): cancels its run and its pending trailing run. */
  cancel(uri: string): void {
    const state = this.states.get(uri);
    if (!state) return;
    state.running?.cancel();
    if (state.window !== undefined) this.timers.clear(state.window);
    this.states.delete(uri);
  }

  /** Cancels everything (server shutdown). */
  dispose(): void {
    for (const uri of [...this.states.keys()]) this.cancel(uri);
  }

  private openWindow(uri: string, state: UriState): void {
    state.windowStart = this.timers.now();
    state.window = this.timers.set(() => {
      state.window = undefined;
      if (this.states.get(uri) !== state) return;
      if (state.pending) {
        state.pending = false;
        this.start(uri, state);
        this.openWindow(uri, state);
      } else if (!state.running) {
        this.states.delete(uri);
      }
    }, this.quietMs);
  }

  private start(uri: string, state: UriState): void {
    const source = new CancellationTokenSource();
    state.running = source;
    const finish = (): void => {
      if (state.running === source) state.running = undefined;
      source.dispose();
      if (this.states.get(uri) === state && state.window === undefined && !state.pending) this.states.delete(uri);
    };
    // Fire-and-forget on purpose: the scheduler owns the run's lifetime through `source`.
    void this.run(uri, source.token).then(finish, (error: unknown) => {
      finish();
      this.onError(uri, error);
    });
  }
}
