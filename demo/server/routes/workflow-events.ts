import { authOf, type RequestContext } from '../context.ts';
import { atLeast } from '../eras.ts';
import { notFound } from '../errors.ts';
import { pythonJson } from '../json.ts';
import { followRun } from '../pubsub.ts';

/**
 * GET /api/workflow/<run_id>/events (Dify 1.13+): follows a chatflow run of this end user and app.
 * A finished run gets one `workflow_finished`, written with Python's `json.dumps` (spaced, `\uXXXX`,
 * no conversation or message ids); a live or paused run is relayed from now on and closes at its
 * terminal event, or silently after the idle timeout while nobody answers a form.
 * `include_state_snapshot` is accepted and ignored: the mock replays nothing.
 */
export async function workflowEvents(ctx: RequestContext): Promise<void> {
  const { app, endUser } = authOf(ctx);
  if (!atLeast(app.era, '1.13.0')) throw notFound();
  const runId = ctx.params[0] ?? '';
  const run = ctx.state.workflowRuns.get(runId);
  if (!run || run.appId !== app.app_id) throw notFound(`WorkflowRun not found, id=${runId}`);
  if (run.endUserId !== endUser.id) throw notFound(`WorkflowRun not created by the current end user, id=${runId}`);
  if (!run.finished) return followRun(ctx, runId);

  const { task_id, workflow_run_id, data } = run.finished;
  const body = `data: ${pythonJson({ event: 'workflow_finished', task_id, workflow_run_id, data })}\n\n`;
  ctx.res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
  });
  ctx.res.end(body);
}
