import { DateTime } from "../dashboard/date-time";
import { Badge } from "../ui/badge";
import { RevokeApiKey, type RevokeApiKeyAction } from "./revoke-api-key";

export interface ApiKeyRow {
  id: string;
  name: string;
  last4: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** An owner's API keys: only names and last four characters, never a key. */
export function ApiKeyList({ keys, revoke }: { keys: ApiKeyRow[]; revoke: RevokeApiKeyAction }) {
  if (keys.length === 0) return <p className="text-sm text-slate-600">No API keys yet.</p>;
  return (
    <ul className="divide-y divide-slate-100" aria-label="API keys">
      {keys.map((key) => (
        <li key={key.id} data-testid="api-key-row" className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="min-w-0 space-y-1">
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium break-words">{key.name}</span>
              <code className="font-mono text-sm text-slate-500">…{key.last4}</code>
              {key.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="green">Active</Badge>}
            </div>
            <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500">
              <div className="flex gap-1">
                <dt>Created</dt>
                <dd>
                  <DateTime value={key.createdAt} />
                </dd>
              </div>
              <div className="flex gap-1">
                <dt>Last used</dt>
                <dd>
                  <DateTime value={key.lastUsedAt} />
                </dd>
              </div>
              {key.revokedAt && (
                <div className="flex gap-1">
                  <dt>Revoked</dt>
                  <dd>
                    <DateTime value={key.revokedAt} />
                  </dd>
                </div>
              )}
            </dl>
          </div>
          {!key.revokedAt && (
            <div className="sm:max-w-sm sm:shrink-0">
              <RevokeApiKey id={key.id} name={key.name} revoke={revoke} />
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
