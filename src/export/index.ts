import type { LiveState } from '../model/live.ts';
import { layout } from './layout.ts';
import { exportModel, type ExportOptions } from './model.ts';

export interface ExportResult {
  /** Fragment path (relative to the declaration folder) -> text, in path order. */
  files: Map<string, string>;
  /** What the export left out or what a plan of it will still do. */
  notes: string[];
}

/** The live state as a declaration that plans empty against it: pure, and byte-for-byte stable. */
export function exportDeclaration(live: LiveState, opts: ExportOptions): ExportResult {
  const model = exportModel(live, opts);
  return { files: layout(model, opts.provider), notes: model.notes };
}
