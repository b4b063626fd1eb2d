import type { Metadata } from "next";
import Link from "next/link";
import { AuthorizedApps } from "@/components/account/authorized-apps";
import { LinkedIdentities } from "@/components/account/linked-identities";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { listIdentities } from "@/lib/connections/identities";
import { getPrisma } from "@/lib/db";
import { listAuthorizedApps } from "@/lib/grants/authorized-apps";
import { describeScope } from "@/lib/oauth/scopes";
import { revokeAuthorizedAppAction, unlinkIdentityAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

type Props = { searchParams: Promise<{ notice?: string }> };

export default async function AccountPage({ searchParams }: Props) {
  const user = await requireUser("/account");
  const { notice } = await searchParams;
  const prisma = await getPrisma();
  const identities = (await listIdentities(prisma, user.id)).map((identity) => ({
    id: identity.id,
    connectionName: identity.connection.name,
    connectionEnabled: identity.connection.enabled,
    email: identity.email,
    createdAt: identity.createdAt.toISOString(),
    lastSignInAt: identity.lastSignInAt.toISOString(),
  }));
  const authorized = (await listAuthorizedApps(prisma, user.id)).map((app) => ({
    clientId: app.clientId,
    name: app.name,
    host: app.clientUri ? new URL(app.clientUri).host : null,
    ownership: app.ownership,
    scopes: app.scopes.map((name) => ({ name, description: describeScope(name) })),
    grantedAt: app.grantedAt.toISOString(),
  }));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Your account</h1>
      {notice === "owner-only" && (
        <Alert>The dashboard is only for project owners. Your account is an end-user account.</Alert>
      )}
      <Card title="Profile">
        <dl className="grid gap-3 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Email</dt>
          <dd data-testid="account-email">{user.email}</dd>
          {user.name && (
            <>
              <dt className="text-slate-500">Name</dt>
              <dd>{user.name}</dd>
            </>
          )}
          <dt className="text-slate-500">Role</dt>
          <dd>{user.role === "owner" ? "Project owner" : "End user"}</dd>
          <dt className="text-slate-500">Member since</dt>
          <dd>{user.createdAt.toISOString().slice(0, 10)}</dd>
        </dl>
      </Card>
      <Card title="Sign-in methods" description={<p>Accounts at other providers you sign in with.</p>}>
        <LinkedIdentities identities={identities} unlink={unlinkIdentityAction} />
      </Card>
      <Card title="Authorized apps" description={<p>Apps you have allowed to access your account.</p>}>
        <AuthorizedApps apps={authorized} revoke={revokeAuthorizedAppAction} />
      </Card>
      <div className="flex flex-wrap gap-3">
        {user.role === "owner" && (
          <Link
            href="/dashboard"
            className="inline-flex min-h-10 items-center rounded-lg bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-600/90"
          >
            Open the dashboard
          </Link>
        )}
        <SignOutButton />
      </div>
    </div>
  );
}
