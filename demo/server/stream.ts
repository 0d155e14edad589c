import type { RequestContext } from './context.ts';
import { isPubSubChatflow } from './eras.ts';
import type { StreamEvent } from './events.ts';
import type { Fault, FaultKind } from './faults.ts';
import { sendError, sendJson } from './http.ts';
import { DifyError } from './errors.ts';
import { PubSubSink } from './pubsub.ts';
import { Halt, Recorder, type Output, type Run } from './run.ts';
import { SseWriter } from './sse.ts';
import type { MessageFileRecord } from './store.ts';
import { webMetadata, wireEvent } from './wire.ts';

/** A producer: emits one app mode's event sequence for a run (scripts/*.ts). */
export type Script = (run: Run, out: Output) => Promise<void>;

/** How long the cut fault waits after the last event it let through. */
const CUT_AFTER_MS = 250;

/** Where events go: an SSE writer, or nothing (blocking mode collects them in the recorder only). */
export interface Sink {
  readonly open: boolean;
  event(event: StreamEvent): Promise<void>;
  raw(text: string): Promise<void>;
  pausePings(paused: boolean): void;
  /** Ends the connection without a terminal event, once what was written has left. */
  cut(): void;
}

/**
 * Records each event in full (what Dify stores), then sends the era's wire form of it to the run's
 * topic (pub/sub eras) and the sink. Applies the stream faults of the request at their `afterEvents`
 * threshold, counted in data events already written: stall (silence, no pings), cut (drop the
 * socket), error-event (terminal error), malformed-event (one unparsable line, then carry on).
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
    const wire = wireEvent(event, this.run.app, this.run.message);
    if (this.run.workflowRunId && isPubSubChatflow(this.run.app.mode, this.run.app.era)) {
      this.run.state.workflowRuns.publish(this.run.workflowRunId, wire);
    }
    if (this.run.detached) return;
    if (!this.sink.open) {
      this.run.detach();
      return;
    }
    await this.sink.event(wire);
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
  if (run.workflowRunId && isPubSubChatflow(run.app.mode, run.app.era)) {
    state.workflowRuns.start(run.workflowRunId, run.app.app_id, run.endUser.id, run.taskId);
  }
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

/**
 * `response_mode: "streaming"`: 200 text/event-stream (docs/PROTOCOL.md §3). A 1.13+ chatflow is a
 * pub/sub subscription (pubsub.ts); on 1.12 the legacy `chatflowOrder: "newest"` switch still gives the
 * leading ping and the X-Workflow-Run-ID header of unreleased post-1.16 servers.
 */
export async function runStreaming(ctx: RequestContext, run: Run, script: Script): Promise<void> {
  const pubSub = isPubSubChatflow(run.app.mode, run.app.era);
  const newest = run.app.mode === 'advanced-chat' && run.app.era === '1.12' && run.settings.chatflowOrder === 'newest';
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
  if (newest || pubSub) await writer.ping();
  const sink = pubSub ? new PubSubSink(writer, ctx.res, run.settings.idleTimeoutMs, ctx.state.closing) : writer;
  const recorder = new Recorder(run.message);
  const out = new FaultingOutput(run, sink, recorder, ctx.streamFaults);
  await execute(run, script, out, recorder);
  // No terminal event went out (an error event: not terminal on pub/sub): the topic idles until the timeout.
  if (sink instanceof PubSubSink) await sink.done;
  else if (writer.open) writer.end();
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
    metadata: webMetadata(msg.metadata ?? {}, run.app),
    created_at: msg.created_at,
  });
}

/** A sink nobody reads: a resumed run's events only go to its topic. */
class TopicOnlySink implements Sink {
  readonly open = true;
  async event(): Promise<void> {}
  async raw(): Promise<void> {}
  pausePings(): void {}
  cut(): void {}
}

/**
 * Runs a script with no HTTP response of its own (a chatflow resumed after a human-input form): its
 * events are stored and published to the run's topic, where GET /api/workflow/<id>/events relays them.
 */
export async function runInBackground(run: Run, script: Script): Promise<void> {
  const recorder = new Recorder(run.message);
  await execute(run, script, new FaultingOutput(run, new TopicOnlySink(), recorder, new Map()), recorder);
}
