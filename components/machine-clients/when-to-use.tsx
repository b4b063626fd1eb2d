/** When to create a machine client rather than a connected app: shown on the list and the create page. */
export function WhenToUseMachineClients() {
  return (
    <div className="space-y-2 text-sm text-slate-700" data-testid="machine-client-explanation">
      <p>
        A <strong>machine client</strong> is one of your own services calling an API <strong>for itself</strong>: a nightly job,
        a backend talking to another backend, a webhook worker. It gets access tokens with the client credentials grant
        (<code className="font-mono text-xs">grant_type=client_credentials</code>), proving itself with its own client secret or, set on
        its page, a key pair (<code className="font-mono text-xs">private_key_jwt</code>: this server holds only the public key); no user signs in
        and nobody is asked for consent. Its tokens&apos; <code className="font-mono text-xs">sub</code> is its client ID.
      </p>
      <p>
        It can call only the resource servers you grant it here, with the scopes you grant for each. If your software acts{" "}
        <strong>for a user</strong> (signs them in, reads their data), create a connected app instead.
      </p>
    </div>
  );
}
