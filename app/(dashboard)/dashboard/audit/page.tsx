import type { Metadata } from "next";
import { AuditTable } from "@/components/audit/audit-table";
import { Pager } from "@/components/dashboard/pager";
import { Card } from "@/components/ui/card";
import { listAudit } from "@/lib/audit";
import { requireOwner } from "@/lib/auth/session";
import { isUuid } from "@/lib/crypto/uuid";
import { getPrisma } from "@/lib/db";
import { listPage, type SearchParams } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const PATH = "/dashboard/audit";

type Props = { searchParams: Promise<SearchParams> };

export default async function AuditPage({ searchParams }: Props) {
  await requireOwner(PATH);
  // The cursor is the last event's id (a uuid, as the previous page linked it).
  const { cursor, perPage, href } = listPage(PATH, await searchParams, { defaultSize: PAGE_SIZE, isCursor: isUuid });
  const { events, nextCursor } = await listAudit(await getPrisma(), { limit: perPage, cursor });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <Card description={<p>Who changed what, newest first. Secrets and keys are never recorded.</p>}>
        <AuditTable events={events} />
        <Pager cursor={cursor} nextCursor={nextCursor} href={href} labels={{ first: "← Newest", next: "Older events →" }} />
      </Card>
    </div>
  );
}
