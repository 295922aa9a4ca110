import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';
import { OpenApiChecker } from '../helpers/github-openapi.ts';
import { basicError, issue, issueComment, label, labelEvent, pullRequest, pullRequestSimple, review } from './github-shapes.ts';
import type { PullRequest } from '../../src/github/api.ts';
import type { ReviewState } from '../../src/model/approvals.ts';

/**
 * A GitHub REST API on 127.0.0.1 for tests: the endpoints roster uses, with
 * the request and response shapes GitHub documents (issue comments, pull
 * requests, commit -> pull requests, reviews, issues, an issue's labels and
 * its labeled/unlabeled events), token checks,
 * Link-header pagination, the 65,536-character body limit, and failures on
 * demand. State is plain data the test arranges and inspects.
 */
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  login: string;
}
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  isPullRequest?: boolean;
}
export interface FakePull extends Omit<PullRequest, 'url'> {
  /** Commits whose "associated pull requests" include this one. */
  commits: string[];
  /** Label names on the pull request now; change them with label() and unlabel() so the events match. */
  labels?: string[];
}
/** An issue event of kind labeled / unlabeled (the only kinds roster reads). */
export interface FakeLabelEvent {
  issue: number;
  event: 'labeled' | 'unlabeled';
  label: string;
  actor: string;
  createdAt: string;
}
export interface FakeReview {
  pr: number;
  reviewer: string;
  state: Exclude<ReviewState, 'PENDING'>;
  commitId: string;
  submittedAt: string;
}
export interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

const BODY_LIMIT = 65_536;

export class FakeGitHub {
  readonly comments: FakeComment[] = [];
  readonly issues: FakeIssue[] = [];
  readonly pulls: FakePull[] = [];
  readonly reviews: FakeReview[] = [];
  readonly labelEvents: FakeLabelEvent[] = [];
  readonly requests: Recorded[] = [];
  /** Answers for the next requests, in order, instead of the normal ones. */
  readonly failures: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
  /** Every request and answer checked against GitHub's OpenAPI description; tests assert it clean after each. */
  readonly openapi = new OpenApiChecker();
  private nextId = 1000;
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';

  constructor(
    readonly token: string,
    readonly repository = 'acme/people',
  ) {}

  /** `actor` adds a label to pull request `pr` at `at`, as GitHub records it: the label and a labeled event. */
  label(pr: number, name: string, actor: string, at: string): void {
    const p = this.pulls.find((x) => x.number === pr)!;
    if (!(p.labels ??= []).includes(name)) p.labels.push(name);
    this.labelEvents.push({ issue: pr, event: 'labeled', label: name, actor, createdAt: at });
  }

  unlabel(pr: number, name: string, actor: string, at: string): void {
    const p = this.pulls.find((x) => x.number === pr)!;
    p.labels = (p.labels ?? []).filter((l) => l !== name);
    this.labelEvents.push({ issue: pr, event: 'unlabeled', label: name, actor, createdAt: at });
  }

  async start(): Promise<this> {
    ({ url: this.url } = await listenOnLoopback(this.server));
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      this.openapi.record({ method: req.method ?? '', url: req.url ?? '/', body, status, response: status === 204 ? undefined : data });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(status === 204 ? '' : JSON.stringify(data));
    };
    if (req.headers.authorization !== `token ${this.token}`) return send(401, basicError('Bad credentials', 401));
    const failure = this.failures.shift();
    if (failure) return send(failure.status, failure.body, failure.headers);
    const prefix = `/repos/${this.repository}`;
    if (!url.pathname.startsWith(prefix + '/')) return send(404, basicError('Not Found', 404));
    const route = `${req.method} ${url.pathname.slice(prefix.length)}`;
    const page = <T>(items: T[]) => {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const n = Number(url.searchParams.get('page') ?? 1);
      const headers: Record<string, string> = {};
      if (n * perPage < items.length) {
        const next = new URL(url);
        next.searchParams.set('page', String(n + 1));
        headers.link = `<${next}>; rel="next"`;
      }
      send(200, items.slice((n - 1) * perPage, n * perPage), headers);
    };
    const tooLong = (resource: string) =>
      typeof body?.body === 'string' && body.body.length > BODY_LIMIT
        ? (send(422, {
            message: 'Validation Failed',
            errors: [{ resource, code: 'custom', field: 'body', message: `body is too long (maximum is ${BODY_LIMIT} characters)` }],
            documentation_url: 'https://docs.github.com/rest',
            status: '422',
          }),
          true)
        : false;
    let m: RegExpExecArray | null;
    if ((m = /^GET \/issues\/(\d+)\/comments$/.exec(route))) return page(this.comments.filter((c) => c.issue === Number(m![1])).map((c) => this.comment(c)));
    if ((m = /^POST \/issues\/(\d+)\/comments$/.exec(route))) {
      if (tooLong('IssueComment')) return;
      const c = { id: this.nextId++, issue: Number(m[1]), body: body.body, login: 'github-actions[bot]' };
      this.comments.push(c);
      return send(201, this.comment(c));
    }
    if ((m = /^PATCH \/issues\/comments\/(\d+)$/.exec(route))) {
      const c = this.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, basicError('Not Found', 404));
      if (tooLong('IssueComment')) return;
      c.body = body.body;
      return send(200, this.comment(c));
    }
    if ((m = /^GET \/pulls\/(\d+)$/.exec(route))) {
      const p = this.pulls.find((x) => x.number === Number(m![1]));
      return p ? send(200, pullRequest(this.repository, this.pullFields(p))) : send(404, basicError('Not Found', 404));
    }
    if ((m = /^GET \/commits\/([0-9a-f]+)\/pulls$/.exec(route)))
      return send(
        200,
        this.pulls.filter((p) => p.commits.includes(m![1]!) || p.mergeCommitSha === m![1]).map((p) => pullRequestSimple(this.repository, this.pullFields(p))),
      );
    if ((m = /^GET \/pulls\/(\d+)\/reviews$/.exec(route))) {
      return page(this.reviews.filter((r) => r.pr === Number(m![1])).map((r, i) => review(this.repository, { id: 80 + i, ...r })));
    }
    if ((m = /^GET \/issues\/(\d+)\/labels$/.exec(route))) {
      const n = Number(m[1]);
      const pull = this.pulls.find((p) => p.number === n);
      const labels = pull ? (pull.labels ?? []) : this.issues.find((i) => i.number === n)?.labels;
      return labels ? page(labels.map((name) => label(this.repository, name))) : send(404, basicError('Not Found', 404));
    }
    if ((m = /^GET \/issues\/(\d+)\/events$/.exec(route))) {
      return page(this.labelEvents.filter((e) => e.issue === Number(m![1])).map((e, i) => labelEvent(this.repository, { id: 6000 + i, ...e })));
    }
    if (route === 'GET /issues') {
      const label = url.searchParams.get('labels');
      const state = url.searchParams.get('state') ?? 'open';
      return page(this.issues.filter((i) => (state === 'all' || i.state === state) && (!label || i.labels.includes(label))).map((i) => this.issue(i)));
    }
    if (route === 'POST /issues') {
      if (tooLong('Issue')) return;
      const i: FakeIssue = { number: this.issues.length + 1, title: body.title, body: body.body ?? '', state: 'open', labels: body.labels ?? [] };
      this.issues.push(i);
      return send(201, this.issue(i));
    }
    if ((m = /^PATCH \/issues\/(\d+)$/.exec(route))) {
      const i = this.issues.find((x) => x.number === Number(m![1]));
      if (!i) return send(404, basicError('Not Found', 404));
      if (tooLong('Issue')) return;
      Object.assign(
        i,
        body.title !== undefined && { title: body.title },
        body.body !== undefined && { body: body.body },
        body.state !== undefined && { state: body.state },
      );
      return send(200, this.issue(i));
    }
    send(404, basicError('Not Found', 404));
  }

  private comment(c: FakeComment) {
    return issueComment(this.repository, c);
  }

  private pullFields(p: FakePull) {
    return { ...p, labels: p.labels ?? [] };
  }

  private issue(i: FakeIssue) {
    return issue(this.repository, { ...i, pullRequest: i.isPullRequest });
  }
}
