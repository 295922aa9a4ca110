import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/model/audit.ts';
import { planBody } from '../../src/github/comment.ts';
import type { Plan, Step } from '../../src/model/plan.ts';
import type { Fields } from '../../src/model/json.ts';
import type { Problem } from '../../src/model/problems.ts';
import { renderEventsCsv, renderEventsText } from '../../src/render/audit.ts';
import { renderHistoryText, type HistoryReport } from '../../src/render/history.ts';
import { renderPlanMarkdown, renderPlanText } from '../../src/render/plan.ts';
import { renderProblemsGithub, renderProblemsText } from '../../src/render/problems.ts';

/**
 * Text a hostile pull request author (or someone editing a live store by
 * hand) would put where roster prints it: terminal escapes, C0 and C1
 * controls, invisible and bidirectional characters, a homoglyph, markdown
 * that would end a table row, open a heading, close a fence or a details
 * block, and a fake summary line.
 */
const CORPUS = [
  '\u001b[2K\u001b[1A\rPlan: 0 to add, 0 to change, 0 to remove.',
  '\u001b]8;;https://evil.test\u0007click\u001b]8;;\u0007 \u001b]0;title\u001b\\',
  '\u009b31mC1 CSI\u009b0m \u0000nul \u007fdel \u0085nel \u0008\u0008back',
  'zero\u200bwidth\u200c\u200d\u2060\ufeff\u00adsoft',
  'bidi \u202etxt.exe\u202c \u2066isolate\u2069 \u061c\u200e\u200f',
  'h\u043emoglyph@acme.test',
  'line one\n### roster plan\n**Plan: 0 to add, 0 to change, 0 to remove.**\n',
  '```\n</details>\n\n# heading\n~~~\n````',
  'pipe | cell | \\| escaped \\\\| double \\',
  '`code` ``two`` `',
  '<img src=x onerror=alert(1)> <!-- &#8238; &amp; $x^2$ [link](https://evil.test) *em* _em_ ~~del~~ ![i](x)',
  'tab\there\r\nCRLF\u2028LS\u2029PS \u{f0000}private',
];

/** Anything a terminal or a browser would act on or hide, other than the line breaks the renderer writes. */
const RAW = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Default_Ignorable_Code_Point}]/u;
const rawCharacters = (text: string) => [...text.replace(/\n/g, '')].filter((c) => RAW.test(c));

/** Every piece of data a plan can carry, set to `text` (a benign `text` gives the shape to compare with). */
function planOf(text: string): Plan {
  // Fields no planner makes (a hostile key, missing ones): not a well-formed step of its kind, on purpose.
  const step = (kind: Step['kind'], fields: { key?: string; before?: Fields | null; after?: Fields | null; risk?: Step['risk'] }): Step =>
    ({ kind, key: `user:${text}`, before: null, after: null, reason: text, source: `users/${text}.yaml:3:5`, risk: [], ...fields }) as Step;
  return {
    formatVersion: 1,
    now: '2026-11-23T12:00:00.000Z',
    steps: [
      step('user.create', { after: { email: text, name: text, department: text, [text]: text }, risk: ['privileged'] }),
      step('user.update', {
        before: { email: text, department: `${text} and a long tail to make a word diff of it` },
        after: { email: text, department: `${text} and a longer tail to make a word diff of it` },
      }),
      step('credit.grant', { key: `credit:${text}`, after: { id: text, reason: text, amount: 5, entries: [{ user: text, amount: 5 }] }, risk: ['privileged'] }),
      step('user.deactivate', { before: { email: text, status: 'active' }, after: { email: text, status: 'inactive' }, risk: ['destructive'] }),
    ],
    blocks: [
      { guard: 'maxRemovalPercent', message: text, flag: '--allow-mass-removal', overridden: false, keys: [] },
      { guard: 'minAdmins', message: text, flag: '--allow-owner-change', overridden: true, keys: [] },
    ],
    problems: [problemOf(text)],
    unmanaged: [text, text],
    summary: { add: 2, change: 1, remove: 1 },
    desiredDigest: 'sha256:0',
    liveFingerprint: 'sha256:0',
  };
}

function problemOf(text: string): Problem {
  return { severity: 'warning', code: 'x', message: `user ${text} refers to "${text}"`, at: { file: `users/${text}.yaml`, line: 3, col: 5 } };
}

function eventOf(text: string): AuditEvent {
  return {
    seq: 1,
    at: '2026-11-23T12:00:00.000Z',
    step: 'user.create',
    key: `user:${text}`,
    before: null,
    after: { email: text, department: text },
    reason: text,
    source: `users/${text}.yaml:3:5`,
    actor: { name: text, gitAuthor: text, pr: 7, prTitle: text, prAuthor: text, approvers: [text] },
    commit: null,
    result: 'failed',
    error: text,
    prev: 'sha256:0',
    hash: 'sha256:1',
  };
}

function historyOf(text: string): HistoryReport {
  return {
    email: text,
    declaration: 'users',
    trail: { source: `.roster/${text}.jsonl`, events: 1, intact: false, problem: text },
    entries: [
      {
        type: 'commit',
        at: '2026-11-23T12:00:00Z',
        commit: 'a'.repeat(40),
        author: text,
        authorEmail: text,
        subject: text,
        pr: 3,
        changes: [{ what: `user ${text}`, action: 'moved', file: `users/${text}.yaml`, line: 2, from: text, diff: [`+  department: ${text}`] }],
      },
      { type: 'event', at: '2026-11-23T12:00:00Z', event: eventOf(text) },
    ],
  } as HistoryReport;
}

const TEXT_RENDERERS: [string, (text: string) => string][] = [
  ['plan text', (t) => renderPlanText(planOf(t), { color: false })],
  ['plan text in colour', (t) => renderPlanText(planOf(t), { color: true })],
  ['problems text', (t) => renderProblemsText([problemOf(t)], { color: false })],
  ['audit list text', (t) => renderEventsText([eventOf(t)])],
  ['history text', (t) => renderHistoryText(historyOf(t))],
];

/** The SGR colour sequences the renderer itself writes: the only escapes allowed in coloured output. */
// eslint-disable-next-line no-control-regex
const withoutOwnColours = (text: string) => text.replace(/\u001b\[\d+m/g, '');

describe('text output escapes every invisible character of the data it shows', () => {
  for (const [name, render] of TEXT_RENDERERS) {
    it(name, () => {
      const shape = render('x').split('\n').length;
      for (const hostile of CORPUS) {
        const out = withoutOwnColours(render(hostile));
        expect(rawCharacters(out), JSON.stringify(hostile)).toEqual([]);
        // No data starts a line of its own.
        expect(out.split('\n').length, JSON.stringify(hostile)).toBe(shape);
      }
    });
  }

  it('writes each character out as an escape a person can read', () => {
    const out = renderPlanText(planOf(CORPUS[0]!), { color: false });
    expect(out).toContain('+ user.create user:\\u001b[2K\\u001b[1A\\rPlan: 0 to add, 0 to change, 0 to remove. [privileged]');
    expect(renderEventsText([eventOf('a\u202eb\u200bc\nd\u009be')])).toContain('# a\\u202eb\\u200bc\\nd\\u009be (users/');
    expect(renderProblemsText([problemOf('\u001b[31m')], { color: false })).toBe(
      'users/\\u001b[31m.yaml:3:5: warning: user \\u001b[31m refers to "\\u001b[31m"\n\n0 error(s), 1 warning(s)',
    );
  });
});

const md = new MarkdownIt({ html: true });

/** The structure a reader sees: headings, table rows and cells, fences, blockquotes, list items and raw HTML blocks. */
function shapeOf(markdown: string) {
  const tokens = md.parse(markdown, {});
  const count = (type: string, tag?: string) => tokens.filter((t) => t.type === type && (tag === undefined || t.tag === tag)).length;
  return {
    headings: tokens.filter((t) => t.type === 'heading_open').map((t) => t.tag),
    rows: count('tr_open'),
    cells: count('td_open') + count('th_open'),
    fences: count('fence') + count('code_block'),
    quotes: count('blockquote_open'),
    items: count('list_item_open'),
    html: count('html_block'),
    paragraphs: count('paragraph_open'),
  };
}

/** Inline markup the data may not create: links, images, emphasis, strikethrough, raw HTML, a code span of its own. */
function inlineMarkup(markdown: string): string[] {
  const found: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parseInline>) => {
    for (const t of tokens) {
      if (['link_open', 'image', 'em_open', 'strong_open', 's_open', 'html_inline'].includes(t.type)) found.push(t.type);
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(markdown, {}));
  return found;
}

/**
 * Cell borders per table row as GitHub's parser (cmark-gfm) splits them: it
 * reads a backslash and the character after it as a pair, so a pipe is a
 * border after an even run of backslashes (markdown-it looks at one character
 * only; the two differ on `\\|`).
 */
function bordersPerRow(markdown: string): number[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => [...line.matchAll(/(\\*)\|/g)].filter((m) => m[1]!.length % 2 === 0).length);
}

describe('markdown output keeps its shape whatever the data', () => {
  const renderers: [string, (text: string) => string][] = [
    ['plan markdown', (t) => renderPlanMarkdown(planOf(t))],
    ['plan markdown without details', (t) => renderPlanMarkdown(planOf(t), { details: false })],
    [
      'pull request comment',
      (t) =>
        planBody(
          '<!-- roster:plan users -->',
          {
            plan: planOf(t),
            approvals: {
              status: {
                rule: { minApprovals: 1, approvers: [t] },
                needs: [{ kind: 'user.create', key: `user:${t}`, why: t, source: t }],
                approvedBy: [t],
                notCounted: [{ reviewer: t, reason: t }],
                satisfied: false,
              },
              pr: { number: 1, author: t },
            },
          } as never,
          () => true,
        ),
    ],
  ];
  for (const [name, render] of renderers) {
    it(name, () => {
      const benign = render('x');
      const shape = shapeOf(benign);
      const markup = inlineMarkup(benign);
      expect(shape.rows).toBeGreaterThan(0);
      for (const hostile of CORPUS) {
        const out = render(hostile);
        expect(shapeOf(out), JSON.stringify(hostile)).toEqual(shape);
        expect(bordersPerRow(out), JSON.stringify(hostile)).toEqual(bordersPerRow(benign));
        expect(inlineMarkup(out), JSON.stringify(hostile)).toEqual(markup);
        expect(rawCharacters(out), JSON.stringify(hostile)).toEqual([]);
      }
    });
  }

  it('shows the data as it is, cell by cell', () => {
    const hostile = CORPUS[8]!;
    const tokens = md.parse(renderPlanMarkdown(planOf(hostile)), {});
    const cells = tokens.filter((t) => t.type === 'inline' && t.map === null).map((t) => t.children!.map((c) => c.content).join(''));
    // The key cell of the first row is code: `user:` and the data, exactly.
    expect(cells).toContain(`user:${hostile}`);
    expect(cells).toContain(hostile);
  });

  it('fences the details block with more backticks than the data holds', () => {
    const out = renderPlanMarkdown(planOf('a ```````` b'));
    expect(out).toContain('\n`````````diff\n');
    expect(md.parse(out, {}).filter((t) => t.type === 'fence')).toHaveLength(1);
  });
});

describe('formats that already escaped keep doing so', () => {
  it('github annotations put every problem on one line', () => {
    for (const hostile of CORPUS) expect(renderProblemsGithub([problemOf(hostile)]).split('\n')).toHaveLength(1);
  });

  it('CSV quotes every field', async () => {
    const { parse } = await import('csv-parse/sync');
    for (const hostile of CORPUS) {
      const rows = parse(renderEventsCsv([eventOf(hostile)]), { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]!.error!.replace(/^'/, '')).toBe(hostile);
    }
  });
});
