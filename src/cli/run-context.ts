import type { RunContext } from '../engine/context.ts';
import type { RunObserver } from '../engine/observer.ts';
import { renderProblemsText } from '../render/problems.ts';
import { parseDuration } from './durations.ts';
import type { Io } from './io.ts';
import type { GlobalOptions } from './options.ts';
import { retryLine, retryReporter } from './retries.ts';

/** What the engine is told of every run: the working dir and environment, and the global flags (--lock-timeout parsed only when a lock is waited for). */
export function runContext(opts: GlobalOptions, io: Io): RunContext {
  return {
    cwd: io.cwd,
    env: io.env,
    dir: opts.dir,
    dataDir: opts.dataDir,
    auditLog: opts.auditLog,
    lockTimeoutMs: () => parseDuration(opts.lockTimeout),
    http: { concurrency: opts.concurrency, rps: opts.rps, requestTimeout: opts.requestTimeout },
  };
}

/** What a run tells as it goes, on stderr: the declaration's warnings, each retry before its wait, overrides a pull request asks for that do not count. */
export function printingObserver(io: Io): RunObserver {
  return {
    onWarnings: (problems) => io.err(renderProblemsText(problems, { color: io.color }) + '\n'),
    onHttpRetry: (e) => io.err(retryLine(e)),
    onGitHubRetry: retryReporter(io),
    onOverrideRefused: (pr, r) => io.err(`Note: pull request #${pr} asks for ${r.flag} (label ${r.label}), which does not take effect: ${r.why}.\n`),
  };
}
