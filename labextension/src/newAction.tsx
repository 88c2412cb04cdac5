/**
 * The New Action dialog: a name, a trigger, and either an empty handler or a template of the
 * gallery (with masked inputs for the secrets of the Actions Modules the template deploys). The
 * server makes the action; a refusal reopens the dialog with its one line.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { ActionsApi, errorLine, IAction, ITemplate, ITrigger, ModuleSecrets } from './api';

export interface IChoice {
  name: string;
  trigger: string;
  /** A template id, or null for an empty handler. */
  template: string | null;
  /** Values typed for the template's module secrets; read from the inputs when the dialog
   * closes, never rendered back into the page. */
  moduleSecrets: ModuleSecrets;
}

class NewActionForm extends ReactWidget {
  constructor(
    private readonly triggers: ITrigger[],
    private readonly templates: ITemplate[],
    private choice: IChoice,
    private readonly error: string
  ) {
    super();
    this.addClass('jp-ActionsNew');
  }

  /** The masked inputs of the chosen template's module secrets, by module then secret. */
  private readonly secretInputs = new Map<string, Map<string, HTMLInputElement>>();

  getValue(): IChoice {
    const moduleSecrets: ModuleSecrets = {};
    for (const [module, inputs] of this.secretInputs) {
      for (const [secret, input] of inputs) {
        if (input.value !== '') {
          (moduleSecrets[module] ??= {})[secret] = input.value;
        }
      }
    }
    return { ...this.choice, moduleSecrets };
  }

  private secretInput(module: string, secret: string, node: HTMLInputElement | null): void {
    const inputs = this.secretInputs.get(module) ?? new Map<string, HTMLInputElement>();
    this.secretInputs.set(module, inputs);
    if (node) {
      inputs.set(secret, node);
    } else {
      inputs.delete(secret);
    }
  }

  private set(change: Partial<IChoice>): void {
    this.choice = { ...this.choice, ...change };
    this.update();
  }

  private pick(template: ITemplate | null): void {
    if (template === null) {
      this.set({ template: null });
      return;
    }
    const renamed = this.choice.name === '' || this.templates.some(t => t.id === this.choice.name);
    this.set({ template: template.id, trigger: template.trigger, name: renamed ? template.id : this.choice.name });
  }

  render(): JSX.Element {
    const { name, trigger, template } = this.choice;
    const modules = this.templates.find(t => t.id === template)?.modules ?? [];
    return (
      <div className="jp-ActionsNew-form">
        {this.error && (
          <div className="jp-ActionsNew-error" role="alert">
            {this.error}
          </div>
        )}
        <label>
          Name
          <input
            name="name"
            className="jp-mod-styled"
            value={name}
            placeholder="add-plan-claim"
            onChange={e => this.set({ name: e.target.value })}
          />
        </label>
        <label>
          Trigger
          <select
            name="trigger"
            className="jp-mod-styled"
            value={trigger}
            disabled={template !== null}
            onChange={e => this.set({ trigger: e.target.value })}
          >
            {this.triggers.map(t => (
              <option key={t.id} value={t.id}>
                {t.id}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="jp-ActionsNew-gallery">
          <legend>Start from</legend>
          <label className="jp-ActionsNew-template">
            <input type="radio" name="template" checked={template === null} onChange={() => this.pick(null)} />
            <span className="jp-ActionsNew-templateTitle">An empty handler</span>
            <span className="jp-ActionsNew-templateDescription">A handler that does nothing, for the trigger above.</span>
          </label>
          {this.templates.map(t => (
            <label key={t.id} className="jp-ActionsNew-template" data-template={t.id}>
              <input type="radio" name="template" checked={template === t.id} onChange={() => this.pick(t)} />
              <span className="jp-ActionsNew-templateTitle">
                {t.title} <span className="jp-ActionsNew-templateTrigger">{t.trigger}</span>
              </span>
              <span className="jp-ActionsNew-templateDescription">{t.description}</span>
              {needs(t) && <span className="jp-ActionsNew-templateNeeds">{needs(t)}</span>}
            </label>
          ))}
        </fieldset>
        {modules.some(m => m.secrets.length > 0) && (
          <fieldset className="jp-ActionsNew-moduleSecrets">
            <legend>Secrets of the modules this template deploys</legend>
            {modules.flatMap(m =>
              m.secrets.map(secret => (
                <label key={`${m.name}.${secret}`}>
                  {m.name} · {secret}
                  <input
                    type="password"
                    autoComplete="off"
                    className="jp-mod-styled"
                    aria-label={`Value of ${secret} of module ${m.name}`}
                    ref={node => this.secretInput(m.name, secret, node)}
                  />
                </label>
              ))
            )}
          </fieldset>
        )}
      </div>
    );
  }
}

/** "secret X · package y · module z": what a template needs besides its code. */
function needs(template: ITemplate): string {
  return [
    ...template.secrets.map(s => `secret ${s}`),
    ...template.dependencies.map(d => `package ${d}`),
    ...(template.modules ?? []).map(m => `module ${m.name}`)
  ].join(' · ');
}

/** Creates what the form chose: from a template (the server copies it whole), or from scratch. */
function create(api: ActionsApi, choice: IChoice): Promise<IAction> {
  const name = choice.name.trim();
  if (choice.template !== null) {
    return api.createFromTemplate(choice.template, name, choice.moduleSecrets);
  }
  return api.createAction({ name, supported_triggers: [{ id: choice.trigger }] });
}

/** Asks until the server makes the action or the user cancels; resolves to the new action or null. */
export async function newActionDialog(api: ActionsApi): Promise<IAction | null> {
  const [triggers, templates] = await Promise.all([api.listTriggers(), api.listTemplates()]);
  let choice: IChoice = { name: '', trigger: triggers[0]?.id ?? 'post-login', template: null, moduleSecrets: {} };
  let error = '';
  for (;;) {
    const form = new NewActionForm(triggers, templates, choice, error);
    const answer = await showDialog({
      title: 'New Action',
      body: form,
      buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Create' })],
      focusNodeSelector: 'input[name="name"]'
    });
    if (!answer.button.accept || answer.value === null) {
      return null;
    }
    choice = answer.value;
    try {
      return await create(api, choice);
    } catch (failure) {
      error = errorLine(failure);
    }
  }
}
