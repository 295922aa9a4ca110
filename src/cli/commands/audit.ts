import { resolve } from 'node:path';
import { verifyChain } from '../../audit/chain.ts';
import { verifyTrailFile } from '../../audit/file.ts';
import { ExitCode, UsageError } from '../../errors.ts';
import { openProvider, type GlobalOptions } from '../context.ts';
import type { Io } from '../io.ts';

export async function auditVerify(file: string | undefined, opts: GlobalOptions & { store?: boolean }, io: Io): Promise<number> {
  const path = resolve(io.cwd, file ?? opts.auditLog);
  const results: { what: string; ok: boolean; count: number; firstBad?: number; reason?: string }[] = [{ what: file ?? opts.auditLog, ...verifyTrailFile(path) }];
  if (opts.store) {
    const provider = await openProvider(opts, io);
    try {
      if (!provider.auditStore) throw new UsageError(`the ${provider.describe().name} provider has no audit store of its own; its trail is the JSON-lines file`);
      results.push({ what: `the ${provider.describe().name} audit store`, ...verifyChain(await provider.auditStore.events()) });
    } finally {
      await provider.close();
    }
  }
  let ok = true;
  for (const r of results) {
    if (r.ok) io.out(`${r.what}: OK, ${r.count} event(s), hash chain intact\n`);
    else {
      ok = false;
      io.out(`${r.what}: TAMPERED at event ${r.firstBad}: ${r.reason}\n`);
    }
  }
  return ok ? ExitCode.ok : ExitCode.error;
}
