import type { Metadata } from "next";
import { DefaultRoleForm } from "@/components/rbac/default-role-form";
import { DefinitionForm } from "@/components/rbac/definition-form";
import { RoleList } from "@/components/rbac/role-list";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { getDefaultRole, listRoles } from "@/lib/rbac/roles";
import { createRoleAction, deleteRoleAction, setDefaultRoleAction, updateRoleAction } from "./actions";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage() {
  await requireOwner("/dashboard/roles");
  const prisma = await getPrisma();
  const [roles, defaultRole] = await Promise.all([listRoles(prisma), getDefaultRole(prisma)]);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Roles</h1>
        <p className="text-sm text-slate-600">
          A role is a set of permissions. Users hold the permissions of all their roles, and can grant an app the custom
          scopes those permissions allow. Assign roles on the Users page.
        </p>
      </div>
      <Card title="Create a role">
        <DefinitionForm kind="role" save={createRoleAction} submitLabel="Create role" />
      </Card>
      <Card title="Default role">
        <DefaultRoleForm roles={roles.map((r) => r.name)} current={defaultRole} save={setDefaultRoleAction} />
      </Card>
      <Card title="Roles">
        <RoleList roles={roles} actions={{ update: updateRoleAction, remove: deleteRoleAction }} />
      </Card>
    </div>
  );
}
