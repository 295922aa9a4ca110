import { diffWords } from 'diff';
import pc from 'picocolors';
import { actionOf } from '../model/plan.ts';
import type { Fields, Json } from '../model/json.ts';
import { formatLocation } from '../model/problems.ts';
import type { Plan, Step } from '../model/plan.ts';
import { showInvisible as t } from '../util/strings.ts';
import { codeBlock, markdownCode, markdownText } from './markdown.ts';
import { renderProblemsText } from './problems.ts';

export interface RenderOptions {
  color: boolean;
  /** Leave the problems out (the CLI prints them on stderr, as validate does); default: listed first. */
  withoutProblems?: boolean;
}

/** Said instead of "No changes" when the plan has errors: a plan with errors has not compared everything, and apply refuses it. */
export const errorsLine = (errors: number) => `The plan has ${errors} error(s); fix them, then plan again. Nothing can be applied until then.`;

const SYMBOL = { add: '+', change: '~', remove: '-' } as const;
/** Values longer than this are shown as a word diff instead of `old -> new`. */
const LONG = 60;

type Colors = ReturnType<typeof pc.createColors>;

/** A value as JSON, whose strings may still hold what JSON leaves raw (C1 controls, bidirectional and zero-width characters). */
function show(v: Json | undefined): string {
  return v === undefined ? '(unset)' : t(JSON.stringify(v));
}

function fieldLines(step: Step, c: Colors): string[] {
  const before: Fields = step.before ?? {};
  const after: Fields = step.after ?? {};
  const action = actionOf(step.kind);
  // Identity fields are in the step's key already; a user's `name` is a display name and stays.
  const identity = step.kind.startsWith('user.') ? ['email'] : step.kind === 'workspace.rename' ? [] : ['name', 'id'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !identity.includes(k) && k !== 'entries' && !(action === 'add' && step.before === null && (after[k] === null || after[k] === 0)),
  );
  const width = Math.max(step.kind === 'credit.grant' ? 'entries'.length : 0, ...keys.map((k) => k.length));
  const lines: string[] = [];
  for (const k of keys) {
    const pad = t(k).padEnd(width);
    if (action === 'add' && step.before === null) lines.push(c.green(`      + ${pad} = ${show(after[k])}`));
    else if (action === 'remove' && step.after === null) lines.push(c.red(`      - ${pad} = ${show(before[k])}`));
    else if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      const was = before[k];
      const now = after[k];
      const b = show(was);
      const a = show(now);
      if (b.length + a.length > LONG && typeof was === 'string' && typeof now === 'string') {
        const parts = diffWords(was, now)
          .map((p) => (p.added ? c.green(`{+${t(p.value)}+}`) : p.removed ? c.red(`[-${t(p.value)}-]`) : t(p.value)))
          .join('');
        lines.push(c.yellow(`      ~ ${pad} = `) + parts);
      } else lines.push(c.yellow(`      ~ ${pad} = ${b} -> ${a}`));
    }
  }
  if (step.kind === 'credit.grant') {
    const entries = step.after.entries;
    const shown = entries.slice(0, 10).map((e) => t(e.user));
    lines.push(
      c.green(
        `      + ${'entries'.padEnd(width)} = ${entries.length} user(s)${shown.length ? `: ${shown.join(', ')}${entries.length > shown.length ? ', …' : ''}` : ''}`,
      ),
    );
  }
  return lines;
}

function header(step: Step, c: Colors): string {
  const action = actionOf(step.kind);
  const color = action === 'add' ? c.green : action === 'remove' ? c.red : c.yellow;
  const risk = step.risk.length ? ` ${c.magenta(`[${step.risk.join(', ')}]`)}` : '';
  return `  ${color(SYMBOL[action])} ${c.bold(step.kind)} ${t(step.key)}${risk}\n      ${c.dim(`# ${t(step.reason)} (${t(step.source)})`)}`;
}

/** What the text rendering shows: not the digests (a spread of a whole plan would compute its live fingerprint). */
type PlanView = Pick<Plan, 'steps' | 'problems' | 'blocks' | 'unmanaged' | 'summary'>;

export function summaryLine(plan: Pick<Plan, 'summary'>): string {
  const { add, change, remove } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${remove} to remove.`;
}

/** Terraform-like text: each step, why, and the line that caused it. Every piece of declared or live data goes through showInvisible. */
export function renderPlanText(plan: PlanView, options: RenderOptions): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  if (plan.problems.length && !options.withoutProblems) out.push(renderProblemsText(plan.problems, options), '');
  const errors = plan.problems.filter((p) => p.severity === 'error').length;
  if (errors) out.push(c.red(errorsLine(errors)), ...(plan.steps.length ? [''] : []));
  if (plan.steps.length === 0) {
    if (!errors) out.push(c.green('No changes. The live system matches the declaration.'));
  } else {
    out.push('roster will perform the following actions:', '');
    for (const step of plan.steps) out.push(header(step, c), ...fieldLines(step, c), '');
    out.push(c.bold(summaryLine(plan)));
  }
  if (plan.unmanaged.length) {
    out.push('', c.yellow(`${plan.unmanaged.length} live user(s) are not declared and not managed by roster (settings.unmanaged: report):`));
    for (const e of plan.unmanaged.slice(0, 50)) out.push(`  ? ${t(e)}`);
    if (plan.unmanaged.length > 50) out.push(`  … and ${plan.unmanaged.length - 50} more`);
  }
  const privileged = plan.steps.filter((s) => s.risk.includes('privileged')).length;
  if (privileged)
    out.push(
      '',
      c.magenta(
        `${privileged} privileged step(s) (admin or owner access, deletions, large credit grants); settings.approvals can require an approving review for them.`,
      ),
    );
  for (const b of plan.blocks) {
    out.push(
      '',
      b.overridden
        ? c.yellow(`Guard ${b.guard} overridden by ${b.flag}: ${t(b.message)}`)
        : c.red(`Blocked by guard ${b.guard}: ${t(b.message)}. To proceed anyway, apply with ${b.flag}.`),
    );
  }
  return out.join('\n') + '\n';
}

export interface MarkdownOptions {
  /** The field-by-field diff under the table (default true). */
  details?: boolean;
  /** Show only the first steps in the table; `omitted` says where the rest are. Nothing is left out silently. */
  maxSteps?: number;
  omitted?: (hidden: number) => string;
}

/** For pull request comments and job summaries. Data in cells, lists and quotes is markdownText or markdownCode; the details block is the text plan in a fence longer than any backtick run in it. */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const out: string[] = ['### roster plan', ''];
  const errors = plan.problems.filter((p) => p.severity === 'error').length;
  if (errors) out.push(`**${errorsLine(errors)}**`, ...(plan.steps.length ? [''] : []));
  if (plan.steps.length === 0) {
    if (!errors) out.push('No changes. The live system matches the declaration.');
  } else {
    out.push(`**${summaryLine(plan)}**`, '', '| | step | key | why | source | risk |', '|---|---|---|---|---|---|');
    const shown = plan.steps.slice(0, options.maxSteps ?? plan.steps.length);
    for (const s of shown)
      out.push(
        `| ${SYMBOL[actionOf(s.kind)]} | \`${s.kind}\` | ${markdownCode(s.key, true)} | ${markdownText(s.reason)} | ${markdownText(s.source)} | ${s.risk.join(', ')} |`,
      );
    const hidden = plan.steps.length - shown.length;
    if (hidden > 0) out.push('', `**${hidden} more step(s) not shown here.** ${options.omitted?.(hidden) ?? ''}`.trimEnd());
    if (options.details !== false) {
      const details = renderPlanText(
        { steps: plan.steps, summary: plan.summary, unmanaged: plan.unmanaged, problems: [], blocks: [] },
        { color: false },
      ).trimEnd();
      out.push('', '<details><summary>Details</summary>', '', ...codeBlock('diff', details), '', '</details>');
    }
  }
  for (const b of plan.blocks)
    out.push(
      '',
      b.overridden
        ? `> Guard \`${b.guard}\` overridden by \`${b.flag}\`: ${markdownText(b.message)}`
        : `> **Blocked** by \`${b.guard}\`: ${markdownText(b.message)}. Override with \`${b.flag}\`.`,
    );
  const warnings = plan.problems;
  if (warnings.length)
    out.push('', ...warnings.map((p) => `- **${p.severity}**: ${markdownText(p.message)}${p.at ? ` (${markdownText(formatLocation(p.at))})` : ''}`));
  if (plan.unmanaged.length) out.push('', `${plan.unmanaged.length} live user(s) are not managed by roster and not declared.`);
  return out.join('\n') + '\n';
}

/** The documented machine shape (`formatVersion` changes on breaking changes). */
export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(plan, null, 2) + '\n';
}
