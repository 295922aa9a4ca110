import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { rosterProvider as RosterProviderFactory, RosterProvider } from './provider.ts';

/*
 * Pulumi serialises a dynamic provider with everything its functions
 * capture and runs it in another process. What this object captures is two
 * file URLs (roster's provider module, and tsx's loader to compile it) and
 * nothing else: no credential, no state. The process imports roster at run
 * time, and the methods read secrets and overrides there (configure, the
 * environment), so neither is ever written into the stack's state.
 */

type Method = Exclude<keyof RosterProvider, 'configure'>;
type ConfigureRequest = Parameters<RosterProvider['configure']>[0];

/** Where the provider module and the TypeScript loader are, as file URLs. */
export function moduleUrls(): { provider: string; tsx: string } {
  return {
    provider: new URL('./provider.ts', import.meta.url).href,
    // The ES module build: the host process loads it with import().
    tsx: pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href,
  };
}

/** The object handed to `pulumi.dynamic.Resource`: each method loads roster's provider and calls it. */
export function hostedProvider(urls: { provider: string; tsx: string } = moduleUrls()) {
  const state: { loaded?: Promise<RosterProvider>; config?: ConfigureRequest } = {};
  // import() built at run time: a bundler or test runner rewrites the import() syntax into a helper of its own, which Pulumi cannot serialise.
  const importUrl = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;
  const load = (): Promise<RosterProvider> =>
    (state.loaded ??= (async () => {
      const tsx = (await importUrl(urls.tsx)) as { register?: () => void; default?: { register: () => void } };
      (tsx.register ?? tsx.default!.register)();
      const { rosterProvider } = (await importUrl(urls.provider)) as { rosterProvider: typeof RosterProviderFactory };
      const provider = rosterProvider();
      if (state.config) await provider.configure(state.config);
      return provider;
    })());
  const call =
    <M extends Method>(method: M) =>
    async (...args: Parameters<RosterProvider[M]>): Promise<Awaited<ReturnType<RosterProvider[M]>>> =>
      ((await load())[method] as (...a: unknown[]) => Promise<Awaited<ReturnType<RosterProvider[M]>>>)(...args);
  return {
    async configure(req: ConfigureRequest) {
      state.config = req;
    },
    check: call('check'),
    diff: call('diff'),
    create: call('create'),
    read: call('read'),
    update: call('update'),
    delete: call('delete'),
  };
}
