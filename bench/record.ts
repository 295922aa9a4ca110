import { writeFileSync } from 'node:fs';

/** What a committed results file says of the run that wrote it. */
export interface RunFacts {
  date: string;
  commit: string | null;
  dirty: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
}

/**
 * With --record, a benchmark writes its table to a committed Markdown file
 * (bench/RESULTS*.md) that bench/README.md links to: the figures the project
 * quotes come from a run, with the commit, machine and command beside them,
 * never from a table pasted by hand.
 */
export function writeRecord(path: string, title: string, command: string, facts: RunFacts, body: string): void {
  const m = facts.machine;
  const header = [
    `# ${title}`,
    '',
    `Written by \`${command}\`; do not edit by hand (run it again).`,
    '',
    `- commit \`${facts.commit ?? 'none'}\`${facts.dirty ? ' with uncommitted changes' : ''}, ${facts.date}`,
    `- ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}`,
    '',
  ];
  writeFileSync(path, header.join('\n') + '\n' + body.trimEnd() + '\n');
}
