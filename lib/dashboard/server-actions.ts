import { refresh } from "next/cache";
import { headers } from "next/headers";
import { userActor, type Actor } from "../audit";
import { requireOwner, requireUser } from "../auth/session";
import { getConfig, type Config } from "../config";
import type { PrismaClient, User } from "../db/generated/client.ts";
import { getPrisma } from "../db";
import { trustedSource } from "../rate-limit";
import { domainErrorResult, type ActionFailure, type ActionResult } from "./action-result";

/** What every server action gets: the database and the server's one configuration. */
export interface ActionContext {
  prisma: PrismaClient;
  /** Validation rules such as development mode come from it. */
  config: Config;
  /** The caller's address when a trusted proxy names it (TRUST_PROXY), else null: what per-source limits count. */
  source: string | null;
}

export interface UserContext extends ActionContext {
  /** The signed-in user, as the audit log names them. */
  actor: Actor;
  user: User;
}

export interface OwnerContext extends ActionContext {
  /** The signed-in owner, as the audit log names them. */
  actor: Actor;
  /** The owner's user id. */
  ownerId: string;
}

type Run<C, T> = (context: C) => Promise<T | ActionFailure>;
type OnError = (error: unknown) => ActionFailure;

/**
 * The one shape of a server action: `run` checks its arguments (a forged
 * call gets a readable failure), makes one lib call and says what to return.
 * A DomainError becomes a readable result (`onError`, domainErrorResult by
 * default); anything else is a real server error and propagates.
 */
async function serverAction<C, T extends object>(context: C, run: Run<C, T>, onError: OnError): Promise<ActionResult<T> | ActionFailure> {
  let result: T | ActionFailure;
  try {
    result = await run(context);
  } catch (error) {
    return onError(error);
  }
  return isFailure(result) ? result : { ...result, ok: true };
}

const base = async (): Promise<ActionContext> => {
  const config = getConfig();
  return { prisma: await getPrisma(), config, source: trustedSource(await headers(), config.trustProxy) };
};

/**
 * A dashboard action. The owner is checked first (server actions are
 * reachable by a direct POST; anyone else is sent to sign in, back to
 * `page`); after a success the page's data is refreshed, unless
 * `refreshPage` is false (a page whose result lives only in the browser).
 */
export async function ownerAction<T extends object = object>(
  page: string,
  run: Run<OwnerContext, T>,
  onError: OnError = domainErrorResult,
  options: { refreshPage?: boolean } = {},
): Promise<ActionResult<T>> {
  const owner = await requireOwner(page);
  const result = await serverAction({ ...(await base()), actor: userActor(owner), ownerId: owner.id }, run, onError);
  if (result.ok && options.refreshPage !== false) refresh();
  return result;
}

/** A signed-in user's action on their own account (same shape; anyone signed out is sent to sign in). */
export async function userAction<T extends object = object>(page: string, run: Run<UserContext, T>, onError: OnError = domainErrorResult): Promise<ActionResult<T>> {
  const user = await requireUser(page);
  const result = await serverAction({ ...(await base()), actor: userActor(user), user }, run, onError);
  if (result.ok) refresh();
  return result;
}

/** An action anyone may call (sign-up, first-owner setup): no session; the caller navigates afterwards. */
export async function publicAction<T extends object = object>(run: Run<ActionContext, T>, onError: OnError = domainErrorResult): Promise<ActionResult<T>> {
  return serverAction(await base(), run, onError);
}

function isFailure(result: object): result is ActionFailure {
  return (result as Partial<ActionFailure>).ok === false;
}
