import { CopyButton } from "../ui/copy-button";

/** The Client ID entry of a client's Credentials list (apps and machine clients alike), with a copy button. */
export function ClientIdRow({ clientId }: { clientId: string }) {
  return (
    <div className="space-y-1">
      <dt className="font-medium text-slate-700">Client ID</dt>
      <dd className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code className="min-w-0 rounded-lg bg-slate-100 px-3 py-2 font-mono break-all select-all" data-testid="client-id">
          {clientId}
        </code>
        <CopyButton value={clientId} label="Copy client ID" />
      </dd>
    </div>
  );
}
