/**
 * Builders of server JSON for the flow tests, in the shapes of jupyter_actions/model.py
 * `to_json` (the states tests read JSON the real server wrote: fixtures/actions.json).
 */
import type { ActionJson, BindingJson } from '../src/models/json';

export function actionJson(options: {
  name: string;
  deployed?: number;
  trigger?: string;
}): ActionJson {
  const deployed = options.deployed;
  return {
    id: `id-${options.name}`,
    name: options.name,
    supported_triggers: [
      { id: options.trigger ?? 'post-login', version: 'v3' }
    ],
    all_changes_deployed: deployed !== undefined,
    status: 'built',
    errors: [],
    secrets: [],
    deployed_version:
      deployed === undefined
        ? null
        : {
            id: `v-${options.name}-${deployed}`,
            number: deployed,
            status: 'built'
          }
  };
}

export function bindingJson(name: string, version: number): BindingJson {
  return {
    id: `binding-${name}`,
    trigger_id: 'post-login',
    display_name: name,
    action: { id: `id-${name}`, name },
    version
  };
}
