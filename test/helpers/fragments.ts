import fc from 'fast-check';

/**
 * YAML fragments written the many ways people write them: block and flow
 * maps, quoted and plain scalars, comments, blank lines, both list
 * indentations, CRLF, reordered keys; with values that look like other
 * types, references that do and do not resolve, and (sometimes) one hostile
 * change: anchors, tags, duplicate keys, tabs, multi-line scalars, explicit
 * keys, prototype keys. Used to check that the fast and the precise parse
 * paths agree on everything.
 */

/** Plain-looking text the core schema reads as something else, or that needs care to write. */
const TRICKY = [
  '2027-03-31',
  '2026-13-45',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '~',
  'null',
  'True',
  'yes',
  'no',
  '12',
  '-5',
  '3.5',
  "O'Brien",
  'a: b',
  'a #b',
  'x#y',
  '"q"',
  "'q'",
  'über',
  'Zoë Ünal',
  ' lead',
  'trail ',
  '',
  '-',
  '%x',
  '@x',
  '!x',
  '&x',
  '*x',
  '[x]',
  '{x}',
  '? x',
];

type Style = 'plain' | 'single' | 'double';
const quote = (text: string, style: Style) => (style === 'double' ? JSON.stringify(text) : style === 'single' ? `'${text.replace(/'/g, "''")}'` : text);

const scalar = (values: string[], styles: Style[] = ['plain', 'plain', 'single', 'double']) =>
  fc.record({ text: fc.constantFrom(...values), style: fc.constantFrom(...styles) }).map(({ text, style }) => quote(text, style));
const comment = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('', '   # a comment', ' # role: admin') },
  { weight: 1, arbitrary: fc.constant('#not a comment') },
);
/** The text of a written scalar, for keeping keys and list items unique. */
const unquoted = (written: string) => written.replace(/^['"]|['"]$/g, '').trim();

interface Field {
  key: string;
  /** A scalar (already written), or a nested map / list written as flow or block. */
  value: string | { map: [string, string][] } | { list: string[] };
}

const field = (key: string, value: fc.Arbitrary<Field['value']>) => value.map((v): Field => ({ key, value: v }));
const optional = (key: string, value: fc.Arbitrary<Field['value']>) => fc.option(field(key, value), { nil: undefined });
const present = (fields: (Field | undefined)[]) => fields.filter((f): f is Field => f !== undefined);
const flowMap = (keys: fc.Arbitrary<string>, values: fc.Arbitrary<string>) =>
  fc.uniqueArray(fc.tuple(keys, values), { maxLength: 3, selector: ([k]) => unquoted(k) }).map((map) => ({ map }));
const list = (items: fc.Arbitrary<string>) => fc.uniqueArray(items, { maxLength: 3, selector: unquoted }).map((l) => ({ list: l }));

/**
 * Values for one fragment. `clean`: what passes the schema and resolves
 * against the base fragment (tricky text only quoted); otherwise anything,
 * including wrong types, bad names and dangling references.
 */
function values(clean: boolean, salt: number) {
  const pick = (good: string[], bad: string[], styles?: Style[]) =>
    clean ? scalar(good, styles) : fc.oneof({ weight: 3, arbitrary: scalar(good, styles) }, { weight: 1, arbitrary: scalar(bad) });
  return {
    org: clean ? scalar(['acme']) : pick(['acme', 'globex'], ['nowhere', 'Bad Org']),
    role: pick(['owner', 'admin', 'member'], ['membr', '2024', 'bad name']),
    workspace: clean ? scalar(['analytics', '2024']) : pick(['analytics', 'research', '2024'], ['nowhere', 'Upper']),
    pkg: pick(['core', 'a.b_c-d'], ['nowhere']),
    project: scalar(['apollo', 'hermes']),
    // Clean fragments use their own people and ids, so that fragments do not collide.
    email: pick(
      [`ann${salt}@acme.test`, `Ben${salt}@Acme.Test`, `  cat${salt}@acme.test `, `jose\u0301${salt}@acme.test`, `dan${salt}@globex.test`],
      ['not-an-email', '@x'],
    ),
    text: clean
      ? fc.oneof(
          scalar(['Alice Liddell', 'Ben', 'Read-only analytics', 'Launch promotion', 'Zoë Ünal', "O'Brien"]),
          scalar(
            TRICKY.filter((t) => t.length >= 3),
            ['single', 'double'],
          ),
        )
      : fc.oneof(scalar(['Alice Liddell', 'Launch promotion']), scalar(TRICKY)),
    status: pick(['active', 'invited', 'inactive', 'suspended'], ['gone']),
    wsRole: pick(['admin', 'member', 'viewer'], ['owner']),
    date: pick(['2026-01-31', '2027-03-31'], ['2026-02-30', 'soon']),
    amount: pick(['100', '-50', '250'], ['0', '1.5', '99999999999999999999', 'ten'], ['plain']),
    kind: pick(['awarded', 'purchased'], ['gift']),
    id: pick([`welcome-${salt}`, `bonus-${salt}`, `po:${salt}@x`], ['signup:x', 'Bad Id']),
    flag: pick(['true', 'false'], ['yes'], ['plain']),
  };
}

function sections(clean: boolean, salt: number) {
  const v = values(clean, salt);
  const user = fc
    .tuple(
      field('email', v.email),
      field('role', v.role),
      optional('name', v.text),
      optional('status', v.status),
      optional('organization', v.org),
      optional('department', v.text),
      optional('workspaces', flowMap(v.workspace, v.wsRole)),
      ...(clean ? [] : [optional('projects', list(v.project))]),
      optional('packages', list(v.pkg)),
      optional('expires', v.date),
    )
    .map(present);
  const credit = fc
    .tuple(
      field('id', v.id),
      field(
        'to',
        fc.oneof(
          clean ? scalar(['olivia@acme.test']) : v.email,
          clean ? v.role.map((role) => ({ map: [['role', role]] as [string, string][] })) : flowMap(scalar(['role', 'team']), v.role),
        ),
      ),
      field('amount', v.amount),
      optional('kind', v.kind),
      field('reason', v.text),
    )
    .map(present);
  return {
    // Settings live in the base fragment; a second settings block is an error of its own.
    settings: (clean
      ? fc.constant(undefined)
      : fc
          .tuple(optional('unmanaged', scalar(['report', 'delete'])), optional('exclude', list(scalar(['breakglass@acme.test']))))
          .map(present)) as fc.Arbitrary<Field[] | undefined>,
    roles: fc.uniqueArray(
      fc
        .tuple(
          field('name', clean ? scalar([`viewer-${salt}`, `auditor-${salt}`]) : v.role),
          optional('admin', v.flag),
          optional('permissions', flowMap(v.workspace, fc.constant('[view]'))),
        )
        .map(present),
      { maxLength: 2, selector: (fields) => unquoted(fields[0]!.value as string) },
    ),
    workspaces: fc.uniqueArray(
      fc
        .tuple(
          field('name', clean ? scalar([`sales-${salt}`, `support-${salt}`]) : v.workspace),
          optional('organization', v.org),
          optional('previously', list(scalar([`old-${salt}`]))),
        )
        .map(present),
      { maxLength: 2, selector: (fields) => unquoted(fields[0]!.value as string) },
    ),
    users: fc.uniqueArray(user, { maxLength: 5, selector: (fields) => unquoted(fields[0]!.value as string) }),
    credits: fc.uniqueArray(credit, { maxLength: 3, selector: (fields) => unquoted(fields[0]!.value as string) }),
  };
}

interface Layout {
  indent: number;
  /** `users:\n  - x` or `users:\n- x`. */
  indentLists: boolean;
  flowItems: boolean;
  flowMaps: boolean;
  blankLines: boolean;
  crlf: boolean;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom(2, 2, 4),
  indentLists: fc.boolean(),
  flowItems: fc.boolean(),
  flowMaps: fc.boolean(),
  blankLines: fc.boolean(),
  crlf: fc.constantFrom(false, false, false, true),
});

function writeValue(value: Field['value'], pad: string, l: Layout, comments: string[]): string {
  if (typeof value === 'string') return ` ${value}${comments.shift() ?? ''}`;
  if ('map' in value) {
    if (l.flowMaps || value.map.length === 0) return ` { ${value.map.map(([k, v]) => `${k}: ${v}`).join(', ')} }${comments.shift() ?? ''}`;
    return '\n' + value.map.map(([k, v]) => `${pad}${' '.repeat(l.indent)}${k}: ${v}`).join('\n');
  }
  if (l.flowMaps || value.list.length === 0) return ` [${value.list.join(', ')}]`;
  return '\n' + value.list.map((v) => `${pad}${' '.repeat(l.indent)}- ${v}`).join('\n');
}

function writeEntity(fields: Field[], l: Layout, pad: string, comments: string[]): string {
  const simple = fields.every((f) => typeof f.value === 'string' || l.flowMaps);
  if (l.flowItems && simple && fields.length > 0) {
    return `${pad}- { ${fields.map((f) => `${f.key}:${writeValue(f.value, '', { ...l, flowMaps: true }, [])}`).join(', ')} }`;
  }
  const inner = pad + ' '.repeat(2);
  return fields.map((f, i) => `${i === 0 ? `${pad}- ` : inner}${f.key}:${writeValue(f.value, inner, l, comments)}`).join('\n') || `${pad}- {}`;
}

type Sections = Record<string, Field[] | Field[][] | undefined>;

function writeFragment(sections: Sections, order: string[], l: Layout, comments: string[]): string {
  const out = ['# yaml-language-server: $schema=../schema/roster.schema.json'];
  const pad = l.indentLists ? ' '.repeat(l.indent) : '';
  for (const key of order) {
    const content = sections[key as keyof Sections];
    if (content === undefined) continue;
    if (key === 'settings') {
      const fields = content as Field[];
      out.push(
        fields.length
          ? `settings:\n${fields.map((f) => `${' '.repeat(l.indent)}${f.key}:${writeValue(f.value, ' '.repeat(l.indent), l, comments)}`).join('\n')}`
          : 'settings: {}',
      );
      continue;
    }
    const items = content as Field[][];
    out.push(items.length ? `${key}:\n${items.map((fields) => writeEntity(fields, l, pad, comments)).join(l.blankLines ? '\n\n' : '\n')}` : `${key}: []`);
  }
  const text = out.join('\n') + '\n';
  return l.crlf ? text.replace(/\n/g, '\r\n') : text;
}

/** Changes that push a file off the fast path, or make it invalid: both paths must still agree. */
const HOSTILE: ((text: string) => string)[] = [
  (t) => t.replace(/(\n\s*-? ?email:)/, '$1 &anchor'),
  (t) => t.replace(/role: (\S+)/, 'role: &r $1').replace(/(\n\s+)role: ([^&\n][^\n]*)$/m, '$1role: *r'),
  (t) => t.replace(/role: /, 'role: !!str '),
  (t) => t.replace(/name: /, 'name: !custom '),
  (t) => t.replace(/(\n(\s*)-? ?email: [^\n]*)/, '$1\n$2  email: dup@acme.test'),
  (t) => t.replace(/\n  /, '\n\t'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1__proto__: { polluted: true }$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1constructor: x$1$2'),
  (t) => t.replace(/department: [^\n]*/, 'department: |\n      Engineering\n      and more'),
  (t) => t.replace(/department: [^\n]*/, 'department: >-\n      folded\n      text'),
  (t) => t.replace(/name: [^\n]*/, 'name: Alice\n      Liddell'),
  (t) => t.replace(/name: [^\n]*/, 'name: "Alice\n      Liddell"'),
  (t) => t.replace(/reason: [^\n]*/, "reason: 'two\n\n      paragraphs'"),
  (t) => t.replace(/(\n\s+)(role:)/, '$1? explicit\n$1: key$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1[flow, key]: x$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1{a: b}: x$1$2'),
  (t) => t.replace(/role: [^\n]*/, 'role:'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1true: x$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1~: x$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1123: x$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1password: hunter2$1$2'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1apiToken: abc$1$2'),
  (t) => '---\n' + t,
  (t) => t + '...\n',
  (t) => '%YAML 1.2\n---\n' + t,
  (t) => t + '---\nusers: []\n',
  (t) => t.replace(/amount: [^\n]*/, 'amount: 0x10'),
  (t) => t.replace(/amount: [^\n]*/, 'amount: 1_000'),
  (t) => t.replace(/amount: [^\n]*/, 'amount: +12'),
  (t) => t.replace(/amount: [^\n]*/, 'amount: 12.0'),
  (t) => t.replace(/(\n\s+)(role:)/, '$1nested: ' + '['.repeat(70) + ']'.repeat(70) + '$1$2'),
  (t) => t.replace(/\n/, '\n\u2028\n'),
  (t) => t.replace(/\n/, '\r'),
  (t) => t.replace(/role: ([^\n]*)/, 'role: $1 # trailing: comment'),
  (t) => t.replace(/role: ([^\n]*)/, 'role:\n      $1'),
  (t) => t.replace(/(\n\s*)- /, '$1-\n$1  '),
  (t) => t.replace(/(\n\s*)- /, '$1- # comment\n$1  '),
  (t) => t.replace(/: /, ':  '),
  (t) => t.replace(/(\w): /, '$1:\t'),
  (t) => t.replace(/\n(\s+)(\w+):/, '\n$1 $2:'),
  (t) => t.replace(/}/, ', }'),
  (t) => t.replace(/]/, ',]'),
  (t) => t.replace(/\[/, '[\n  '),
  (t) => t.replace(/role: ([^\n]*)/, 'role : $1'),
  (t) => t.replace(/name: [^\n]*/, 'name: "\\u00e9l\\x41ine \\t tab"'),
  (t) => t.replace(/name: [^\n]*/, "name: 'it''s ok'"),
  (t) => t.replace(/name: [^\n]*/, 'name: "emoji \u{1F600} ok"'),
  (t) => t.replace(/name: [^\n]*/, 'name: ' + 'x'.repeat(1100)),
  (t) => t.replace(/(\n\s+)(role:)/, '$1' + 'k'.repeat(1030) + ': x$1$2'),
  (t) => t.replace(/workspaces: \{/, 'workspaces: {\n        '),
  (t) => t.replace(/\n/, '\n   \n'),
  (t) => t.replace(/\n/g, ' \n'),
  (t) => t.replace(/role: [^\n]*/, 'role: member\n    role2: { nested: [a, { b: c }] }'),
  (t) => t.replace(/department: [^\n]*/, 'department: ~'),
  (t) => t.replace(/department: [^\n]*/, 'department: null'),
  (t) => t.replace(/(\n\s*)- /, '$1-   '),
  (t) => t.replace(/:\s/, ':\u00a0'),
  (t) => t.replace(/email: /, 'email: \ufeff'),
  () => '',
  () => '# only a comment\n',
];

/** The names the other fragments refer to, written in one of the layouts. */
const BASE: Sections = {
  settings: [{ key: 'organization', value: 'acme' }],
  organizations: [
    [{ key: 'name', value: 'acme' }],
    [
      { key: 'name', value: 'globex' },
      { key: 'displayName', value: "'Globex Corp'" },
    ],
  ],
  roles: [
    [
      { key: 'name', value: 'owner' },
      { key: 'owner', value: 'true' },
    ],
    [
      { key: 'name', value: 'admin' },
      { key: 'admin', value: 'true' },
    ],
    [{ key: 'name', value: 'member' }],
  ],
  workspaces: [
    [{ key: 'name', value: 'analytics' }],
    [
      { key: 'name', value: 'research' },
      { key: 'organization', value: 'globex' },
    ],
    [{ key: 'name', value: '"2024"' }],
  ],
  packages: [
    [{ key: 'name', value: 'core' }],
    [
      { key: 'name', value: 'a.b_c-d' },
      { key: 'createdBy', value: 'olivia@acme.test' },
    ],
  ],
  users: [
    [
      { key: 'email', value: 'olivia@acme.test' },
      { key: 'role', value: 'owner' },
    ],
  ],
};

const fragment = (clean: boolean) =>
  fc
    .record({
      sections: fc.integer({ min: 1, max: 1e6 }).chain((salt) => fc.record(sections(clean, salt), { requiredKeys: [] })),
      order: fc.shuffledSubarray(['settings', 'roles', 'workspaces', 'users', 'credits'], { minLength: 5 }),
      layout,
      comments: fc.array(comment, { maxLength: 30 }),
      hostile: clean ? fc.constant(undefined) : fc.option(fc.nat({ max: HOSTILE.length - 1 }), { nil: undefined, freq: 2 }),
    })
    .map(({ sections: content, order, layout: l, comments, hostile }) => {
      const text = writeFragment(content as Sections, order, l, [...comments]);
      return hostile === undefined ? text : HOSTILE[hostile]!(text);
    });

/**
 * A declaration: the base fragment and one to three more, each clean (valid
 * unless they contradict each other) or not.
 */
export const fragments = fc
  .tuple(
    layout.map((l) => writeFragment(BASE, ['settings', 'organizations', 'roles', 'workspaces', 'packages', 'users'], l, [])),
    fc.array(
      fc.boolean().chain((clean) => fragment(clean)),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([base, texts]) => Object.fromEntries([base, ...texts].map((t, i) => [`users/part-${i}.yaml`, t])));
