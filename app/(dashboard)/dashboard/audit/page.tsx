import type { Metadata } from "next";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { Pager } from "@/components/dashboard/pager";
import { buttonStyles } from "@/components/ui/button-styles";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { listAudit } from "@/lib/audit";
import { AUDIT_ACTION_NAMES } from "@/lib/audit-log/actions";
import { auditAppChoices } from "@/lib/audit-log/app-choices";
import { CSV_EXPORT_LIMIT } from "@/lib/audit-log/csv";
import { auditHref, auditPage, filtering, filterValues, parseAuditFilter } from "@/lib/audit-log/filters";
import { namedAuditEvents } from "@/lib/audit-log/targets";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import type { SearchParams } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const PATH = "/dashboard/audit";

type Props = { searchParams: Promise<SearchParams> };

export default async function AuditPage({ searchParams }: Props) {
  await requireOwner(PATH);
  const params = await searchParams;
  const values = filterValues(params);
  const parsed = parseAuditFilter(values);
  const { cursor, perPage, keptPerPage } = auditPage(params, PAGE_SIZE);
  const prisma = await getPrisma();
  const [apps, listed] = await Promise.all([
    auditAppChoices(prisma),
    parsed.ok ? listAudit(prisma, { limit: perPage, cursor, filter: parsed.filter }) : null,
  ]);
  const events = listed ? await namedAuditEvents(prisma, listed.events) : [];
  const filtered = filtering(values);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <Card
        description={
          <p>
            Who did what, newest first, times in UTC: changes made in the dashboard and the API, sign-ins (failed ones too) and consents. Secrets,
            keys and passwords are never recorded.
          </p>
        }
      >
        <AuditFilters action={PATH} values={values} errors={parsed.ok ? {} : parsed.errors} actions={AUDIT_ACTION_NAMES} apps={apps} perPage={keptPerPage} />
        {parsed.ok ? (
          <>
            <p className="mb-3 text-sm text-slate-600">
              <a href={auditHref(`${PATH}/export`, values)} download className={`${buttonStyles.base} ${buttonStyles.secondary}`} data-testid="audit-csv">
                Download CSV
              </a>{" "}
              {filtered ? "The events matching these filters" : "Every event"}, newest first, at most {CSV_EXPORT_LIMIT.toLocaleString("en")}.
            </p>
            <AuditTable events={events} empty={filtered ? "No event matches these filters." : cursor ? "No more events." : "Nothing has happened yet."} />
            <Pager
              cursor={cursor}
              nextCursor={listed!.nextCursor}
              href={(next) => auditHref(PATH, values, { perPage: keptPerPage, cursor: next })}
              labels={{ first: "← Newest", next: "Older events →" }}
            />
          </>
        ) : (
          <Alert>Some filters are not valid: correct them above to see the events.</Alert>
        )}
      </Card>
    </div>
  );
}
