import NextAuth from "next-auth";
import { refuseNextAuthInput } from "@/lib/auth/next-auth-input";
import { authOptions } from "@/lib/auth/options";
import { printable } from "@/lib/text";

type Context = { params: Promise<{ nextauth: string[] }> };

async function handler(request: Request, context: Context) {
  const refused = refuseNextAuthInput(request);
  if (refused) return refused;
  try {
    return await NextAuth(request as never, context as never, authOptions());
  } catch (error) {
    // next-auth copies query values (error, callbackUrl) into a Location header; one a header cannot
    // carry (a NUL, a line break) makes it throw. That is bad input, not a server error: back to sign-in.
    console.warn(`connected-apps: next-auth refused ${new URL(request.url).pathname}: ${printable((error as Error).message)}`);
    return new Response(null, { status: 303, headers: { Location: "/signin?error=Default", "Cache-Control": "no-store" } });
  }
}

export { handler as GET, handler as POST };
