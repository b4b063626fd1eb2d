import type { Metadata } from "next";
import { ProjectSettingsForm } from "@/components/settings/project-settings-form";
import { Card } from "@/components/ui/card";
import { requireOwner } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db";
import { getProjectSettings } from "@/lib/settings";
import { saveProjectSettingsAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireOwner("/dashboard/settings");
  const settings = await getProjectSettings(await getPrisma());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <Card
        title="Self-registration"
        description={
          <p>
            Let third-party developers bring their own apps without asking you first. These switches are stored now;
            the registration endpoints that use them arrive in a later release, so turning them on has no effect yet.
          </p>
        }
      >
        <ProjectSettingsForm values={settings} save={saveProjectSettingsAction} />
      </Card>
    </div>
  );
}
