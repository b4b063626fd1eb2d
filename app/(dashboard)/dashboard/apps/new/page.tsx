import type { Metadata } from "next";
import Link from "next/link";
import { CreateAppForm, type TypeOption } from "@/components/apps/create-app-form";
import { redirectUriHint, typeFacts } from "@/components/apps/type-facts";
import { requireOwner } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { CLIENT_POLICIES, CLIENT_TYPE_LABELS, CLIENT_TYPES, type ClientType } from "@/lib/clients/policy";
import { createAppAction } from "../actions";

export const metadata: Metadata = { title: "Create app" };

/** First-party before third-party, confidential before public: the 2×2 grid, read row by row. */
function gridOrder(type: ClientType) {
  const policy = CLIENT_POLICIES[type];
  return (policy.ownership === "first_party" ? 0 : 2) + (policy.confidential ? 0 : 1);
}

export default async function NewAppPage() {
  await requireOwner("/dashboard/apps/new");
  const types = [...CLIENT_TYPES].sort((a, b) => gridOrder(a) - gridOrder(b));
  const options: TypeOption[] = types.map((type) => ({
    type,
    ...CLIENT_TYPE_LABELS[type],
    facts: typeFacts(CLIENT_POLICIES[type], getConfig()),
    redirectHint: redirectUriHint(CLIENT_POLICIES[type], getConfig()),
  }));
  // Dashboard-created apps default to first-party confidential (first in grid order), as in Auth0.
  const defaultType = types[0]!;

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Link href="/dashboard/apps" className="text-sm text-brand-700 underline">
          ← All apps
        </Link>
        <h1 className="text-2xl font-semibold">Create an app</h1>
      </div>
      <CreateAppForm
        options={options}
        defaultType={defaultType}
        columnHeadings={["Has a backend: confidential", "Runs on the user's device: public"]}
        createApp={createAppAction}
      />
    </div>
  );
}
