import type { Metadata } from "next";
import { Pager } from "@/components/dashboard/pager";
import { SearchForm } from "@/components/dashboard/search-form";
import { UserRoleList } from "@/components/rbac/user-role-list";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { listPage, type SearchParams } from "@/lib/dashboard/paging";
import { listRoles } from "@/lib/rbac/roles";
import { isUserCursor, listUsersWithRoles } from "@/lib/rbac/users-with-roles";
import { LockedSignIns } from "@/components/users/locked-sign-ins";
import { lockedSignIns, SIGNIN_LIMITS } from "@/lib/auth/signin-throttle";
import { connectionNamesByUser } from "@/lib/connections/identities";
import { assignRoleAction, unassignRoleAction, unlockSignInAction } from "./actions";

export const metadata: Metadata = { title: "Users" };

const PAGE_SIZE = 20;
const PATH = "/dashboard/users";

type Props = { searchParams: Promise<SearchParams> };

export default async function UsersPage({ searchParams }: Props) {
  await requireOwner(PATH);
  const { q, cursor, perPage, keptPerPage, href } = listPage(PATH, await searchParams, { defaultSize: PAGE_SIZE, isCursor: isUserCursor });
  const prisma = await getPrisma();
  const [{ users, nextCursor }, roles, locked] = await Promise.all([
    listUsersWithRoles(prisma, { limit: perPage, cursor, search: q || undefined }),
    listRoles(prisma),
    lockedSignIns(prisma),
  ]);
  const connections = Object.fromEntries(await connectionNamesByUser(prisma, users.map((u) => u.id)));

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
        <SearchForm
          action={PATH}
          id="user-search"
          label="Search users"
          placeholder="Email or name"
          q={q}
          perPage={keptPerPage}
          results="Users"
          showAll="Show all users"
          freeText={false}
        />
        {users.length > 0 ? (
          <UserRoleList users={users} roles={roles.map((r) => r.name)} actions={{ assign: assignRoleAction, unassign: unassignRoleAction }} connections={connections} />
        ) : (
          <p className="py-6 text-center text-sm text-slate-600">{q ? "No user matches this search." : cursor ? "No more users." : "No users yet."}</p>
        )}
        <Pager cursor={cursor} nextCursor={nextCursor} href={href} />
      </Card>
      <Card
        title="Locked sign-ins"
        description={
          <p>
            After {SIGNIN_LIMITS.account.attempts} failed sign-ins in {SIGNIN_LIMITS.account.windowSeconds / 60} minutes an account is locked
            until that window ends. Unlock it here once its owner has shown who they are.
          </p>
        }
      >
        <LockedSignIns locked={locked} unlock={unlockSignInAction} />
      </Card>
    </div>
  );
}
