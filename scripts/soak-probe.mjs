// Preloaded into our server by `npm run soak` only (node --import, with
// --expose-gc): answers the soak's "memory" message on the IPC channel the
// soak opened when it started the server, after a full garbage collection
// so that heap figures compare. Nothing is exposed over HTTP; a server
// started any other way has no channel and this does nothing.
if (process.send) {
  process.on("message", (message) => {
    if (message?.type !== "memory") return;
    globalThis.gc?.();
    process.send?.({ type: "memory", usage: process.memoryUsage() });
  });
}
