"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/dashboard/action-result";
import { DateTime } from "../dashboard/date-time";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";

/**
 * A CIMD app's metadata document: where it lives, when it was fetched, and
 * a "Refresh now" button. Says plainly that refreshes overwrite edits.
 */
export function CimdMetadataPanel({
  clientId,
  fetchedAt,
  expiresAt,
  refreshNow,
}: {
  clientId: string;
  fetchedAt: string | null;
  expiresAt: string | null;
  refreshNow: (clientId: string) => Promise<ActionResult>;
}) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);

  function run() {
    setResult(null);
    startTransition(async () => {
      try {
        setResult(await refreshNow(clientId));
      } catch {
        setResult({ ok: false, error: "Something went wrong. Please try again." });
      }
    });
  }

  return (
    <div className="space-y-3 text-sm" data-testid="cimd-metadata">
      <Alert tone="warning">
        This app&apos;s name, logo, home page (<code>client_uri</code>) and redirect URIs come from its metadata
        document. Each refresh (on the next use once the document is stale, every 15 minutes in the background, or
        with the button below) overwrites any edits you make to them here.
      </Alert>
      <dl className="grid gap-1 sm:grid-cols-[max-content_1fr] sm:gap-x-4">
        <dt className="font-medium text-slate-700">Document</dt>
        <dd className="font-mono text-xs break-all">{clientId}</dd>
        <dt className="font-medium text-slate-700">Last fetched</dt>
        <dd>{fetchedAt ? <DateTime value={fetchedAt} /> : "never"}</dd>
        <dt className="font-medium text-slate-700">Fresh until</dt>
        <dd>{expiresAt ? <DateTime value={expiresAt} /> : "stale"}</dd>
      </dl>
      {result && (result.ok ? <Alert tone="success">The metadata document was fetched again.</Alert> : <Alert>{result.error}</Alert>)}
      <Button variant="secondary" onClick={run} disabled={pending}>
        {pending ? "Refreshing…" : "Refresh now"}
      </Button>
    </div>
  );
}
