import { CopyableRow } from "../dashboard/copyable-row";

/** The Client ID entry of a client's Credentials list (apps and machine clients alike), with a copy button. */
export function ClientIdRow({ clientId }: { clientId: string }) {
  return <CopyableRow label="Client ID" value={clientId} copyLabel="Copy client ID" testId="client-id" />;
}
