import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import type { PresetEndpoints } from "@/lib/connections/upstream-discovery";

/**
 * GitHub's OAuth endpoints and user API as the GitHub preset uses them, on
 * 127.0.0.1: a token endpoint (client_secret_basic or _post, code, PKCE;
 * JSON because we ask for it), /user and /user/emails for its access tokens.
 */
export interface FakeGitHub {
  endpoints: PresetEndpoints;
  clientId: string;
  clientSecret: string;
  authorize(location: string, user: GitHubAccount): string;
  close(): Promise<void>;
}

export interface GitHubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const codes = new Map<string, { user: GitHubAccount; challenge: string }>();
  const tokens = new Map<string, GitHubAccount>();
  let base = "";
  const json = (res: import("node:http").ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(value));
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, base);
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      const body = await form(req);
      const basic = req.headers.authorization?.startsWith("Basic ") ? Buffer.from(req.headers.authorization.slice(6), "base64").toString() : null;
      const [id, secret] = basic ? basic.split(":").map(decodeURIComponent) : [body.get("client_id"), body.get("client_secret")];
      const pending = codes.get(body.get("code") ?? "");
      if (id !== "gh-client" || secret !== "gh-secret") return json(res, 401, { error: "incorrect_client_credentials" });
      if (!pending || createHash("sha256").update(body.get("code_verifier") ?? "").digest("base64url") !== pending.challenge) {
        return json(res, 400, { error: "bad_verification_code" });
      }
      const token = randomBytes(16).toString("hex");
      tokens.set(token, pending.user);
      return json(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (!user) return json(res, 401, { message: "Bad credentials" });
    if (url.pathname === "/user") return json(res, 200, { id: user.id, login: user.login, name: user.name, email: null });
    if (url.pathname === "/user/emails") return json(res, 200, user.emails.map((e) => ({ ...e, visibility: null })));
    json(res, 404, { message: "Not Found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoints: { authorization: `${base}/login/oauth/authorize`, token: `${base}/login/oauth/access_token`, user: `${base}/user`, emails: `${base}/user/emails` },
    clientId: "gh-client",
    clientSecret: "gh-secret",
    authorize(location, user) {
      const request = new URL(location);
      const code = randomBytes(16).toString("hex");
      codes.set(code, { user, challenge: request.searchParams.get("code_challenge")! });
      const callback = new URL(request.searchParams.get("redirect_uri")!);
      callback.searchParams.set("code", code);
      callback.searchParams.set("state", request.searchParams.get("state")!);
      return callback.toString();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
