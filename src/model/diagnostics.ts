/** Where something came from in a user's file; lines and columns are 1-based. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * A finding about the user's input. Codes are stable and come from one
 * catalog; `path` is a field path such as `spec.http[0].route[1].destination.subset`.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** `Kind/namespace/name` of the resource concerned, when there is one. */
  resource?: string;
  path?: string;
  source?: SourcePos;
}
