// Server-sent event framing for /v2/events, as Marathon wrote it: `event: <type>\ndata: <json>\n\n`, the JSON
// on one line (marathon-python splits each line on its first ':' and parses what follows `data`).
import type { MarathonEvent } from './event-hub.ts';

/** Event types the stream may carry: every one is known to marathon-python 0.13 (it raises on others) and
 * to go-marathon. Events of other types are never written. */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  'api_post_event',
  'status_update_event',
  'framework_message_event',
  'subscribe_event',
  'unsubscribe_event',
  'add_health_check_event',
  'remove_health_check_event',
  'failed_health_check_event',
  'health_status_changed_event',
  'unhealthy_task_kill_event',
  'group_change_success',
  'group_change_failed',
  'deployment_success',
  'deployment_failed',
  'deployment_info',
  'deployment_step_success',
  'deployment_step_failure',
  'event_stream_attached',
  'event_stream_detached',
  'app_terminated_event',
  'instance_changed_event',
  'unknown_instance_terminated_event',
  'unhealthy_instance_kill_event',
  'instance_health_changed_event',
  'pod_created_event',
  'pod_updated_event',
  'pod_deleted_event',
]);

export type PlanFormat = 'full' | 'light';

export interface StreamOptions {
  /** Types asked for with `event_type`; empty: every type. */
  types: ReadonlySet<string>;
  planFormat: PlanFormat;
}

/** True when the Accept header names text/event-stream (Marathon's servlet answers nothing else; a
 * `*\/*` wildcard is not enough there either). */
export function acceptsEventStream(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept
    .split(',')
    .map((t) => t.split(';')[0]!.trim().toLowerCase())
    .includes('text/event-stream');
}

/** The stream options of a request's query: `event_type` (repeatable) and `plan-format=light`. */
export function streamOptions(types: readonly string[], planFormat: string | null): StreamOptions {
  return {
    types: new Set(types.map((t) => t.trim()).filter(Boolean)),
    // Full plans by default (Marathon ≤ 1.6): marathon-python builds plan.original and plan.target
    // unconditionally and fails on a light plan.
    planFormat: planFormat?.trim().toLowerCase() === 'light' ? 'light' : 'full',
  };
}

/** Whether a subscriber with these options receives the event. */
export function wants(opts: StreamOptions, event: MarathonEvent): boolean {
  if (!KNOWN_EVENT_TYPES.has(event.eventType)) return false;
  return opts.types.size === 0 || opts.types.has(event.eventType);
}

/** The event as a light-plan subscriber sees it: `plan.original` and `plan.target` dropped. */
export function lightEvent(event: MarathonEvent): MarathonEvent {
  const plan = event.plan;
  if (!plan || typeof plan !== 'object' || Array.isArray(plan)) return event;
  const { original: _o, target: _t, ...light } = plan as Record<string, unknown>;
  return { ...event, plan: light };
}

// Frames of one event, rendered once however many subscribers receive it.
const rendered = new WeakMap<MarathonEvent, Partial<Record<PlanFormat, string>>>();

/** `event: <type>\ndata: <json>\n\n`. */
export function frame(event: MarathonEvent, planFormat: PlanFormat = 'full'): string {
  let forms = rendered.get(event);
  if (!forms) rendered.set(event, (forms = {}));
  const cached = forms[planFormat];
  if (cached !== undefined) return cached;
  const body = JSON.stringify(planFormat === 'light' ? lightEvent(event) : event);
  const text = `event: ${event.eventType.replace(/[\r\n]/g, '')}\ndata: ${body}\n\n`;
  forms[planFormat] = text;
  return text;
}

/** An SSE comment (ignored by every client): keeps idle connections open through proxies. */
export function comment(text = ''): string {
  return `:${text ? ` ${text.replace(/[\r\n]+/g, ' ')}` : ''}\n\n`;
}
