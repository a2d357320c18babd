// A local stand-in for smee.io, the webhook proxy Probot documents for local development: GitHub
// POSTs a delivery to a channel URL, and every client listening on the channel (smee-client, over
// Server-Sent Events) receives it as `{ ...headers, body, query, timestamp }` and re-posts it to the
// app. Served on 127.0.0.1 so no test reaches smee.io.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeSmee {
  url: string;
  /** A fresh channel's URL, as https://smee.io/new hands out. */
  channel(): string;
  /** Deliveries received per channel path. */
  received: { channel: string; event: string | undefined }[];
  listeners(channelUrl: string): number;
  close(): Promise<void>;
}

// Hop-by-hop headers describe the connection to smee, not the delivery.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "host", "content-length", "upgrade"]);

export async function startFakeSmee(): Promise<FakeSmee> {
  const clients = new Map<string, Set<ServerResponse>>();
  const received: FakeSmee["received"] = [];
  let next = 1;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const channel = url.pathname;
    if (req.method === "GET" && String(req.headers.accept ?? "").includes("text/event-stream")) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      res.write("event: ready\ndata: {}\n\n");
      const set = clients.get(channel) ?? new Set();
      set.add(res);
      clients.set(channel, set);
      req.on("close", () => set.delete(res));
      return;
    }
    if (req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(400).end("body is not JSON");
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      received.push({ channel, event: req.headers["x-github-event"] as string | undefined });
      const message = JSON.stringify({ ...headers, body, query: Object.fromEntries(url.searchParams), timestamp: Date.now() });
      for (const client of clients.get(channel) ?? []) client.write(`data: ${message}\n\n`);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    channel: () => `${base}/fake-channel-${next++}`,
    received,
    listeners: (channelUrl) => clients.get(new URL(channelUrl).pathname)?.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const set of clients.values()) for (const res of set) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
