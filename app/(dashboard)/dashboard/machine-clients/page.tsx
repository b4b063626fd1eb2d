import type { Metadata } from "next";
import Link from "next/link";
import { WhenToUseMachineClients } from "@/components/machine-clients/when-to-use";
import { Pager } from "@/components/dashboard/pager";
import { SearchForm } from "@/components/dashboard/search-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requireOwner } from "@/lib/auth/session";
import { isAppCursor } from "@/lib/clients/apps";
import { listMachineClients } from "@/lib/clients/machine-clients";
import { getPrisma } from "@/lib/db";
import { firstParam, listPage, type SearchParams } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Machine clients" };

const PATH = "/dashboard/machine-clients";

export default async function MachineClientsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOwner(PATH);
  const params = await searchParams;
  const { q, cursor, perPage, keptPerPage, href } = listPage(PATH, params, { defaultSize: 20, isCursor: isAppCursor });
  const { clients, nextCursor } = await listMachineClients(await getPrisma(), { limit: perPage, cursor, search: q || undefined });

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Machine clients</h1>
        <LinkButton href={`${PATH}/new`}>Create machine client</LinkButton>
      </div>
      {firstParam(params.notice) === "deleted" && <Alert tone="success">The machine client was deleted.</Alert>}
      <Card>
        <WhenToUseMachineClients />
      </Card>
      <Card>
        <SearchForm action={PATH} id="machine-client-search" label="Search machine clients" placeholder="Name or client ID" q={q} perPage={keptPerPage} results="Machine clients" showAll="Show all machine clients" />
        {clients.length > 0 ? (
          <ul className="divide-y divide-slate-200" data-testid="machine-client-list">
            {clients.map((client) => (
              <li key={client.client_id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
                <span className="min-w-0">
                  <Link href={`${PATH}/${encodeURIComponent(client.client_id)}`} className="font-medium text-brand-700 underline break-words">
                    {client.name}
                  </Link>{" "}
                  {client.status !== "active" && <Badge tone="red">Disabled</Badge>}
                  <span className="block font-mono text-xs text-slate-500">{client.client_id}</span>
                </span>
                <span className="text-sm text-slate-600">
                  {client.grants.length === 0 ? "No resource server granted" : client.grants.map((g) => g.resource).join(", ")}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="py-6 text-center text-sm text-slate-600">
            {q ? "No machine client matches this search." : cursor ? "No more machine clients." : "No machine clients yet."}
          </p>
        )}
        <Pager cursor={cursor} nextCursor={nextCursor} href={href} />
      </Card>
    </div>
  );
}
