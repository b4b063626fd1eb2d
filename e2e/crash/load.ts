// Sustained load for the crash spec, recording every answer a client got:
// refresh chains of a public app (rotation), authorization-code flows and
// exchanges of a confidential app, and app creations through the management
// API. Each worker runs until a request of it gets no answer (the server was
// killed), so what it last held is known.
import { defaultRedirectUri, type ClientType } from "../oauth/clients";
import type { HttpSession } from "../oauth/http-session";
import type { Provider, Reply, TestApp } from "../oauth/flows";

/** One rotating refresh-token family, as its client sees it. */
export interface Chain {
  app: TestApp;
  /** The refresh token the client holds: the last one it received. */
  held: string;
  /** Every access token it received. */
  accessTokens: string[];
  refreshes: number;
  /** Its last refresh request got no answer (it may or may not have committed). */
  died: boolean;
}

/** Tokens a code exchange answered with. */
export interface Exchange {
  app: TestApp;
  accessToken: string;
  refreshToken: string;
}

export interface LoadRecord {
  chains: Chain[];
  exchanges: Exchange[];
  /** client_id of every app whose creation was answered 201. */
  createdApps: string[];
  /** Creations that got no answer (the app may or may not exist). */
  unansweredCreations: number;
  /** Answers that should not happen on a healthy server (anything but 200/201). */
  unexpected: string[];
}

/** Undici's errors for a request that got no answer: refused or reset ("fetch failed"), or cut off while its body was read ("terminated"). */
const noAnswer = (error: unknown) => error instanceof TypeError && (error.message === "fetch failed" || error.message === "terminated");

class Unexpected extends Error {}

const describe = (what: string, reply: Reply) => `${what}: ${reply.status} ${reply.text.slice(0, 200)}`;

export class Load {
  readonly record: LoadRecord = { chains: [], exchanges: [], createdApps: [], unansweredCreations: 0, unexpected: [] };
  private readonly workers: Promise<void>[] = [];

  constructor(private readonly op: Provider) {}

  /** Refreshes `chain` in a loop. */
  refreshing(chain: Chain): void {
    this.record.chains.push(chain);
    this.workers.push(
      this.until(async () => {
        let reply: Reply;
        try {
          reply = await this.op.refresh(chain.app, chain.held);
        } catch (error) {
          if (noAnswer(error)) chain.died = true;
          throw error;
        }
        if (reply.status !== 200) throw new Unexpected(describe("refresh", reply));
        chain.held = reply.json.refresh_token;
        chain.accessTokens.push(reply.json.access_token);
        chain.refreshes++;
      }),
    );
  }

  /** Authorization-code flows of `app` as the user signed in on `session`, each code exchanged at once. */
  exchanging(app: TestApp, session: HttpSession): void {
    this.workers.push(
      this.until(async () => {
        const reply = await this.op.redeem(app, await this.op.obtainCode(app, { session }));
        if (reply.status !== 200) throw new Unexpected(describe("code exchange", reply));
        this.record.exchanges.push({ app, accessToken: reply.json.access_token, refreshToken: reply.json.refresh_token });
      }),
    );
  }

  /** App creations through the management API. */
  creating(ownerKey: string): void {
    let n = 0;
    this.workers.push(
      this.until(async () => {
        const type: ClientType = n++ % 2 ? "first_party_public" : "third_party";
        let reply: Reply;
        try {
          reply = await this.op.send("/api/v1/connected-apps", {
            method: "POST",
            headers: { authorization: `Bearer ${ownerKey}`, "content-type": "application/json" },
            body: JSON.stringify({
              client_type: type,
              name: `crash ${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 8)}`,
              redirect_uris: [defaultRedirectUri(type)],
              client_uri: "https://rp.example",
            }),
          });
        } catch (error) {
          if (noAnswer(error)) this.record.unansweredCreations++;
          throw error;
        }
        if (reply.status !== 201) throw new Unexpected(describe("app creation", reply));
        this.record.createdApps.push(reply.json.client_id);
      }),
    );
  }

  /** Waits for every worker to end (each ends when a request of it gets no answer, or on an unexpected one). */
  async ended(): Promise<void> {
    await Promise.all(this.workers);
  }

  /** Runs `step` until a request of it gets no answer; any other outcome is recorded and ends the worker too (a refresh chain must not go on with a token it may have lost). */
  private async until(step: () => Promise<void>): Promise<void> {
    for (;;) {
      try {
        await step();
      } catch (error) {
        if (!noAnswer(error)) this.record.unexpected.push(error instanceof Unexpected ? error.message : String((error as Error).stack ?? error));
        return;
      }
    }
  }
}
