import type { Metadata } from "next";
import Link from "next/link";
import { Pager } from "@/components/dashboard/pager";
import { UserRoleList } from "@/components/rbac/user-role-list";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { firstParam, pageSize } from "@/lib/dashboard/paging";
import { listRoles } from "@/lib/rbac/roles";
import { isUserCursor, listUsersWithRoles } from "@/lib/rbac/users-with-roles";
import { isUnstorable } from "@/lib/text";
import { assignRoleAction, unassignRoleAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

const PAGE_SIZE = 20;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UsersPage({ searchParams }: Props) {
  await requireOwner("/dashboard/users");
  const params = await searchParams;
  const typed = firstParam(params.q)?.trim().slice(0, 200) ?? "";
  // Text no stored email can hold finds nobody; it is not an error worth a page.
  const q = isUnstorable(typed) ? "" : typed;
  // A cursor is what the previous page linked to; anything else starts over.
  const cursor = [firstParam(params.cursor)].find((c): c is string => !!c && isUserCursor(c));
  const perPage = pageSize(firstParam(params.per_page), PAGE_SIZE);
  const prisma = await getPrisma();
  const [{ users, nextCursor }, roles] = await Promise.all([
    listUsersWithRoles(prisma, { limit: perPage, cursor, search: q || undefined }),
    listRoles(prisma),
  ]);
  const pageLink = (next: string | null) =>
    `/dashboard/users?${new URLSearchParams({
      ...(q ? { q } : {}),
      ...(perPage !== PAGE_SIZE ? { per_page: String(perPage) } : {}),
      ...(next ? { cursor: next } : {}),
    })}`;

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Users</h1>
        <p className="text-sm text-slate-600">
          Everyone with an account, and their roles. A user&apos;s roles decide which custom scopes they can grant to apps;
          a change applies to their next sign-in to an app and their apps&apos; next token refresh.
        </p>
      </div>
      <Card>
        <form role="search" method="get" action="/dashboard/users" className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end">
          {perPage !== PAGE_SIZE && <input type="hidden" name="per_page" value={perPage} />}
          <div className="min-w-0 flex-1 space-y-1">
            <label htmlFor="user-search" className="block text-sm font-medium text-slate-700">
              Search users
            </label>
            <input
              id="user-search"
              name="q"
              type="search"
              defaultValue={q}
              placeholder="Email or name"
              autoCapitalize="off"
              spellCheck={false}
              className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:ring-2 focus:ring-brand-600/30 focus:outline-none"
            />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
        {q && (
          <p className="mb-2 text-sm break-words text-slate-600">
            Users matching “{q}”.{" "}
            <Link href="/dashboard/users" className="text-brand-700 underline">
              Show all users
            </Link>
          </p>
        )}
        {users.length > 0 ? (
          <UserRoleList users={users} roles={roles.map((r) => r.name)} actions={{ assign: assignRoleAction, unassign: unassignRoleAction }} />
        ) : (
          <p className="py-6 text-center text-sm text-slate-600">{q ? "No user matches this search." : cursor ? "No more users." : "No users yet."}</p>
        )}
        <Pager cursor={cursor} nextCursor={nextCursor} href={pageLink} />
      </Card>
    </div>
  );
}
