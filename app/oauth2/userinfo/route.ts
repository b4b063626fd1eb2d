import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { preflight, protocolEndpoint, protocolJson } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { userInfo } from "@/lib/oauth/userinfo";

export const dynamic = "force-dynamic";

async function handle(request: Request, form: URLSearchParams | null): Promise<Response> {
  const body = await userInfo(await getPrisma(), getConfig().issuer, { authorization: request.headers.get("authorization"), form });
  return protocolJson(body, { cors: true });
}

export async function GET(request: Request): Promise<Response> {
  return protocolEndpoint(true, () => handle(request, null));
}

/** RFC 6750 §2.2: the token may also come in a form body. */
export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint(true, async () => {
    const hasBody = request.headers.get("content-type") !== null;
    return handle(request, hasBody ? await readForm(request) : null);
  });
}

export const OPTIONS = () => preflight("GET, POST");
