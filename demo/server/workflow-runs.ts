import type { StreamEvent } from './events.ts';

/**
 * Chatflow runs of the pub/sub eras (Dify 1.13+), so GET /api/workflow/<run_id>/events can follow a
 * live run or report a finished one. A run's events go out on its topic as Dify's worker publishes
 * them to Redis: whoever subscribes later misses what went before, and nothing is replayed.
 */
export interface WorkflowRunRecord {
  id: string;
  appId: string;
  endUserId: string;
  /** The task of the latest stretch of the run (a resumed run gets a new one). */
  taskId: string;
  status: 'running' | 'paused' | 'finished';
  /** The `workflow_finished` event that ended the run, once it has. */
  finished: StreamEvent | null;
}

export type RunListener = (event: StreamEvent) => void;

export class WorkflowRuns {
  private readonly records = new Map<string, WorkflowRunRecord>();
  private readonly listeners = new Map<string, Set<RunListener>>();

  start(id: string, appId: string, endUserId: string, taskId: string): WorkflowRunRecord {
    const existing = this.records.get(id);
    if (existing) {
      existing.taskId = taskId;
      existing.status = 'running';
      return existing;
    }
    const record: WorkflowRunRecord = { id, appId, endUserId, taskId, status: 'running', finished: null };
    this.records.set(id, record);
    return record;
  }

  get(id: string): WorkflowRunRecord | undefined {
    return this.records.get(id);
  }

  /** Sends a wire event to the run's subscribers and notes a pause or the end of the run. */
  publish(id: string, event: StreamEvent): void {
    const record = this.records.get(id);
    if (record && event.event === 'workflow_paused') record.status = 'paused';
    if (record && event.event === 'workflow_finished') {
      record.status = 'finished';
      record.finished = event;
    }
    for (const listener of [...(this.listeners.get(id) ?? [])]) listener(event);
  }

  /** Returns the unsubscribe function. */
  subscribe(id: string, listener: RunListener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  clear(): void {
    this.records.clear();
  }
}
