import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LockedError } from '../../../src/errors.ts';
import { acquireFileLock } from '../../../src/providers/postgres/lock.ts';
import { tempTree } from '../../helpers/tree.ts';

/** A process that is surely gone: one that has run and exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('the store lock file', () => {
  it('holds the pid of its owner from the moment it exists, and is gone once released', async () => {
    const path = `${tempTree()}/live.lock`;
    const release = await acquireFileLock(path, 0, 'the store');
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    await release();
    expect(existsSync(path)).toBe(false);
  });

  it('turns a second run away naming the holder', async () => {
    const path = `${tempTree()}/live.lock`;
    const release = await acquireFileLock(path, 0, 'the store');
    try {
      const second = acquireFileLock(path, 0, 'the store');
      await expect(second).rejects.toThrow(LockedError);
      await expect(second).rejects.toThrow(`the store is locked by another roster run (pid ${process.pid}); wait for it, or pass --lock-timeout`);
    } finally {
      await release();
    }
  });

  it('takes over a lock whose process is gone, and one left without a pid', async () => {
    const dir = tempTree();
    for (const content of [`${await deadPid()}\n`, '']) {
      writeFileSync(`${dir}/live.lock`, content);
      const release = await acquireFileLock(`${dir}/live.lock`, 0, 'the store');
      expect(readFileSync(`${dir}/live.lock`, 'utf8')).toBe(`${process.pid}\n`);
      await release();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('waits for the holder when given time', async () => {
    const path = `${tempTree()}/live.lock`;
    const release = await acquireFileLock(path, 0, 'the store');
    setTimeout(() => void release(), 150);
    const second = await acquireFileLock(path, 5_000, 'the store');
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    await second();
  });
});
