// Compression of a body held whole (the hot path's JSON, app.ts): the choice the compression
// middleware makes for every other answer (brotli at quality 4, gzip or deflate as the client
// prefers, brotli then gzip on a tie; nothing under the threshold), made here and done in one
// synchronous step. The middleware's zlib stream per answer cost ~0.7 ms of CPU for a 9 KB search
// page; this, ~0.2 ms (docs/decisions/011). The middleware still runs on these answers: it adds
// `Vary: Accept-Encoding` and leaves a body that has a Content-Encoding alone.
import Negotiator from "negotiator";
import zlib from "node:zlib";

/** bytes below which no body is compressed (the middleware's default, given to it in app.ts too) */
export const COMPRESSION_THRESHOLD = 1024;

// compression 1.8's lists (node_modules/compression/index.js)
const SUPPORTED_ENCODING = ["br", "gzip", "deflate", "identity"];
const PREFERRED_ENCODING = ["br", "gzip"];
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

/** The body as the client accepts it, and the Content-Encoding to send with it (none: as it is). */
export function compressBody(
  acceptEncoding: string | undefined,
  body: string,
): { body: Buffer | string; encoding?: string } {
  if (!acceptEncoding || Buffer.byteLength(body) < COMPRESSION_THRESHOLD) return { body };
  const negotiator = new Negotiator({ headers: { "accept-encoding": acceptEncoding } });
  // 0.6.4 takes the tie-breaking order too; its types (@types/negotiator 0.6) do not say so
  const encoding = negotiator.encoding.bind(negotiator) as (available: string[], preferred: string[]) => string;
  const method = encoding(SUPPORTED_ENCODING, PREFERRED_ENCODING);
  if (method === "br") return { body: zlib.brotliCompressSync(body, BROTLI), encoding: method };
  if (method === "gzip") return { body: zlib.gzipSync(body), encoding: method };
  if (method === "deflate") return { body: zlib.deflateSync(body), encoding: method };
  return { body };
}
