import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/dashboard/pager";
import { AppList } from "@/components/apps/app-list";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requireOwner } from "@/lib/auth/session";
import { isAppCursor, listApps } from "@/lib/clients/apps";
import { getPrisma } from "@/lib/db";
import { firstParam, pageSize } from "@/lib/dashboard/paging";

export const metadata: Metadata = { title: "Apps" };

const PAGE_SIZE = 20;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = firstParam;

export default async function AppsPage({ searchParams }: Props) {
  await requireOwner("/dashboard/apps");
  const params = await searchParams;
  const q = one(params.q)?.trim() ?? "";
  // A cursor is what the previous page linked to; anything else starts over.
  const cursor = [one(params.cursor)].find((c): c is string => !!c && isAppCursor(c));
  const perPage = pageSize(one(params.per_page), PAGE_SIZE);
  const { apps, nextCursor } = await listApps(await getPrisma(), { limit: perPage, cursor, search: q || undefined });
  const pageLink = (next: string | null) =>
    `/dashboard/apps?${new URLSearchParams({
      ...(q ? { q } : {}),
      ...(perPage !== PAGE_SIZE ? { per_page: String(perPage) } : {}),
      ...(next ? { cursor: next } : {}),
    })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Apps</h1>
        <LinkButton href="/dashboard/apps/new">Create app</LinkButton>
      </div>
      {one(params.notice) === "deleted" && <Alert tone="success">The app was deleted.</Alert>}
      <Card>
        <form role="search" method="get" action="/dashboard/apps" className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end">
          {perPage !== PAGE_SIZE && <input type="hidden" name="per_page" value={perPage} />}
          <div className="min-w-0 flex-1 space-y-1">
            <label htmlFor="app-search" className="block text-sm font-medium text-slate-700">
              Search apps
            </label>
            <input
              id="app-search"
              name="q"
              type="search"
              defaultValue={q}
              placeholder="Name or client ID"
              className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-none"
            />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
        {q && (
          <p className="mb-2 text-sm text-slate-600">
            Apps matching “{q}”.{" "}
            <Link href="/dashboard/apps" className="text-brand-700 underline">
              Show all apps
            </Link>
          </p>
        )}
        {apps.length > 0 ? (
          <AppList apps={apps} />
        ) : (
          <p className="py-6 text-center text-sm text-slate-600">
            {q ? "No app matches this search." : cursor ? "No more apps." : "No apps yet. Create your first one."}
          </p>
        )}
        <Pager cursor={cursor} nextCursor={nextCursor} href={pageLink} />
      </Card>
    </div>
  );
}
