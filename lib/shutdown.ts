// What the server does before it exits, registered by start-up code in
// whichever bundle it runs (Next's instrumentation, the route bundles):
// the registry lives on globalThis so server.ts sees every registration.
const KEY = Symbol.for("connected-apps.shutdown");
type Holder = { [KEY]?: (() => Promise<void>)[] };

/** Runs `task` when the server stops on SIGINT/SIGTERM (server.ts), before it exits. */
export function onShutdown(task: () => Promise<void>): void {
  const holder = globalThis as Holder;
  (holder[KEY] ??= []).push(task);
}

/** Runs every registered task, each at most `timeoutMs`; a failing task is logged and the others still run. */
export async function runShutdownTasks(timeoutMs = 3_000): Promise<void> {
  const tasks = (globalThis as Holder)[KEY] ?? [];
  await Promise.all(
    tasks.map((task) =>
      Promise.race([task(), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]).catch((e: unknown) =>
        console.error(`connected-apps: a shutdown task failed: ${e instanceof Error ? e.message : String(e)}`),
      ),
    ),
  );
}
