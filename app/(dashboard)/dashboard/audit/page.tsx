import type { Metadata } from "next";
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { Card } from "@/components/ui/card";
import { listAudit } from "@/lib/audit";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { firstParam, pageSize } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  await requireOwner("/dashboard/audit");
  const params = await searchParams;
  const cursor = firstParam(params.cursor);
  // Event ids are uuids; anything else cannot be a cursor.
  const validCursor = cursor && /^[0-9a-f-]{36}$/i.test(cursor) ? cursor : undefined;
  const perPage = pageSize(firstParam(params.per_page), PAGE_SIZE);
  const { events, nextCursor } = await listAudit(await getPrisma(), { limit: perPage, cursor: validCursor });
  const pageLink = (next: string) =>
    `/dashboard/audit?${new URLSearchParams({ ...(perPage !== PAGE_SIZE ? { per_page: String(perPage) } : {}), cursor: next })}`;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <Card description={<p>Who changed what, newest first. Secrets and keys are never recorded.</p>}>
        <AuditTable events={events} />
        {(validCursor || nextCursor) && (
          <nav aria-label="Pages" className="mt-4 flex flex-wrap justify-between gap-2 border-t border-slate-100 pt-4 text-sm">
            {validCursor ? (
              <Link
                href={perPage !== PAGE_SIZE ? `/dashboard/audit?per_page=${perPage}` : "/dashboard/audit"}
                className="text-brand-700 underline"
              >
                ← Newest
              </Link>
            ) : (
              <span />
            )}
            {nextCursor && (
              <Link href={pageLink(nextCursor)} className="text-brand-700 underline" rel="next">
                Older events →
              </Link>
            )}
          </nav>
        )}
      </Card>
    </div>
  );
}
