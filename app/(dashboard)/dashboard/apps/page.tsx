import type { Metadata } from "next";
import { Pager } from "@/components/dashboard/pager";
import { SearchForm } from "@/components/dashboard/search-form";
import { AppList } from "@/components/apps/app-list";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requireOwner } from "@/lib/auth/session";
import { isAppCursor, listApps } from "@/lib/clients/apps";
import { lastUsedOf } from "@/lib/clients/last-authentication";
import { getPrisma } from "@/lib/db";
import { firstParam, listPage, type SearchParams } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Apps" };

const PAGE_SIZE = 20;
const PATH = "/dashboard/apps";

type Props = { searchParams: Promise<SearchParams> };

export default async function AppsPage({ searchParams }: Props) {
  await requireOwner(PATH);
  const params = await searchParams;
  const { q, cursor, perPage, keptPerPage, href } = listPage(PATH, params, { defaultSize: PAGE_SIZE, isCursor: isAppCursor });
  const prisma = await getPrisma();
  const { apps, nextCursor } = await listApps(prisma, { limit: perPage, cursor, search: q || undefined });
  const lastUsed = await lastUsedOf(prisma, apps.map((a) => a.client_id));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Apps</h1>
        <LinkButton href="/dashboard/apps/new">Create app</LinkButton>
      </div>
      {firstParam(params.notice) === "deleted" && <Alert tone="success">The app was deleted.</Alert>}
      <Card>
        <SearchForm
          action={PATH}
          id="app-search"
          label="Search apps"
          placeholder="Name or client ID"
          q={q}
          perPage={keptPerPage}
          results="Apps"
          showAll="Show all apps"
        />
        {apps.length > 0 ? (
          <AppList apps={apps} lastUsed={lastUsed} />
        ) : (
          <p className="py-6 text-center text-sm text-slate-600">
            {q ? "No app matches this search." : cursor ? "No more apps." : "No apps yet. Create your first one."}
          </p>
        )}
        <Pager cursor={cursor} nextCursor={nextCursor} href={href} />
      </Card>
    </div>
  );
}
