/**
 * The JSON the models read, as the server writes it (jupyter_actions/model.py `to_json`,
 * served by jupyter_actions/server/management.py under /jupyter-actions/api/v2/). Only the
 * fields the models use are listed: a fuller type from the API client is assignable to these.
 */

/** A secret of an action's draft: `is_set` is false for a name declared with no value yet. */
export interface SecretJson {
  name: string;
  updated_at: string | null;
  is_set: boolean;
}

/** One entry of a build's `errors` (Auth0's `{id, msg, url}`). */
export interface BuildErrorJson {
  id: string;
  msg: string;
}

/** An action version (`ActionVersion.to_json`), here as an action's `deployed_version`. */
export interface VersionJson {
  id: string;
  number: number;
  status: string;
}

/** An action with its draft (`Action.to_json`): `status` and `errors` are the draft's build. */
export interface ActionJson {
  id: string;
  name: string;
  supported_triggers: ReadonlyArray<{ id: string; version?: string }>;
  all_changes_deployed: boolean;
  status: string;
  errors: ReadonlyArray<BuildErrorJson>;
  secrets: ReadonlyArray<SecretJson>;
  deployed_version: VersionJson | null;
}

/** A binding of a trigger's flow (`Binding.to_json`): `version` is the deployed number it runs. */
export interface BindingJson {
  id: string;
  trigger_id: string;
  display_name: string;
  action: Pick<ActionJson, 'id' | 'name'>;
  version: number | null;
}
