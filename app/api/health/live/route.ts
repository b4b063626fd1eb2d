// GET /api/health/live: liveness only (the process serves requests), never
// touching the database, so an orchestrator does not restart instances
// while PostgreSQL is briefly away. `npm run bench` uses it as the floor.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
