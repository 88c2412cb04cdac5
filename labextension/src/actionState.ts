/**
 * The badges the sidebar shows for an action, read straight from the fields the REST API
 * returns (`deployed_version`, `all_changes_deployed`, `status`, `secrets[].is_set`).
 */
import { IAction } from './api';

export type BadgeKind = 'draft' | 'deployed' | 'ahead' | 'failed' | 'secret';

export interface IBadge {
  kind: BadgeKind;
  label: string;
  /** The longer text of the tooltip. */
  detail: string;
}

export function badgesOf(action: IAction): IBadge[] {
  const badges: IBadge[] = [];
  const deployed = action.deployed_version;
  if (deployed === null) {
    badges.push({ kind: 'draft', label: 'draft only', detail: 'Never deployed: no flow can run it yet' });
  } else if (action.all_changes_deployed) {
    badges.push({ kind: 'deployed', label: `v${deployed.number}`, detail: `Deployed as version ${deployed.number}` });
  } else {
    badges.push({
      kind: 'ahead',
      label: `draft ahead of v${deployed.number}`,
      detail: `The draft has changes that version ${deployed.number} does not have`
    });
  }
  if (action.status === 'failed') {
    const reason = action.errors.map(e => e.msg).join('; ');
    badges.push({ kind: 'failed', label: 'build failed', detail: reason || 'The dependencies did not build' });
  }
  const missing = action.secrets.filter(s => !s.is_set).map(s => s.name);
  if (missing.length > 0) {
    badges.push({
      kind: 'secret',
      label: missing.length === 1 ? 'secret missing' : `${missing.length} secrets missing`,
      detail: `No value set for ${missing.join(', ')}`
    });
  }
  return badges;
}

/** The trigger an action targets (an action here targets exactly one). */
export function triggerOf(action: IAction): string {
  return action.supported_triggers[0]?.id ?? '';
}
