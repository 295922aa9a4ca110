// The crash tests' roster: bin/roster.js with a kill point. ROSTER_FAILPOINT
// says where this process SIGKILLs itself during an apply, through the
// apply's observer; the real CLI never reads it.
//   kill-after-step:N    once N steps are written (inside their transaction;
//                        for HTTP providers answered, not yet recorded)
//   kill-after-intent:N  (HTTP providers) once N intents are on disk, before their requests go out
//   kill-after-event:N   (HTTP providers) once N events are in the trail, before their intents are cleared
// Plain JavaScript, loading roster as bin/roster.js does (bin/runtime.js): a
// kill test starts many of these, and compiling the sources each time is slow.
import module from 'node:module';

// As bin/roster.js: compiled code cached between runs, where Node has the cache.
module.enableCompileCache?.();

const { load } = await import('../../bin/runtime.js');

const CALLBACKS = { 'kill-after-step': 'stepWritten', 'kill-after-intent': 'intentsJournaled', 'kill-after-event': 'eventsRecorded' };

/** The observer that kills this process at the point `spec` names; a spec it cannot read is a mistake in the test. */
function killAt(spec) {
  const [point, count] = spec.split(':');
  const callback = CALLBACKS[point];
  const limit = Number(count);
  if (!callback || !Number.isInteger(limit) || limit <= 0)
    throw new Error(`ROSTER_FAILPOINT=${spec}: expected kill-after-step:N, kill-after-intent:N or kill-after-event:N`);
  return {
    [callback]: (n) => {
      if (n >= limit) process.kill(process.pid, 'SIGKILL');
    },
  };
}

const [cli, io] = await Promise.all([load('cli/main'), load('cli/io')]);
cli.guardProcess();
const applyObserver = killAt(process.env.ROSTER_FAILPOINT ?? '');
process.exitCode = await cli.main(process.argv.slice(2), { ...io.processIo(), applyObserver });
setTimeout(() => process.exit(), 2000).unref();
