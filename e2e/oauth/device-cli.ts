// A CLI-like device-flow client (RFC 8628) built only from oauth4webapi's
// own device-flow functions, as a command line tool would use them: ask for
// a code, show it, poll at the server's interval (5 s more after each
// slow_down) until the user answers or the code expires.
import * as oauth from "oauth4webapi";

const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface DeviceCli {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  /** Step 1: the device authorization request (RFC 8628 §3.1). */
  start(scope: string): Promise<oauth.DeviceAuthorizationResponse>;
  /** One poll: the tokens, or the OAuth error code it was refused with. */
  pollOnce(deviceCode: string): Promise<{ tokens: oauth.TokenEndpointResponse } | { error: string }>;
  /** Polls at the interval until the tokens come or a final error; `polls` says what each poll got. */
  pollUntilDone(started: oauth.DeviceAuthorizationResponse): Promise<{ tokens?: oauth.TokenEndpointResponse; error?: string; polls: string[] }>;
}

export async function deviceCli(issuer: URL, clientId: string, secret?: string): Promise<DeviceCli> {
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }));
  const client: oauth.Client = { client_id: clientId };
  const auth = secret ? oauth.ClientSecretBasic(secret) : oauth.None();

  const pollOnce: DeviceCli["pollOnce"] = async (deviceCode) => {
    const response = await oauth.deviceCodeGrantRequest(as, client, auth, deviceCode, insecure);
    try {
      return { tokens: await oauth.processDeviceCodeResponse(as, client, response) };
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError) return { error: e.error };
      throw e;
    }
  };

  return {
    as,
    client,
    auth,
    async start(scope) {
      const response = await oauth.deviceAuthorizationRequest(as, client, auth, { scope }, insecure);
      return oauth.processDeviceAuthorizationResponse(as, client, response);
    },
    pollOnce,
    async pollUntilDone(started) {
      let interval = started.interval ?? 5;
      const polls: string[] = [];
      const deadline = Date.now() + started.expires_in * 1000;
      while (Date.now() < deadline) {
        const result = await pollOnce(started.device_code);
        if ("tokens" in result) return { tokens: result.tokens, polls: [...polls, "tokens"] };
        polls.push(result.error);
        if (result.error === "slow_down") interval += 5;
        else if (result.error !== "authorization_pending") return { error: result.error, polls };
        await new Promise((resolve) => setTimeout(resolve, interval * 1000));
      }
      return { error: "expired_token", polls };
    },
  };
}
