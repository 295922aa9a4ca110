import { clearLine, cursorTo } from 'node:readline';
import cliProgress, { type Options, type Params } from 'cli-progress';
import type { ProgressPhase } from '../model/progress.ts';
import type { Io } from './io.ts';
import { PHASES, type RunProgress } from './progress-text.ts';

/** How often the line is redrawn: the spinner's pace, and the most a synchronous stage (loading files) draws. */
const REDRAW_MS = 100;
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

interface Stage {
  phase: ProgressPhase;
  counted: boolean;
}

/** `⠙ reading the live system 3s`, or `applying ████░░░░ 40/100 steps 12s` once the stage has a size. */
function liveLine(options: Options, params: Params, stage: Stage): string {
  const { label, unit } = PHASES[stage.phase];
  const seconds = `${Math.round((Date.now() - params.startTime) / 1000)}s`;
  if (!stage.counted) return `${SPINNER[Math.floor(Date.now() / REDRAW_MS) % SPINNER.length]} ${label} ${seconds}`;
  return `${label} ${cliProgress.Format.BarFormat(params.progress, options)} ${params.value}/${params.total} ${unit} ${seconds}`;
}

/**
 * The progress line on a terminal (stderr), drawn by cli-progress: a
 * spinner while a stage has no size, a bar once it has. Each stage is its
 * own display, cleared when it ends, so nothing of it stays on the screen,
 * and one over within the first redraw never shows. Lines the run prints
 * meanwhile (a retry's wait, a warning) appear above it; stdout is written
 * with the line cleared first, so the two never mix.
 */
export function liveProgress(io: Io): RunProgress {
  let muted = false;
  // cli-progress writes to a stream: this one is the run's stderr, as wide as the terminal.
  const stream = {
    isTTY: true,
    get columns() {
      return io.errColumns;
    },
    write: (text: string) => (muted || io.err(text), true),
  } as unknown as NodeJS.WriteStream;
  let shown: { bars: cliProgress.MultiBar; bar: cliProgress.SingleBar; painted: boolean } | undefined;
  let drawn = 0;
  const draw = () => {
    shown?.bars.update();
    drawn = Date.now();
  };
  const end = () => {
    if (!shown) return;
    // Stopping clears the line; a stage that never drew has nothing to clear.
    muted = !shown.painted;
    shown.bars.stop();
    muted = false;
    shown = undefined;
  };
  const start = (phase: ProgressPhase, total?: number) => {
    end();
    // forceRedraw: a line printed above the bar erases it, and the next draw must put it back even if unchanged.
    const bars = new cliProgress.MultiBar({
      stream,
      format: liveLine,
      fps: 1000 / REDRAW_MS,
      forceRedraw: true,
      clearOnComplete: true,
      linewrap: true,
      barsize: 20,
      barCompleteChar: '█',
      barIncompleteChar: '░',
    });
    const stage: Stage = { phase, counted: total !== undefined };
    const current = { bars, bar: bars.create(total ?? 0, 0, stage), painted: false };
    bars.on('redraw-post', () => (current.painted = true));
    shown = current;
    // The first draw waits for the timer.
    drawn = Date.now();
  };
  return {
    start,
    advance(done, total) {
      if (!shown) return;
      if (total !== undefined) shown.bar.setTotal(total);
      shown.bar.update(done, total === undefined ? {} : { counted: true });
      // A synchronous stage gives the timer no turn: draw from here, at the timer's pace.
      if (Date.now() - drawn >= REDRAW_MS) draw();
    },
    end,
    close: end,
    io: {
      ...io,
      out(text) {
        if (!shown?.painted) return io.out(text);
        cursorTo(stream, 0);
        clearLine(stream, 0);
        io.out(text);
        draw();
      },
      err(text) {
        if (!shown?.painted) return io.err(text);
        shown.bars.log(text.endsWith('\n') ? text : `${text}\n`);
        draw();
      },
      async ask(question) {
        // A question is asked, and answered, on a still screen.
        end();
        return io.ask(question);
      },
    },
  };
}
