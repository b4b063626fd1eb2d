import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db";
import { preflight, protocolEndpoint, protocolJson } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { handleTokenRequest } from "@/lib/oauth/token-endpoint";

export const dynamic = "force-dynamic";

export async function POST(request: Request): Promise<Response> {
  return protocolEndpoint(true, async () => {
    const form = await readForm(request);
    const body = await handleTokenRequest(await getPrisma(), getConfig().issuer, { authorization: request.headers.get("authorization"), form });
    return protocolJson(body, { cors: true });
  });
}

export const OPTIONS = () => preflight("POST");
