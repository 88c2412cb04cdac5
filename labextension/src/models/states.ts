/**
 * The sidebar's badges for an action, from what GET /jupyter-actions/api/v2/actions/actions
 * lists (jupyter_actions/model.py `Action.to_json`). Every field read is one the server sends:
 * `deployed_version.number`, `all_changes_deployed`, the draft's build `status` and `errors`,
 * and `secrets[].is_set` (this server's addition to Auth0's shape).
 */
import type { ActionJson } from './json';

export type BadgeKind =
  | 'draft-only'
  | 'deployed'
  | 'draft-ahead'
  | 'building'
  | 'build-failed'
  | 'secret-missing';

export interface Badge {
  readonly kind: BadgeKind;
  /** The text on the badge: "draft only", "deployed v3", "draft ahead of v3", ... */
  readonly label: string;
  /** One line for the tooltip: the build's first error line, or the secrets with no value. */
  readonly detail?: string;
}

/** The draft build states that end in "built" or "failed" later (Auth0's enum, ours included). */
const BUILDING = new Set(['pending', 'building', 'retrying', 'packaged']);

/**
 * The action's badges, problems first (a build failed, a secret missing, a build under way),
 * then exactly one of "draft only", "deployed vN", "draft ahead of vN".
 */
export function actionBadges(action: ActionJson): Badge[] {
  const badges: Badge[] = [];
  if (action.status === 'failed') {
    const first = action.errors[0]?.msg.split('\n')[0].trim();
    badges.push({
      kind: 'build-failed',
      label: 'build failed',
      detail: first || undefined
    });
  }
  const missing = action.secrets.filter(s => !s.is_set).map(s => s.name);
  if (missing.length > 0) {
    badges.push({
      kind: 'secret-missing',
      label: 'secret missing',
      detail: `no value yet: ${missing.join(', ')}`
    });
  }
  if (BUILDING.has(action.status)) {
    badges.push({ kind: 'building', label: 'building' });
  }
  badges.push(lifecycleBadge(action));
  return badges;
}

function lifecycleBadge(action: ActionJson): Badge {
  const deployed = action.deployed_version;
  if (deployed === null) {
    return { kind: 'draft-only', label: 'draft only' };
  }
  return action.all_changes_deployed
    ? { kind: 'deployed', label: `deployed v${deployed.number}` }
    : { kind: 'draft-ahead', label: `draft ahead of v${deployed.number}` };
}
