// Runs once when the Next.js server starts: migrate the database and make
// sure an owner can be created, before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/startup");
  await startServer();
}
