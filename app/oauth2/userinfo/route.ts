import { protocolRoute } from "@/lib/http/protocol-route";
import { preflight, protocolJson } from "@/lib/oauth/http";
import { readForm } from "@/lib/oauth/params";
import { userInfo } from "@/lib/oauth/userinfo";

export const dynamic = "force-dynamic";

export const GET = protocolRoute({ cors: true }, async (ctx, request) =>
  protocolJson(await userInfo(ctx, { authorization: request.headers.get("authorization"), form: null }), { cors: true }),
);

/** RFC 6750 §2.2: the token may also come in a form body. */
export const POST = protocolRoute({ cors: true }, async (ctx, request) => {
  const form = request.headers.get("content-type") !== null ? await readForm(request) : null;
  return protocolJson(await userInfo(ctx, { authorization: request.headers.get("authorization"), form }), { cors: true });
});

export const OPTIONS = () => preflight("GET, POST");
