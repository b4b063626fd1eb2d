"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { AppChoice } from "@/lib/connections/app-choices";
import { ConnectionForm, type ConnectionFormAction } from "./connection-form";

/** "Add connection": on success, its page (which shows the redirect URI to register at the provider). */
export function CreateConnection({ apps, create }: { apps: readonly AppChoice[]; create: ConnectionFormAction<{ slug: string }> }) {
  const router = useRouter();
  const [leaving, setLeaving] = useState(false);
  if (leaving) return <p className="text-sm text-slate-600">Opening the connection…</p>;
  return (
    <ConnectionForm
      mode="create"
      apps={apps}
      submit={create}
      onSaved={({ slug }) => {
        setLeaving(true);
        router.replace(`/dashboard/connections/${encodeURIComponent(slug)}?created=1`);
      }}
    />
  );
}
