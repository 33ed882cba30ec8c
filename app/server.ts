// The app server: express (app/server/app.ts) in front of the Remix build. Everything that needs
// the database is reached through the build's entry module, so there is one client per process.
import { broadcastDevReady, createRequestHandler, installGlobals, type ServerBuild } from "@remix-run/node";
import cluster from "node:cluster";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { env } from "../db/env.server";
import { serveBackupRequests } from "../db/pglite-backup.server";
import { createApp, type AppHooks } from "./server/app";
import { superviseWorkers } from "./server/cluster";
import { securityHeaders } from "./server/security-headers";

type EntryExports = Omit<AppHooks, "handleRequest"> & {
  startBackgroundJobs: () => Promise<unknown>;
  stopJobQueue: () => Promise<void>;
  calendarWarning: (at: Date) => string | null;
  startReplicaChecks: () => void;
  documentedMethods: (pathname: string) => string[] | null;
};

if (!env.DATABASE_URL && (env.WEB_CONCURRENCY_REQUESTED ?? 1) > 1) {
  console.warn(
    `shequ: WEB_CONCURRENCY=${env.WEB_CONCURRENCY_REQUESTED} ignored: the embedded PGlite database runs in one process (set DATABASE_URL for more)`,
  );
}

if (!env.DATABASE_URL && env.DATABASE_REPLICA_URL_REQUESTED.length > 0) {
  console.warn(
    "shequ: DATABASE_REPLICA_URL ignored: the embedded PGlite database has no replicas (set DATABASE_URL to a PostgreSQL primary)",
  );
} else if (cluster.isPrimary && env.DATABASE_REPLICA_URL.length > 0) {
  console.log(
    `shequ: residents' search, public coverage and dashboards read from ${env.DATABASE_REPLICA_URL.length} replica(s) within ${env.DATABASE_REPLICA_MAX_LAG_MS} ms of the primary (DATABASE_REPLICA_URL)`,
  );
}

if (cluster.isPrimary && env.WEB_CONCURRENCY > 1) superviseWorkers(env.WEB_CONCURRENCY);
else await serve();

/** one app process: alone, or a worker of the cluster */
async function serve() {
  installGlobals({ nativeFetch: true });

  if (env.MOCKS) {
    // msw patches this process's fetch, which the Remix build loaded below uses too
    const { server } = await import("../tests/mocks/server");
    server.listen({ onUnhandledRequest: "bypass" });
    console.log("shequ: MOCKS=true: outside services the server calls (geocoding) are mocked by tests/mocks");
  }

  const mode = env.NODE_ENV === "production" ? "production" : "development";
  const buildPath = path.resolve("build/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  const entry = build.entry.module as unknown as EntryExports;
  // The build's db module closes the pool and exits on the first SIGTERM/SIGINT. A worker can get
  // a second one (a supervisor signalling the whole group, then the primary passing it on): with a
  // listener it is ignored instead of killing the process halfway through closing.
  if (cluster.isWorker) for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => {});

  // the embedded database: `npm run db:backup` from another process asks this one for the dump
  if (!env.DATABASE_URL) serveBackupRequests(env.PGLITE_DATA_DIR);
  // with DATABASE_REPLICA_URL: checked before the first read, so that it can go to a replica
  entry.startReplicaChecks();

  const app = createApp(
    {
      handleRequest: createRequestHandler(build, mode),
      checkDatabase: entry.checkDatabase,
      isDatabaseUnavailable: entry.isDatabaseUnavailable,
      isCrossSiteMutation: entry.isCrossSiteMutation,
      refreshSessionCookie: entry.refreshSessionCookie,
      primaryReadsCookie: entry.primaryReadsCookie,
      answerServiceSearch: entry.answerServiceSearch,
      apiMethods: entry.documentedMethods,
    },
    {
      maxInFlight: env.MAX_IN_FLIGHT_REQUESTS,
      maxInFlightPages: env.MAX_IN_FLIGHT_PAGES,
      pageQueueLength: env.PAGE_QUEUE_LENGTH,
      pageQueueWaitMs: env.PAGE_QUEUE_WAIT_MS,
      deadlineMs: env.REQUEST_DEADLINE_MS,
      trustProxy: env.TRUST_PROXY,
      // Tianditu's two layers share one host
      securityHeaders: securityHeaders({ mode, tileUrl: env.BASEMAP.layers[0].url }),
    },
  );

  // Background jobs (notice periods, living-circle recomputes, snapshots, reminders) run in every
  // app process through the job queue, which hands each job to one of them (docs/decisions/012).
  // The database may be down at start: the server serves (503s) and the queue is tried again.
  const startJobs = () =>
    entry.startBackgroundJobs().catch((error: unknown) => {
      if (!entry.isDatabaseUnavailable(error)) console.error("shequ: starting the job queue failed:", error);
      setTimeout(startJobs, 15_000).unref();
    });
  void startJobs();
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void entry.stopJobQueue());

  // Whatever a library lets escape, this process keeps serving: a database fault is logged and the
  // requests it touched have already been answered (503); anything else is logged loudly.
  process.on("unhandledRejection", (reason) => {
    console.error("shequ: unhandled rejection (kept serving):", reason);
  });

  app.listen(env.PORT, () => {
    const who = cluster.isWorker ? `, app process ${process.pid}` : "";
    console.log(`shequ: http://localhost:${env.PORT} (${mode}${who})`);
    const calendarWarning = entry.calendarWarning(new Date());
    if (calendarWarning) console.warn(`shequ: ${calendarWarning}`);
    if (mode === "development") broadcastDevReady(build);
  });
}
