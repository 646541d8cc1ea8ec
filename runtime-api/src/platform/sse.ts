// Server-Sent Events plumbing the live streams share (tickets, notifications): opening a stream,
// writing a frame to one that is still open, and one heartbeat for all of a hub's streams.
import type { ServerResponse } from 'node:http';

/** How long EventSource waits before reconnecting after the stream dropped. */
const RETRY_MS = 3_000;
const HEARTBEAT_MS = 15_000;

/** Starts an event stream on `out`: its headers, the reconnect delay, and a `ready` event. */
export function openEventStream(out: ServerResponse): void {
  out.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold events back in their buffers.
    'x-accel-buffering': 'no',
  });
  out.write(`retry: ${RETRY_MS}\nevent: ready\ndata: {}\n\n`);
}

/** Writes a frame to a stream unless it has ended. */
export function sendFrame(out: ServerResponse, frame: string): void {
  if (!out.destroyed && !out.writableEnded) out.write(frame);
}

/** A comment line every `ms` to each open stream, so that proxies keep idle connections. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly streams: () => Iterable<ServerResponse>,
    private readonly ms = HEARTBEAT_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      for (const out of this.streams()) sendFrame(out, ': heartbeat\n\n');
    }, this.ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
