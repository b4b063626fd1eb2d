import { auditCsvStream, csvFilename } from "@/lib/audit-log/csv";
import { filterValues, parseAuditFilter } from "@/lib/audit-log/filters";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";

export const dynamic = "force-dynamic";

/** `GET /dashboard/audit/export?…filters`: the filtered audit log as CSV (owner only). */
export async function GET(request: Request): Promise<Response> {
  await requireOwner("/dashboard/audit");
  const parsed = parseAuditFilter(filterValues(Object.fromEntries(new URL(request.url).searchParams)));
  if (!parsed.ok) {
    const problems = Object.entries(parsed.errors).map(([field, message]) => `${field} ${message}`);
    return new Response(`The filters are not valid: ${problems.join("; ")}.\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  }
  return new Response(auditCsvStream(await getPrisma(), parsed.filter), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFilename(new Date())}"`,
      "Cache-Control": "no-store",
    },
  });
}
