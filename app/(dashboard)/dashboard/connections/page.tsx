import type { Metadata } from "next";
import Link from "next/link";
import { PasswordSignInSwitch } from "@/components/connections/password-sign-in-switch";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { requireOwner } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { listConnections } from "@/lib/connections/connections";
import { PRESETS } from "@/lib/connections/presets";
import { getPrisma } from "@/lib/db";
import { firstParam, type SearchParams } from "@/lib/dashboard/paging";
import { getProjectSettings } from "@/lib/settings";
import { setPasswordSignInAction } from "./actions";

export const metadata: Metadata = { title: "Connections" };

const PATH = "/dashboard/connections";

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireOwner(PATH);
  const prisma = await getPrisma();
  const [connections, settings] = await Promise.all([listConnections(prisma, getConfig().issuer), getProjectSettings(prisma)]);
  const params = await searchParams;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Connections</h1>
        <LinkButton href={`${PATH}/new`}>Add connection</LinkButton>
      </div>
      <p className="text-sm text-slate-600">
        The ways people sign in. A project-level connection is offered by every app; an app-level one only by the first-party
        apps you choose. Third-party apps never offer app-level connections.
      </p>
      {firstParam(params.notice) === "deleted" && <Alert tone="success">The connection was deleted.</Alert>}
      <Card>
        <ul className="divide-y divide-slate-200" data-testid="connection-list">
          <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
            <span className="min-w-0 space-y-1">
              <span className="block font-medium">Email and password</span>
              <span className="block text-sm text-slate-600">
                Built in. It can be turned off only while an enabled project-level connection remains, so that everyone can still sign in.
              </span>
            </span>
            <PasswordSignInSwitch enabled={settings.password_signin_enabled} save={setPasswordSignInAction} />
          </li>
          {connections.map((connection) => (
            <li key={connection.slug} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-center sm:justify-between">
              <span className="min-w-0">
                <Link href={`${PATH}/${encodeURIComponent(connection.slug)}`} className="font-medium text-brand-700 underline break-words">
                  {connection.name}
                </Link>{" "}
                {!connection.enabled && <Badge tone="red">Disabled</Badge>}
                <span className="block font-mono text-xs text-slate-500">{connection.slug}</span>
              </span>
              <span className="text-sm text-slate-600">
                {PRESETS[connection.kind].label} · {connection.level === "project" ? "Every app" : `App-level (${connection.apps.length} ${connection.apps.length === 1 ? "app" : "apps"})`}
              </span>
            </li>
          ))}
        </ul>
        {connections.length === 0 && <p className="py-4 text-center text-sm text-slate-600">No other connections yet.</p>}
      </Card>
    </div>
  );
}
