import { credentialKind, type TokenEndpointAuthMethod } from "@/lib/clients/policy";

/** What a client's credentials card shows about its authentication (an app's or a machine client's view, wire names). */
export interface ClientKeyFacts {
  token_endpoint_auth_methods: readonly string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  jwks_key_ids: readonly string[];
  jwks_uri: string | null;
}

export const usesKey = (client: Pick<ClientKeyFacts, "token_endpoint_auth_method">) => credentialKind(client.token_endpoint_auth_method) === "key";

/** In place of the secret panel, for a client using private_key_jwt. */
export function KeyAuthNotice({ noun }: { noun: string }) {
  return (
    <p className="text-slate-700" data-testid="key-auth">
      This {noun} authenticates with private_key_jwt: a JWT signed with one of its keys. No client secret is accepted.
    </p>
  );
}

/**
 * The credentials card's rows about authentication: the method(s) it may
 * use now (private_key_jwt, or the secret methods), and its registered keys
 * by id (kid or RFC 7638 thumbprint) or the URL they are published at.
 */
export function ClientKeyRows({ client }: { client: ClientKeyFacts }) {
  return (
    <>
      <div className="space-y-1">
        <dt className="font-medium text-slate-700">Token endpoint authentication</dt>
        <dd className="font-mono text-xs" data-testid="auth-method">
          {usesKey(client) ? "private_key_jwt" : client.token_endpoint_auth_methods.filter((m) => m !== "private_key_jwt").join(", ")}
        </dd>
      </div>
      {(client.jwks_key_ids.length > 0 || client.jwks_uri) && (
        <div className="space-y-1">
          <dt className="font-medium text-slate-700">Registered keys</dt>
          <dd>
            {client.jwks_uri ? (
              <p className="text-slate-700">
                Published at <code className="font-mono text-xs break-all">{client.jwks_uri}</code>
              </p>
            ) : (
              <ul className="space-y-1" data-testid="key-ids">
                {client.jwks_key_ids.map((kid) => (
                  <li key={kid}>
                    <code className="font-mono text-xs break-all">{kid}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      )}
    </>
  );
}
