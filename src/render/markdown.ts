import { showInvisible } from '../util/strings.ts';

/**
 * The one escaping rule of markdown output (pull request comments, job
 * summaries, `plan --format markdown`), for data inside our structure:
 * invisible characters written out as in text (so no newline ever ends a
 * table row or starts a heading), and every ASCII punctuation mark that
 * CommonMark or GitHub gives a meaning to inline (emphasis, code, links,
 * raw HTML, entities, strikethrough, math, table cells) escaped with a
 * backslash, which renders as the mark itself. Backslashes are escaped too,
 * so an escaped pipe is never read as a backslash and a cell border.
 */
export function markdownText(text: string): string {
  return showInvisible(text).replace(/[\\`*_[\]<>|~&$!]/g, '\\$&');
}

/**
 * Data as inline code (keys, logins): a backtick run longer than any in it,
 * padded when it starts or ends with a backtick. Inside a table a pipe needs
 * a backslash even in code, and a backslash of the data's own before it
 * would make the pipe a cell border to some parsers: such text is shown
 * escaped as plain text instead.
 */
export function markdownCode(text: string, inTable: boolean): string {
  const shown = showInvisible(text);
  if (inTable && shown.includes('\\')) return markdownText(text);
  const content = inTable ? shown.replace(/\|/g, '\\|') : shown;
  const fence = '`'.repeat(longestRun(content, '`') + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block around text that is already free of invisible characters: the fence is longer than any backtick run inside. */
export function codeBlock(info: string, content: string): string[] {
  const fence = '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
  return [fence + info, content, fence];
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
