/** The `topolint` settings section, as the client contributes it and the server reads it. */
export interface TopolintSettings {
  /** Per rule: a severity, or a map with `severity` and the rule's thresholds. */
  readonly rules?: Record<string, unknown>;
  /** Milliseconds to wait after a keystroke before analysing. */
  readonly debounceMs?: number;
  /** Traces and manifests (files, folders or globs relative to the workspace folder) for the drift rule. */
  readonly observed?: readonly string[];
}

export const SETTINGS_SECTION = 'topolint';
export const DEFAULT_DEBOUNCE_MS = 150;
