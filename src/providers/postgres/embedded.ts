import { setFlagsFromString } from 'node:v8';
import type { Extension, PGlite, PGliteOptions } from '@electric-sql/pglite';

/** The part of Emscripten's file system the device needs (PGlite runs PostgreSQL on it). */
interface EmscriptenFs {
  makedev(major: number, minor: number): number;
  registerDevice(dev: number, ops: DeviceOps): void;
  mkdev(path: string, dev: number): void;
  unlink(path: string): void;
}
interface DeviceStream {
  path: string;
  position: number;
}
interface DeviceOps {
  open(stream: DeviceStream): void;
  close(stream: DeviceStream): void;
  write(stream: DeviceStream, heap: Int8Array, offset: number, length: number): number;
  llseek(stream: DeviceStream, offset: number, whence: number): number;
}

/** One COPY's output, in one growing buffer: PostgreSQL writes it ~1 KB at a time. */
class Collected {
  length = 0;
  constructor(public bytes: Buffer) {}

  append(from: Buffer, offset: number, length: number): void {
    if (this.length + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    from.copy(this.bytes, this.length, offset, offset + length);
    this.length += length;
  }
}

/** What roster adds to PGlite: COPY into memory, collected for the caller that asked for it. */
export interface CopyCapture {
  /**
   * Runs `copy(path)` (a statement writing COPY's output to `path`) and gives
   * `decode` the bytes written; they are reused once it returns.
   */
  capture<T>(copy: (path: string) => Promise<unknown>, decode: (bytes: Buffer) => T): Promise<T>;
}

const MAJOR = 65; // PGlite's own /dev/blob is 64.

/**
 * A PGlite extension, through its public setup hook: a character device COPY
 * writes into, kept in one growing buffer. PGlite's own `/dev/blob` keeps each
 * of PostgreSQL's ~1 KB writes as a part of a Blob, and reading 10 MB back out
 * of such a Blob was a quarter of the live read at 100,000 users. Every
 * capture gets a path of its own, so two COPYs queued on one instance can never
 * read each other's output, whatever order their continuations run in.
 */
function copyDevice(): Extension<CopyCapture> {
  let fs: EmscriptenFs | undefined;
  let next = 0;
  const open = new Map<string, Collected>();
  // The last output's buffer, for the next: a table's output is about the size of the last one's.
  let spare: Buffer | undefined;
  // A byte view of PostgreSQL's memory, renewed when the memory grows (its old buffer is then detached).
  let heapView: Buffer | undefined;
  const bytesOf = (heap: Int8Array) =>
    heapView && heapView.buffer === heap.buffer && heapView.byteOffset === heap.byteOffset && heapView.length === heap.byteLength
      ? heapView
      : (heapView = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength));
  const ops: DeviceOps = {
    open: () => undefined,
    close: () => undefined,
    write: (stream, heap, offset, length) => {
      const into = open.get(stream.path);
      if (!into) throw new Error(`nothing is collecting ${stream.path}`);
      into.append(bytesOf(heap), offset, length);
      return length;
    },
    // COPY only appends; a seek stays where the stream is.
    llseek: (stream, offset, whence) => (whence === 1 ? stream.position + offset : offset),
  };
  const capture: CopyCapture = {
    async capture(copy, decode) {
      if (!fs) throw new Error('the COPY device is not set up (open PGlite with openPglite)');
      const path = `/dev/roster-copy-${next++}`;
      const collected = new Collected(spare ?? Buffer.allocUnsafe(1 << 16));
      spare = undefined;
      open.set(path, collected);
      fs.mkdev(path, fs.makedev(MAJOR, 0));
      try {
        await copy(path);
        return decode(collected.bytes.subarray(0, collected.length));
      } finally {
        spare = collected.bytes;
        open.delete(path);
        fs.unlink(path);
      }
    },
  };
  return {
    name: 'roster-copy',
    setup: async (_pg, emscriptenOpts: { preRun?: ((mod: { FS: EmscriptenFs }) => void)[] }) => {
      const preRun = (mod: { FS: EmscriptenFs }) => {
        fs = mod.FS;
        fs.registerDevice(fs.makedev(MAJOR, 0), ops);
      };
      return { emscriptenOpts: { ...emscriptenOpts, preRun: [...(emscriptenOpts.preRun ?? []), preRun] }, namespaceObj: capture };
    },
  };
}

/** PGlite as roster opens it: with the COPY device the live read uses. */
export type EmbeddedDb = PGlite & { copyDevice: CopyCapture };

/**
 * PostgreSQL in WebAssembly runs for seconds in a roster run, not for hours:
 * V8's optimizing compiler (TurboFan), started on each function that gets
 * hot, spent more CPU compiling PGlite's functions (~0.6 s of a 100,000-user
 * plan's read, on the cores the declaration's load needs) than its code
 * saved; applies were no slower without it. With a tiering budget this high
 * they stay in the baseline compiler (Liftoff) unless a run is very long. V8
 * reads the budget when a module is compiled: set before the first PGlite
 * starts, for the whole process (flags are global; nothing else here is
 * WebAssembly).
 */
const WASM_TIERING = '--wasm-tiering-budget=1000000000';

/**
 * Opens (or creates) an embedded store; `dataDir` absent means in memory.
 * PGlite is loaded here, not when this module is: its JavaScript costs ~0.13 s
 * to load, which a run on a server, or a plan whose store was read on a
 * worker thread, never needs on the main thread.
 */
export async function openPglite(dataDir?: string, options: PGliteOptions = {}): Promise<EmbeddedDb> {
  setFlagsFromString(WASM_TIERING);
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create({ ...options, ...(dataDir && { dataDir }), extensions: { ...options.extensions, copyDevice: copyDevice() } });
}
