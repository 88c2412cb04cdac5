/**
 * The Actions sidebar: every action of the tenant grouped by trigger, with its state, a filter
 * and New Action. While it is visible it asks the server again every 1.5 s, so an action made
 * by the CLI or a `%%action` cell shows within 2 s.
 */
import { ReactWidget } from '@jupyterlab/ui-components';
import { Poll } from '@lumino/polling';
import * as React from 'react';

import { badgesOf, triggerOf } from './actionState';
import { ActionsApi, errorLine, IAction } from './api';
import { actionsIcon } from './icons';

export const SIDEBAR_ID = 'jupyter-actions-sidebar';
const POLL_INTERVAL_MS = 1500;

export class ActionsSidebar extends ReactWidget {
  private actions: IAction[] | null = null;
  private triggerOrder: string[] = [];
  private filter = '';
  private error = '';
  private readonly collapsed = new Set<string>();
  private readonly poll: Poll;

  constructor(
    private readonly api: ActionsApi,
    private readonly onNewAction: () => void,
    private readonly onOpenAction: (name: string) => void = () => undefined,
    private readonly onOpenFlow: (triggerId: string) => void = () => undefined
  ) {
    super();
    this.id = SIDEBAR_ID;
    this.title.icon = actionsIcon;
    this.title.caption = 'Actions';
    this.addClass('jp-ActionsSidebar');
    this.poll = new Poll({
      factory: () => this.load(),
      frequency: { interval: POLL_INTERVAL_MS, backoff: true, max: 30_000 },
      name: 'jupyter-actions:sidebar',
      // asks nothing while the sidebar is closed or the browser tab hidden
      standby: () => !this.isVisible || 'when-hidden'
    });
  }

  /** Asks the server now (after a change made from this page). */
  refresh(): Promise<void> {
    return this.poll.refresh();
  }

  dispose(): void {
    this.poll.dispose();
    super.dispose();
  }

  protected onAfterShow(): void {
    void this.poll.refresh();
  }

  private async load(): Promise<void> {
    try {
      const [triggers, actions] = await Promise.all([
        this.triggerOrder.length === 0 ? this.api.listTriggers() : null,
        this.api.listActions()
      ]);
      this.triggerOrder = triggers?.map(t => t.id) ?? this.triggerOrder;
      this.actions = actions;
      this.error = '';
    } catch (failure) {
      this.error = errorLine(failure);
      this.update();
      throw failure; // the poll backs off while the server refuses
    }
    this.update();
  }

  private groups(): [string, IAction[]][] {
    const needle = this.filter.trim().toLowerCase();
    const byTrigger = new Map<string, IAction[]>();
    for (const action of this.actions ?? []) {
      if (needle && !action.name.toLowerCase().includes(needle)) {
        continue;
      }
      const trigger = triggerOf(action);
      byTrigger.set(trigger, [...(byTrigger.get(trigger) ?? []), action]);
    }
    const rank = (trigger: string): number => {
      const index = this.triggerOrder.indexOf(trigger);
      return index < 0 ? this.triggerOrder.length : index;
    };
    return [...byTrigger.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([trigger, actions]) => [trigger, actions.sort((a, b) => a.name.localeCompare(b.name))]);
  }

  private toggle(trigger: string): void {
    if (!this.collapsed.delete(trigger)) {
      this.collapsed.add(trigger);
    }
    this.update();
  }

  render(): JSX.Element {
    const groups = this.groups();
    return (
      <div className="jp-ActionsSidebar-body">
        <header className="jp-ActionsSidebar-header">
          <h2 className="jp-ActionsSidebar-title">Actions</h2>
          <button
            type="button"
            className="jp-ActionsSidebar-new jp-mod-styled jp-mod-accept"
            onClick={() => this.onNewAction()}
          >
            New Action
          </button>
        </header>
        <input
          type="search"
          className="jp-ActionsSidebar-filter jp-mod-styled"
          placeholder="Filter by name"
          aria-label="Filter actions by name"
          value={this.filter}
          onChange={e => {
            this.filter = e.target.value;
            this.update();
          }}
        />
        {this.error && (
          <div className="jp-ActionsSidebar-error" role="alert">
            {this.error}
          </div>
        )}
        {this.actions === null && !this.error && <p className="jp-ActionsSidebar-note">Loading…</p>}
        {this.actions !== null && groups.length === 0 && (
          <p className="jp-ActionsSidebar-note">
            {this.actions.length === 0 ? 'No actions yet: make one with New Action.' : 'No action matches the filter.'}
          </p>
        )}
        {groups.map(([trigger, actions]) => {
          const open = !this.collapsed.has(trigger);
          return (
            <section key={trigger} className="jp-ActionsSidebar-group" data-trigger={trigger}>
              <div className="jp-ActionsSidebar-groupBar">
                <button
                  type="button"
                  className="jp-ActionsSidebar-groupHeader"
                  aria-expanded={open}
                  onClick={() => this.toggle(trigger)}
                >
                  <span className="jp-ActionsSidebar-caret">{open ? '▾' : '▸'}</span>
                  {trigger}
                  <span className="jp-ActionsSidebar-count">{actions.length}</span>
                </button>
                <button
                  type="button"
                  className="jp-ActionsSidebar-flowLink"
                  title={`Open the ${trigger} flow`}
                  onClick={() => this.onOpenFlow(trigger)}
                >
                  Flow
                </button>
              </div>
              {open && (
                <ul className="jp-ActionsSidebar-list">
                  {actions.map(action => (
                    <li key={action.id} className="jp-ActionsSidebar-item" data-action={action.name}>
                      <button
                        type="button"
                        className="jp-ActionsSidebar-name"
                        title={`Open ${action.name} in the action editor`}
                        onClick={() => this.onOpenAction(action.name)}
                      >
                        {action.name}
                      </button>
                      {badgesOf(action).map(badge => (
                        <span
                          key={badge.kind}
                          className={`jp-ActionsSidebar-badge jp-mod-${badge.kind}`}
                          title={badge.detail}
                        >
                          {badge.label}
                        </span>
                      ))}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
    );
  }
}
