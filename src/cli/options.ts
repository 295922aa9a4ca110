/** The options every command takes (the root command's), as commander hands them over. */
export interface GlobalOptions {
  dir: string;
  now?: string;
  dataDir?: string;
  lockTimeout: string;
  /** Absent: the store's own default trail (engine/trail.ts). */
  auditLog?: string;
  color?: boolean;
  concurrency?: string;
  rps?: string;
  requestTimeout?: string;
}
