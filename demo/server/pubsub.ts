import type { ServerResponse } from 'node:http';
import type { RequestContext } from './context.ts';
import type { StreamEvent } from './events.ts';
import { SseWriter } from './sse.ts';
import type { Sink } from './stream.ts';

/**
 * Dify 1.13+ streams chatflows from a pub/sub topic instead of the API process (docs/PROTOCOL.md,
 * newer releases): the subscriber starts with a bare ping, pings while idle, relays events until
 * `workflow_finished` or `workflow_paused` and then closes, dropping whatever the worker publishes
 * after that. `error` is not terminal: after one the stream stays open, pinging, until the idle
 * timeout (pings do not reset it) closes it without a terminal event.
 */
const TERMINAL = new Set(['workflow_finished', 'workflow_paused']);

export class PubSubSink implements Sink {
  /** Settles once the stream is over: terminal event, idle timeout, client gone or server closing. */
  readonly done: Promise<void>;
  private ended = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private resolveDone: () => void = () => {};
  private readonly onAbort = (): void => this.finish();

  constructor(
    private readonly writer: SseWriter,
    res: ServerResponse,
    private readonly idleTimeoutMs: number,
    private readonly signal: AbortSignal,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    res.on('close', () => this.finish());
    signal.addEventListener('abort', this.onAbort, { once: true });
    this.armIdle();
  }

  get open(): boolean {
    return !this.ended && this.writer.open;
  }

  async event(event: StreamEvent): Promise<void> {
    if (!this.open) return;
    this.armIdle();
    await this.writer.event(event);
    if (TERMINAL.has(event.event)) this.close();
  }

  raw(text: string): Promise<void> {
    return this.writer.raw(text);
  }

  pausePings(paused: boolean): void {
    this.writer.pausePings(paused);
  }

  cut(): void {
    this.finish();
    this.writer.cut();
  }

  /** Ends the stream cleanly, as the subscriber does after a terminal event or when idle. */
  close(): void {
    if (this.ended) return;
    this.finish();
    this.writer.end();
  }

  private finish(): void {
    this.ended = true;
    clearTimeout(this.idleTimer);
    this.signal.removeEventListener('abort', this.onAbort);
    this.resolveDone();
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.ended) this.idleTimer = setTimeout(() => this.close(), this.idleTimeoutMs);
  }
}

/** An SSE writer with the mock's current framing settings (not started). */
function writerFor(ctx: RequestContext): SseWriter {
  const settings = ctx.state.settings;
  return new SseWriter(ctx.res, {
    legacyJson: settings.legacyJson,
    splitChunks: settings.splitChunks,
    pingIntervalMs: settings.pingIntervalMs,
    signal: ctx.state.closing,
  });
}

/**
 * An error raised before a 1.13+ chatflow run starts (input validation, unknown or ended conversation):
 * the worker publishes `{"event":"error","message":…,"status":500}` (no code, no ids; the message is
 * empty when the exception had no text), on a 200 stream that then idles until the timeout.
 */
export async function streamWorkerError(ctx: RequestContext, message: string): Promise<void> {
  const writer = writerFor(ctx);
  writer.start();
  await writer.ping();
  const sink = new PubSubSink(writer, ctx.res, ctx.state.settings.idleTimeoutMs, ctx.state.closing);
  await sink.event({ event: 'error', message, status: 500 });
  await sink.done;
}

/**
 * GET /api/workflow/<run_id>/events on a live run: relays its topic from now on. It subscribes before
 * the headers go out, so a client that has the response misses nothing published after that.
 */
export async function followRun(ctx: RequestContext, runId: string): Promise<void> {
  const writer = writerFor(ctx);
  const sink = new PubSubSink(writer, ctx.res, ctx.state.settings.idleTimeoutMs, ctx.state.closing);
  let queue = Promise.resolve();
  const unsubscribe = ctx.state.workflowRuns.subscribe(runId, (event) => {
    queue = queue.then(() => sink.event(event));
  });
  writer.start({ 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  queue = queue.then(() => writer.ping());
  await sink.done;
  unsubscribe();
}
