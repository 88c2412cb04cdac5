/**
 * The action editor: one main-area tab per action. A header (name, trigger, draft state,
 * Save Draft, Deploy with a message, Open as Notebook) over tabs: Code (JupyterLab's
 * CodeMirror with Python), Test (the payload in a JSON editor, Run, the outcome), Version
 * History, Secrets and Dependencies. Every change goes through the REST API (EditorApi).
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { CodeEditor, CodeEditorWrapper, IEditorServices } from '@jupyterlab/codeeditor';
import { ReactWidget } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import { Panel, TabPanel } from '@lumino/widgets';
import * as React from 'react';

import { errorLine, ISecretInfo } from '../api';
import { diffRows } from '../models/diff';
import {
  Badge,
  commandRows,
  draftState,
  ExecutionJson,
  outcomeBadge,
  parsePin,
  Pin,
  withoutPin,
  withPin
} from '../models/execution';
import { draftSync } from '../models/draftSync';
import { PayloadDraft } from '../models/payload';
import { EditorApi, IDependencies, IDraft, IVersion } from './editorApi';

const DRAFT = 'draft';
/** How often an open editor asks whether its draft changed elsewhere (a cell, the CLI). */
const SYNC_INTERVAL_MS = 2000;

/** A ReactWidget whose render is a function of its owner. */
class View extends ReactWidget {
  constructor(
    private readonly draw: () => JSX.Element,
    className: string
  ) {
    super();
    this.addClass(className);
  }
  render(): JSX.Element {
    return this.draw();
  }
}

export interface IOpenTiming {
  /** performance.now() when the open command ran. */
  requestedAt: number;
}

export class ActionEditor extends Panel {
  action: IDraft | null = null;
  private savedCode = '';
  private error = '';
  private notice = '';
  private busy = '';
  private readonly codeModel = new CodeEditor.Model({ mimeType: 'text/x-python' });
  private readonly payloadModel = new CodeEditor.Model({ mimeType: 'application/json' });
  private payload: PayloadDraft | null = null;
  private payloadError = '';
  private execution: ExecutionJson | null = null;
  private versions: IVersion[] | null = null;
  private viewed: IVersion | null = null;
  private compare: [string, string] = ['', DRAFT];
  private secrets: ISecretInfo[] | null = null;
  private deps: IDependencies | null = null;
  private depError = '';
  private readonly header: View;
  private readonly tabs = new TabPanel();
  private readonly testView: View;
  private readonly historyView: View;
  private readonly secretsView: View;
  private readonly depsView: View;
  private readonly secretInputs = new Map<string, HTMLInputElement>();
  private newSecretName: HTMLInputElement | null = null;
  private deployMessage: HTMLInputElement | null = null;
  /** The stored draft, changed elsewhere while this editor holds edits of its own. */
  private external: string | null = null;
  /** Counts this editor's own requests: a sync answer that crossed one is stale. */
  private epoch = 0;
  private readonly sync: Poll;

  constructor(
    private readonly api: EditorApi,
    editors: IEditorServices,
    private readonly openNotebook: (cell: string, name: string) => Promise<void>,
    readonly timing: IOpenTiming
  ) {
    super();
    this.addClass('jp-ActionEditor');
    this.header = new View(() => this.renderHeader(), 'jp-ActionEditor-header');
    const factory = editors.factoryService.newDocumentEditor.bind(editors.factoryService);
    const code = new CodeEditorWrapper({ factory, model: this.codeModel, editorOptions: { config: { lineNumbers: true } } });
    code.addClass('jp-ActionEditor-code');
    code.title.label = 'Code';
    const payload = new CodeEditorWrapper({ factory, model: this.payloadModel, editorOptions: { config: { lineNumbers: true } } });
    payload.addClass('jp-ActionEditor-payload');
    const test = new Panel();
    test.addClass('jp-ActionEditor-test');
    test.title.label = 'Test';
    this.testView = new View(() => this.renderTest(), 'jp-ActionEditor-testResult');
    test.addWidget(payload);
    test.addWidget(this.testView);
    this.historyView = new View(() => this.renderHistory(), 'jp-ActionEditor-history');
    this.historyView.title.label = 'Version History';
    this.secretsView = new View(() => this.renderSecrets(), 'jp-ActionEditor-secrets');
    this.secretsView.title.label = 'Secrets';
    this.depsView = new View(() => this.renderDeps(), 'jp-ActionEditor-deps');
    this.depsView.title.label = 'Dependencies';
    for (const tab of [code, test, this.historyView, this.secretsView, this.depsView]) {
      this.tabs.addWidget(tab);
    }
    this.tabs.addClass('jp-ActionEditor-tabs');
    this.tabs.currentChanged.connect(() => void this.loadTab());
    this.addWidget(this.header);
    this.addWidget(this.tabs);
    this.codeModel.sharedModel.changed.connect(() => this.header.update());
    this.payloadModel.sharedModel.changed.connect(() => {
      if (this.payload) {
        this.payload.edit(this.payloadModel.sharedModel.getSource());
        const parsed = this.payload.parse();
        this.payloadError = parsed.ok ? '' : parsed.error;
        this.testView.update();
      }
    });
    this.sync = new Poll({
      factory: () => this.syncWithServer(),
      frequency: { interval: SYNC_INTERVAL_MS, backoff: true, max: 30_000 },
      name: 'jupyter-actions:editor-sync',
      standby: () => !this.isVisible || !this.action || !!this.busy || 'when-hidden'
    });
  }

  get dirty(): boolean {
    return this.action !== null && draftState(this.savedCode, this.codeModel.sharedModel.getSource()) !== 'up to date';
  }

  /** Shows `action` (its code at once; the tabs load when opened). */
  showAction(action: IDraft): void {
    this.setAction(action, true);
    this.node.dataset.codeShownMs = (performance.now() - this.timing.requestedAt).toFixed(1);
  }

  showError(failure: unknown): void {
    this.error = errorLine(failure);
    this.header.update();
  }

  focusCode(): void {
    this.tabs.currentIndex = 0;
    const code = this.tabs.widgets[0] as CodeEditorWrapper;
    code.editor.focus();
  }

  async save(): Promise<void> {
    if (!this.action) {
      return;
    }
    await this.run('Saving…', async () => {
      const text = this.codeModel.sharedModel.getSource();
      const saved = await this.api.saveCode(this.action!.id, text);
      this.savedCode = text;
      this.setAction(saved, false);
      this.notice = 'Draft saved';
    });
  }

  dispose(): void {
    this.sync.dispose();
    this.codeModel.dispose();
    this.payloadModel.dispose();
    super.dispose();
  }

  private setAction(action: IDraft, replaceCode: boolean): void {
    this.action = action;
    this.title.label = action.name;
    this.node.dataset.action = action.name;
    if (replaceCode) {
      this.savedCode = action.code;
      this.codeModel.sharedModel.setSource(action.code);
    }
    this.header.update();
  }

  private async run(busy: string, work: () => Promise<void>): Promise<void> {
    this.epoch += 1;
    this.busy = busy;
    this.error = '';
    this.notice = '';
    this.header.update();
    try {
      await work();
    } catch (failure) {
      this.error = errorLine(failure);
    } finally {
      this.busy = '';
      this.header.update();
      this.testView.update();
      this.historyView.update();
      this.secretsView.update();
      this.depsView.update();
    }
  }

  /** Follows the stored draft: a change made elsewhere is shown at once when the editor has no
   * edits of its own, and offered when it has (draftSync); deploys elsewhere update the header. */
  private async syncWithServer(): Promise<void> {
    const epoch = this.epoch;
    const fresh = await this.api.getAction(this.action!.id);
    if (epoch !== this.epoch || this.busy || this.action?.id !== fresh.id) {
      return; // the editor saved, deployed or reloaded meanwhile: its own answer is newer
    }
    const editorText = this.codeModel.sharedModel.getSource();
    const sync = draftSync(this.savedCode, editorText, fresh.code);
    this.external = sync === 'conflict' ? fresh.code : null;
    if (sync === 'reload' || sync === 'conflict') {
      this.notice = sync === 'reload' ? 'Reloaded: the draft was changed outside this editor' : '';
    }
    if (sync === 'reload' || sync === 'converged') {
      this.savedCode = fresh.code;
    }
    this.setAction(fresh, sync === 'reload');
  }

  /** The user's answer to a draft changed elsewhere: show it, or keep editing their own. */
  private resolveExternal(load: boolean): void {
    const external = this.external;
    if (external === null) {
      return;
    }
    this.epoch += 1;
    this.external = null;
    this.savedCode = external;
    if (load) {
      this.codeModel.sharedModel.setSource(external);
    }
    this.notice = load ? 'Showing the draft saved elsewhere' : 'Kept your edits: Save Draft replaces the stored draft';
    this.header.update();
  }

  private async reloadAction(): Promise<void> {
    const fresh = await this.api.getAction(this.action!.id);
    this.setAction(fresh, !this.dirty);
  }

  private async loadTab(): Promise<void> {
    if (!this.action) {
      return;
    }
    const current = this.tabs.currentWidget;
    const id = this.action.id;
    await this.run('', async () => {
      if (current === this.tabs.widgets[1] && this.payload === null) {
        const sample = await this.api.sample(this.action!.supported_triggers[0].id);
        this.payload = new PayloadDraft(sample);
        this.payloadModel.sharedModel.setSource(this.payload.text);
      } else if (current === this.historyView) {
        this.versions = await this.api.versions(id);
      } else if (current === this.secretsView) {
        this.secrets = await this.api.secrets(id);
      } else if (current === this.depsView) {
        this.deps = await this.api.dependencies(id);
      }
    });
  }

  // header ----------------------------------------------------------------------------------
  private renderHeader(): JSX.Element {
    const action = this.action;
    if (!action) {
      return (
        <div className="jp-ActionEditor-bar">
          {this.error ? <span className="jp-ActionEditor-error" role="alert">{this.error}</span> : 'Loading…'}
        </div>
      );
    }
    const state = draftState(this.savedCode, this.codeModel.sharedModel.getSource());
    const deployed = action.deployed_version ? `deployed v${action.deployed_version.number}` : 'never deployed';
    return (
      <div className="jp-ActionEditor-bar">
        <h2 className="jp-ActionEditor-name">{action.name}</h2>
        <span className="jp-ActionEditor-trigger">{action.supported_triggers[0]?.id}</span>
        <span
          className={`jp-ActionEditor-state ${state === 'up to date' ? 'jp-mod-clean' : 'jp-mod-dirty'}`}
          data-state={state}
        >
          {state}
        </span>
        <span className="jp-ActionEditor-deployed">
          {deployed}
          {action.deployed_version && !action.all_changes_deployed ? ' (draft ahead)' : ''}
        </span>
        <span className="jp-ActionEditor-spacer" />
        <button
          type="button"
          className="jp-mod-styled jp-ActionEditor-save"
          disabled={!!this.busy}
          title="Save Draft (Ctrl-S / Cmd-S in the editor)"
          onClick={() => void this.save()}
        >
          Save Draft
        </button>
        <input
          className="jp-mod-styled jp-ActionEditor-deployMessage"
          aria-label="Deploy message"
          placeholder="Deploy message (optional)"
          ref={node => (this.deployMessage = node)}
        />
        <button
          type="button"
          className="jp-mod-styled jp-mod-accept jp-ActionEditor-deploy"
          disabled={!!this.busy}
          onClick={() => void this.deploy()}
        >
          Deploy
        </button>
        <button
          type="button"
          className="jp-mod-styled jp-ActionEditor-notebook"
          disabled={!!this.busy}
          onClick={() => void this.asNotebook()}
        >
          Open as Notebook
        </button>
        {this.external !== null && (
          <div className="jp-ActionEditor-conflict" role="alert">
            The draft was changed outside this editor while you were editing it.
            <button type="button" className="jp-mod-styled jp-ActionEditor-loadExternal" onClick={() => this.resolveExternal(true)}>
              Show the saved draft
            </button>
            <button type="button" className="jp-mod-styled jp-ActionEditor-keepMine" onClick={() => this.resolveExternal(false)}>
              Keep my edits
            </button>
          </div>
        )}
        <div className="jp-ActionEditor-status" aria-live="polite">
          {this.error && (
            <span className="jp-ActionEditor-error" role="alert">
              {this.error}
            </span>
          )}
          {!this.error && (this.busy || this.notice)}
        </div>
      </div>
    );
  }

  private async deploy(): Promise<void> {
    await this.run('Deploying…', async () => {
      if (this.dirty) {
        throw new Error('Save the draft before deploying: the editor has unsaved changes');
      }
      const message = this.deployMessage?.value ?? '';
      const version = await this.api.deploy(this.action!.id, message);
      if (this.deployMessage) {
        this.deployMessage.value = '';
      }
      await this.reloadAction();
      this.versions = await this.api.versions(this.action!.id);
      this.notice = `Deployed version ${version.number}${version.message ? `: ${version.message}` : ''}`;
    });
  }

  private async asNotebook(): Promise<void> {
    await this.run('Opening a notebook…', async () => {
      await this.openNotebook(await this.api.cell(this.action!.id), this.action!.name);
    });
  }

  // test ------------------------------------------------------------------------------------
  private async runTest(): Promise<void> {
    if (!this.payload) {
      return;
    }
    const parsed = this.payload.parse();
    if (!parsed.ok) {
      this.payloadError = parsed.error;
      this.testView.update();
      return;
    }
    await this.run('Running the test…', async () => {
      if (this.dirty) {
        await this.save();
      }
      this.execution = await this.api.test(this.action!.id, parsed.value);
    });
  }

  private renderTest(): JSX.Element {
    const execution = this.execution;
    const badge: Badge | null = execution ? outcomeBadge(execution) : null;
    return (
      <div>
        <div className="jp-ActionEditor-testBar">
          <button
            type="button"
            className="jp-mod-styled jp-mod-accept jp-ActionEditor-run"
            disabled={!!this.busy || !this.payload}
            onClick={() => void this.runTest()}
          >
            Run
          </button>
          <button
            type="button"
            className="jp-mod-styled jp-ActionEditor-reset"
            disabled={!this.payload || this.payload.isSample}
            onClick={() => {
              this.payload?.reset();
              this.payloadModel.sharedModel.setSource(this.payload?.text ?? '');
            }}
          >
            Reset to sample
          </button>
          {this.payloadError && (
            <span className="jp-ActionEditor-error jp-ActionEditor-payloadError" role="alert">
              {this.payloadError}
            </span>
          )}
        </div>
        {execution && badge && (
          <div className="jp-ActionEditor-outcome">
            <span className={`jp-ActionEditor-badge jp-mod-${badge.kind}`} data-kind={badge.kind}>
              {badge.label}
            </span>
            <h3>Commands</h3>
            <table className="jp-ActionEditor-table jp-ActionEditor-commands">
              <thead>
                <tr>
                  <th>action</th>
                  <th>command</th>
                  <th>details</th>
                </tr>
              </thead>
              <tbody>
                {commandRows(execution).map((row, i) => (
                  <tr key={i}>
                    <td>{row.action}</td>
                    <td>{row.type}</td>
                    <td>
                      <code>{row.detail}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {execution.results.map(result => (
              <section key={result.action_name} className="jp-ActionEditor-result">
                <h3>Logs of {result.action_name}</h3>
                <pre className="jp-ActionEditor-logs">{result.response.logs || '(no output)'}</pre>
                <h3>Stats</h3>
                <table className="jp-ActionEditor-table jp-ActionEditor-stats">
                  <tbody>
                    {Object.entries(result.response.stats).map(([name, value]) => (
                      <tr key={name}>
                        <td>{name}</td>
                        <td>{value}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {result.response.error && (
                  <>
                    <h3>Error</h3>
                    <div className="jp-ActionEditor-error">
                      {result.response.error.name}: {result.response.error.message}
                    </div>
                    {result.response.error.stack && (
                      <pre className="jp-ActionEditor-traceback">{result.response.error.stack}</pre>
                    )}
                  </>
                )}
              </section>
            ))}
          </div>
        )}
      </div>
    );
  }

  // history ---------------------------------------------------------------------------------
  private codeOf(key: string): string | null {
    if (key === DRAFT) {
      return this.codeModel.sharedModel.getSource();
    }
    return this.versions?.find(v => v.id === key)?.code ?? null;
  }

  private async rollback(version: IVersion): Promise<void> {
    const answer = await showDialog({
      title: `Roll back ${this.action!.name} to version ${version.number}?`,
      body: 'A new version with the code of this one is deployed and runs from now on. The draft is kept.',
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Roll back' })]
    });
    if (!answer.button.accept) {
      return;
    }
    await this.run('Rolling back…', async () => {
      const made = await this.api.rollback(this.action!.id, version.id);
      await this.reloadAction();
      this.versions = await this.api.versions(this.action!.id);
      this.notice = `Rolled back: version ${made.number} has the code of version ${version.number}`;
    });
  }

  private renderHistory(): JSX.Element {
    const versions = this.versions;
    if (versions === null) {
      return <p className="jp-ActionEditor-note">Loading…</p>;
    }
    if (versions.length === 0) {
      return <p className="jp-ActionEditor-note">No version yet: Deploy makes version 1.</p>;
    }
    const options = [
      ...versions.map(v => (
        <option key={v.id} value={v.id}>
          version {v.number}
        </option>
      )),
      <option key={DRAFT} value={DRAFT}>
        the draft
      </option>
    ];
    const [left, right] = this.compare;
    const leftCode = this.codeOf(left);
    const rightCode = this.codeOf(right);
    return (
      <div>
        <table className="jp-ActionEditor-table jp-ActionEditor-versions">
          <thead>
            <tr>
              <th>version</th>
              <th>deployed at</th>
              <th>message</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map(v => (
              <tr key={v.id} data-version={v.number}>
                <td>
                  v{v.number} {v.deployed && <span className="jp-ActionEditor-badge jp-mod-allowed">running</span>}
                </td>
                <td>{new Date(v.created_at).toLocaleString()}</td>
                <td>{v.message ?? ''}</td>
                <td>
                  <button type="button" className="jp-mod-styled jp-ActionEditor-view" onClick={() => {
                    this.viewed = this.viewed?.id === v.id ? null : v;
                    this.historyView.update();
                  }}>
                    {this.viewed?.id === v.id ? 'Hide code' : 'View code'}
                  </button>
                  {!v.deployed && (
                    <button
                      type="button"
                      className="jp-mod-styled jp-mod-warn jp-ActionEditor-rollback"
                      disabled={!!this.busy}
                      onClick={() => void this.rollback(v)}
                    >
                      Roll back
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {this.viewed && (
          <section>
            <h3>Version {this.viewed.number}</h3>
            <pre className="jp-ActionEditor-code-view">{this.viewed.code}</pre>
          </section>
        )}
        <div className="jp-ActionEditor-compare">
          Compare{' '}
          <select
            aria-label="Left side of the comparison"
            className="jp-mod-styled jp-ActionEditor-left"
            value={left}
            onChange={e => {
              this.compare = [e.target.value, right];
              this.historyView.update();
            }}
          >
            <option value="">choose…</option>
            {options}
          </select>{' '}
          with{' '}
          <select
            aria-label="Right side of the comparison"
            className="jp-mod-styled jp-ActionEditor-right"
            value={right}
            onChange={e => {
              this.compare = [left, e.target.value];
              this.historyView.update();
            }}
          >
            {options}
          </select>
        </div>
        {leftCode !== null && rightCode !== null && (
          <table className="jp-ActionEditor-diff">
            <tbody>
              {diffRows(leftCode, rightCode).map((row, i) => (
                <tr key={i} className={`jp-mod-${row.kind}`} data-kind={row.kind}>
                  <td className="jp-ActionEditor-lineNo">{row.left?.line ?? ''}</td>
                  <td className="jp-ActionEditor-diffLeft">
                    <pre>{row.left?.text ?? ''}</pre>
                  </td>
                  <td className="jp-ActionEditor-lineNo">{row.right?.line ?? ''}</td>
                  <td className="jp-ActionEditor-diffRight">
                    <pre>{row.right?.text ?? ''}</pre>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    );
  }

  // secrets ---------------------------------------------------------------------------------
  /** The value goes from the masked input to the PUT and nowhere else; the input is emptied. */
  private async setSecret(name: string, input: HTMLInputElement | null | undefined): Promise<void> {
    if (!input || !name.trim()) {
      return;
    }
    const value = input.value;
    input.value = '';
    await this.run('Saving the secret…', async () => {
      await this.api.setSecret(this.action!.id, name.trim(), value);
      this.secrets = await this.api.secrets(this.action!.id);
      await this.reloadAction();
      this.notice = `Secret ${name.trim()} saved`;
    });
  }

  private async deleteSecret(name: string): Promise<void> {
    const answer = await showDialog({
      title: `Delete secret ${name}?`,
      body: 'Its value is removed from the draft.',
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
    });
    if (!answer.button.accept) {
      return;
    }
    await this.run('Deleting the secret…', async () => {
      await this.api.deleteSecret(this.action!.id, name);
      this.secrets = await this.api.secrets(this.action!.id);
      await this.reloadAction();
    });
  }

  private renderSecrets(): JSX.Element {
    if (this.secrets === null) {
      return <p className="jp-ActionEditor-note">Loading…</p>;
    }
    return (
      <div>
        <p className="jp-ActionEditor-note">Values are write-only: they are never shown again after saving.</p>
        <table className="jp-ActionEditor-table jp-ActionEditor-secretList">
          <tbody>
            {this.secrets.map(secret => (
              <tr key={secret.name} data-secret={secret.name}>
                <td>
                  <code>{secret.name}</code>
                </td>
                <td>
                  <span className={`jp-ActionEditor-badge ${secret.is_set ? 'jp-mod-allowed' : 'jp-mod-denied'}`}>
                    {secret.is_set ? 'set' : 'missing'}
                  </span>
                </td>
                <td>
                  <form
                    onSubmit={e => {
                      e.preventDefault();
                      void this.setSecret(secret.name, this.secretInputs.get(secret.name));
                    }}
                  >
                    <input
                      type="password"
                      autoComplete="new-password"
                      className="jp-mod-styled jp-ActionEditor-secretValue"
                      aria-label={`Value of ${secret.name}`}
                      placeholder={secret.is_set ? 'new value' : 'value'}
                      ref={node => {
                        if (node) {
                          this.secretInputs.set(secret.name, node);
                        }
                      }}
                    />
                    <button type="submit" className="jp-mod-styled jp-ActionEditor-secretSave" disabled={!!this.busy}>
                      Save
                    </button>
                    <button
                      type="button"
                      className="jp-mod-styled jp-mod-warn jp-ActionEditor-secretDelete"
                      disabled={!!this.busy}
                      onClick={() => void this.deleteSecret(secret.name)}
                    >
                      Delete
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          className="jp-ActionEditor-newSecret"
          onSubmit={e => {
            e.preventDefault();
            const name = this.newSecretName?.value ?? '';
            const input = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[type=password]');
            void this.setSecret(name, input).then(() => {
              if (this.newSecretName && !this.error) {
                this.newSecretName.value = '';
              }
            });
          }}
        >
          <input
            className="jp-mod-styled"
            aria-label="New secret name"
            placeholder="NEW_SECRET_NAME"
            ref={node => (this.newSecretName = node)}
          />
          <input
            type="password"
            autoComplete="new-password"
            className="jp-mod-styled"
            aria-label="New secret value"
            placeholder="value"
          />
          <button type="submit" className="jp-mod-styled" disabled={!!this.busy}>
            Add secret
          </button>
        </form>
      </div>
    );
  }

  // dependencies ----------------------------------------------------------------------------
  private async savePins(pins: Pin[]): Promise<void> {
    await this.run('Saving the dependencies…', async () => {
      const saved = await this.api.saveDependencies(this.action!.id, pins);
      this.setAction(saved, false);
      this.deps = await this.api.dependencies(this.action!.id);
    });
  }

  private renderDeps(): JSX.Element {
    const deps = this.deps;
    if (deps === null) {
      return <p className="jp-ActionEditor-note">Loading…</p>;
    }
    let nameInput: HTMLInputElement | null = null;
    let versionInput: HTMLInputElement | null = null;
    return (
      <div>
        <p>
          Build status: <span className="jp-ActionEditor-buildStatus">{deps.status}</span>
        </p>
        <table className="jp-ActionEditor-table jp-ActionEditor-depList">
          <tbody>
            {deps.dependencies.map(pin => (
              <tr key={pin.name} data-dependency={pin.name}>
                <td>
                  <code>{pin.name}</code>
                </td>
                <td>{pin.version}</td>
                <td>
                  <button
                    type="button"
                    className="jp-mod-styled jp-mod-warn"
                    disabled={!!this.busy}
                    onClick={() => void this.savePins(withoutPin(deps.dependencies, pin.name))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form
          className="jp-ActionEditor-newDep"
          onSubmit={e => {
            e.preventDefault();
            const parsed = parsePin(nameInput?.value ?? '', versionInput?.value ?? '');
            if (!parsed.ok) {
              this.depError = parsed.error;
              this.depsView.update();
              return;
            }
            this.depError = '';
            void this.savePins(withPin(deps.dependencies, parsed.pin));
          }}
        >
          <input className="jp-mod-styled" aria-label="Package" placeholder="package" ref={n => (nameInput = n)} />
          <input className="jp-mod-styled" aria-label="Version" placeholder="version" ref={n => (versionInput = n)} />
          <button type="submit" className="jp-mod-styled" disabled={!!this.busy}>
            Add
          </button>
          {this.depError && (
            <span className="jp-ActionEditor-error" role="alert">
              {this.depError}
            </span>
          )}
        </form>
      </div>
    );
  }
}

