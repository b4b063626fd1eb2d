import type { Metadata } from "next";
import { DefinitionForm } from "@/components/rbac/definition-form";
import { ScopeList } from "@/components/rbac/scope-list";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { STANDARD_SCOPES } from "@/lib/oauth/scopes";
import { listCustomScopes } from "@/lib/rbac/custom-scopes";
import { createScopeAction, deleteScopeAction, updateScopeAction } from "./actions";

export const metadata: Metadata = { title: "Scopes" };

export default async function ScopesPage() {
  await requireOwner("/dashboard/scopes");
  const scopes = await listCustomScopes(await getPrisma());
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Scopes</h1>
        <p className="text-sm text-slate-600">
          A custom scope is access to your own API that apps can ask for, such as <code className="font-mono">read:invoices</code>.
          Each one needs permissions: a user can grant it only while their roles give them all of those permissions. Add a
          scope to an app&apos;s allowed scopes to let it ask.
        </p>
      </div>
      <Card title="Define a scope">
        <DefinitionForm kind="scope" save={createScopeAction} submitLabel="Create scope" />
      </Card>
      <Card title="Custom scopes">
        <ScopeList scopes={scopes} actions={{ update: updateScopeAction, remove: deleteScopeAction }} />
      </Card>
      <Card title="Built-in scopes" description={<p>Always available, needing no permission; their names cannot be used for custom scopes.</p>}>
        <ul className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2" aria-label="Built-in scopes">
          {Object.entries(STANDARD_SCOPES).map(([name, description]) => (
            <li key={name} className="min-w-0">
              <code className="font-mono break-all text-slate-900">{name}</code>
              <span className="text-slate-600"> · {description}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
