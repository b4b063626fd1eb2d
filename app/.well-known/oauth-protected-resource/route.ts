import { preflight } from "@/lib/oauth/http";
import { protectedResourceResponse } from "@/lib/oauth/well-known";

export const dynamic = "force-dynamic";

export const GET = protectedResourceResponse;

export const OPTIONS = () => preflight("GET");
