import type { Condition } from "../meta.js";

/** A condition to set: `lastTransitionTime` is filled in when the status changes. */
export interface ConditionUpdate {
  readonly type: string;
  readonly status: Condition["status"];
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number | undefined;
  readonly lastTransitionTime?: string | undefined;
}

/**
 * Sets a condition in a list (apimachinery's `meta.SetStatusCondition`): added when absent (with
 * `lastTransitionTime` now unless given); when present, `lastTransitionTime` changes only if
 * `status` does, while reason, message and observedGeneration follow the update. Answers whether
 * the list changed, so the caller writes status only then.
 */
export function setStatusCondition(conditions: Condition[], update: ConditionUpdate, now: () => Date = () => new Date()): boolean {
  const stamp = (): string => update.lastTransitionTime ?? rfc3339(now());
  const existing = conditions.find((c) => c.type === update.type);
  if (existing === undefined) {
    const c: Condition = { type: update.type, status: update.status, lastTransitionTime: stamp(), reason: update.reason, message: update.message };
    if (update.observedGeneration !== undefined) c.observedGeneration = update.observedGeneration;
    conditions.push(c);
    return true;
  }
  let changed = false;
  if (existing.status !== update.status) {
    existing.status = update.status;
    existing.lastTransitionTime = stamp();
    changed = true;
  }
  if (existing.reason !== update.reason) {
    existing.reason = update.reason;
    changed = true;
  }
  if (existing.message !== update.message) {
    existing.message = update.message;
    changed = true;
  }
  if (update.observedGeneration !== undefined && existing.observedGeneration !== update.observedGeneration) {
    existing.observedGeneration = update.observedGeneration;
    changed = true;
  }
  return changed;
}

/** The condition of a type, or undefined. */
export function findStatusCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether the condition of a type is there with status True. */
export function isStatusConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === "True";
}

/** Whether the condition of a type is there with status False. */
export function isStatusConditionFalse(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findStatusCondition(conditions, type)?.status === "False";
}

/** Removes the condition of a type; answers whether it was there. */
export function removeStatusCondition(conditions: Condition[], type: string): boolean {
  const i = conditions.findIndex((c) => c.type === type);
  if (i < 0) return false;
  conditions.splice(i, 1);
  return true;
}

/** RFC 3339 to the second, as Kubernetes writes `metav1.Time`. */
function rfc3339(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
