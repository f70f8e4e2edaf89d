/**
 * When to analyse: an edit waits for the debounce, then every program that read the edited file runs
 * once, however many edits came in between. Holds the pending roots and the one timer; knows nothing of
 * the connection, so the server wires it to the analysis and the error log.
 */

/** What the scheduler asks of the workspace (lsp/workspace.ts): which programs a file is read by. */
export interface ProgramIndex {
  rootsReading(uri: string): readonly string[];
  allRoots(): readonly string[];
}

export class Scheduler {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly programs: ProgramIndex,
    private readonly run: (roots: readonly string[]) => Promise<void>,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Adds roots to the next run without touching the timer. */
  add(roots: Iterable<string>): void {
    for (const r of roots) this.pending.add(r);
  }

  /** Everything a change to `uri` affects: its own program and every program that imports it. */
  schedule(uri: string, delay: number): void {
    this.add(this.programs.rootsReading(uri));
    this.pending.add(uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A root may have gone (a closed file that is read by others) while the timer ran.
      const run = [...this.pending].filter((r) => this.programs.allRoots().includes(r));
      this.pending.clear();
      this.run(run).catch(this.onError);
    }, delay);
  }

  /** Runs the pending roots and the given ones at once, without waiting (a change of settings). */
  runNow(roots: Iterable<string>): void {
    this.add(roots);
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = [...this.pending];
    this.pending.clear();
    this.run(run).catch(this.onError);
  }
}
