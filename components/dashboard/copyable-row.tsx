import type { ReactNode } from "react";
import { CopyButton } from "../ui/copy-button";

/** One entry of a details list whose value people copy elsewhere (a client ID, a redirect URI), with a copy button. */
export function CopyableRow({ label, value, copyLabel, testId, hint }: { label: string; value: string; copyLabel: string; testId: string; hint?: ReactNode }) {
  return (
    <div className="space-y-1">
      <dt className="font-medium text-slate-700">{label}</dt>
      <dd className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 rounded-lg bg-slate-100 px-3 py-2 font-mono break-all select-all" data-testid={testId}>
          {value}
        </code>
        <CopyButton value={value} label={copyLabel} />
      </dd>
      {hint && <dd className="text-xs text-slate-500">{hint}</dd>}
    </div>
  );
}
