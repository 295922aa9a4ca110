import pc from 'picocolors';
import { formatLocation, type Problem } from '../model/problems.ts';
import { showInvisible } from '../util/strings.ts';

/** One line per problem; file names and messages quote declared data, so both go through showInvisible. */
export function renderProblemsText(problems: Problem[], options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const lines = problems.map((p) => {
    const where = p.at ? `${showInvisible(formatLocation(p.at))}: ` : '';
    const label = p.severity === 'error' ? c.red('error') : c.yellow('warning');
    return `${where}${label}: ${showInvisible(p.message)}`;
  });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length) lines.push('', `${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n');
}

/** GitHub Actions workflow commands: each problem becomes an annotation on its line. */
export function renderProblemsGithub(problems: Problem[]): string {
  const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return problems
    .map((p) => {
      const props = p.at ? ` file=${escapeProp(p.at.file)},line=${p.at.line},col=${p.at.col},title=${escapeProp(`roster ${p.code}`)}` : '';
      return `::${p.severity === 'error' ? 'error' : 'warning'}${props}::${escapeData(p.message)}`;
    })
    .join('\n');
}

export function renderProblemsJson(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return JSON.stringify({ formatVersion: 1, valid: errors === 0, errors, warnings: problems.length - errors, problems }, null, 2) + '\n';
}
