import type { RequestContext } from './context.ts';
import type { StreamEvent } from './events.ts';
import type { Fault, FaultKind } from './faults.ts';
import { sendError, sendJson } from './http.ts';
import { DifyError } from './errors.ts';
import { Halt, Recorder, type Output, type Run } from './run.ts';
import { SseWriter } from './sse.ts';
import type { MessageFileRecord } from './store.ts';

/** A producer: emits one app mode's event sequence for a run (scripts/*.ts). */
export type Script = (run: Run, out: Output) => Promise<void>;

/** How long the cut fault waits after the last event it let through. */
const CUT_AFTER_MS = 250;

/** Where events go: an SSE writer, or nothing (blocking mode collects them in the recorder only). */
interface Sink {
  readonly open: boolean;
  event(event: StreamEvent): Promise<void>;
  raw(text: string): Promise<void>;
  pausePings(paused: boolean): void;
  /** Ends the connection without a terminal event, once what was written has left. */
  cut(): void;
}

/**
 * Applies the stream faults of the request at their `afterEvents` threshold, counted in data events
 * already written: stall (silence, no pings), cut (drop the socket), error-event (terminal error),
 * malformed-event (one unparsable line, then carry on).
 */
class FaultingOutput implements Output {
  private written = 0;

  constructor(
    private readonly run: Run,
    private readonly sink: Sink,
    private readonly recorder: Recorder,
    private readonly faults: Map<FaultKind, Fault>,
  ) {}

  async emit(event: StreamEvent, file?: MessageFileRecord): Promise<void> {
    if (this.run.halted) throw new Halt();
    if (!this.run.detached) await this.beforeWrite();
    if (this.run.halted) throw new Halt();
    this.recorder.apply(event, file);
    if (this.run.detached) return;
    if (!this.sink.open) {
      this.run.detach();
      return;
    }
    await this.sink.event(event);
    this.written++;
  }

  private due(kind: FaultKind): Fault | undefined {
    const fault = this.faults.get(kind);
    if (!fault || Number(fault.params.afterEvents ?? 0) !== this.written) return undefined;
    this.faults.delete(kind);
    return fault;
  }

  private async beforeWrite(): Promise<void> {
    const stall = this.due('stall');
    if (stall) {
      this.sink.pausePings(true);
      await this.run.sleep(Number(stall.params.ms));
      this.sink.pausePings(false);
    }
    if (this.due('cut')) {
      // What was sent has time to be read first: when a connection fails, Chromium drops body
      // bytes the page has not read yet, and whether the partial answer survives the cut would
      // be down to how busy the page was at that moment.
      await this.run.sleep(CUT_AFTER_MS);
      this.sink.cut();
      this.run.detach();
      return;
    }
    const errorFault = this.due('error-event');
    if (errorFault) {
      const p = errorFault.params;
      const event = this.run.events.error(String(p.code), Number(p.status), String(p.message));
      this.recorder.apply(event);
      if (this.sink.open) await this.sink.event(event);
      this.run.halted = true;
      return;
    }
    if (this.due('malformed-event')) await this.sink.raw('data: {not json\n\n');
  }
}

async function execute(run: Run, script: Script, out: Output, recorder: Recorder): Promise<void> {
  const { state } = run;
  state.tasks.set(run.taskId, run);
  try {
    await script(run, out);
  } catch (err) {
    if (!(err instanceof Halt)) {
      state.log(`[mock] script failed: ${(err as Error).stack ?? String(err)}`);
      recorder.apply(run.events.error('internal_server_error', 500, 'Internal Server Error, please contact support.'));
    }
  } finally {
    state.tasks.delete(run.taskId);
    run.finish();
    state.store.saveMessage(run.message);
    state.store.touchConversation(run.conversation);
  }
}

/** `response_mode: "streaming"`: 200 text/event-stream (docs/PROTOCOL.md §3). */
export async function runStreaming(ctx: RequestContext, run: Run, script: Script): Promise<void> {
  const newest = run.app.mode === 'advanced-chat' && run.settings.chatflowOrder === 'newest';
  const writer = new SseWriter(ctx.res, {
    legacyJson: run.settings.legacyJson,
    splitChunks: run.settings.splitChunks,
    pingIntervalMs: run.settings.pingIntervalMs,
    signal: ctx.state.closing,
  });
  ctx.res.on('close', () => {
    if (!ctx.res.writableFinished) run.detach();
  });
  const headers: Record<string, string> = {};
  if (newest && run.workflowRunId) headers['X-Workflow-Run-ID'] = run.workflowRunId;
  writer.start(headers);
  // The newest servers stream chatflows from a Redis topic that starts with a ping (docs/PROTOCOL.md §3.6).
  if (newest) await writer.ping();
  const recorder = new Recorder(run.message);
  const out = new FaultingOutput(run, writer, recorder, ctx.streamFaults);
  await execute(run, script, out, recorder);
  if (writer.open) writer.end();
}

class NullSink implements Sink {
  constructor(private readonly ctx: RequestContext) {}
  get open(): boolean {
    return !this.ctx.res.destroyed;
  }
  async event(): Promise<void> {}
  async raw(): Promise<void> {}
  pausePings(): void {}
  cut(): void {
    this.ctx.res.socket?.destroy();
  }
}

/** `response_mode: "blocking"` (or absent): one JSON body once the answer is complete (§2.4). */
export async function runBlocking(ctx: RequestContext, run: Run, script: Script): Promise<void> {
  ctx.res.on('close', () => {
    if (!ctx.res.writableFinished) run.detach();
  });
  const recorder = new Recorder(run.message);
  const out = new FaultingOutput(run, new NullSink(ctx), recorder, ctx.streamFaults);
  await execute(run, script, out, recorder);
  if (ctx.res.destroyed) return;
  if (recorder.lastError) {
    const { status, code, message } = recorder.lastError;
    sendError(ctx.res, new DifyError(status, code, message));
    return;
  }
  const msg = run.message;
  sendJson(ctx.res, 200, {
    event: 'message',
    task_id: run.taskId,
    id: msg.id,
    message_id: msg.id,
    conversation_id: run.conversation.id,
    mode: run.app.mode,
    answer: msg.answer,
    metadata: msg.metadata ?? {},
    created_at: msg.created_at,
  });
}
