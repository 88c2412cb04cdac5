/**
 * The commands of the flow editor and the logs, in the palette, with their tabs restored when
 * Lab reloads: `jupyter-actions:open-flow` {triggerId?} and `jupyter-actions:open-logs`.
 */
import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';

import { ActionsApi } from '../api';
import { actionsIcon } from '../icons';
import { LogsPanel } from '../logs/logsPanel';
import { FlowPanel } from './flowPanel';

export namespace FlowCommandIDs {
  export const openFlow = 'jupyter-actions:open-flow';
  export const openLogs = 'jupyter-actions:open-logs';
}

const DEFAULT_TRIGGER = 'post-login';

export function registerFlowsAndLogs(
  app: JupyterFrontEnd,
  api: ActionsApi,
  restorer: ILayoutRestorer | null,
  palette: ICommandPalette | null,
  category: string
): void {
  const flows = new WidgetTracker<FlowPanel>({ namespace: 'jupyter-actions-flow' });
  const logs = new WidgetTracker<LogsPanel>({ namespace: 'jupyter-actions-logs' });

  app.commands.addCommand(FlowCommandIDs.openFlow, {
    label: args => (args.triggerId ? `Open the Flow of ${String(args.triggerId)}` : 'Open Flows'),
    caption: 'Reorder, add and remove the actions a trigger runs',
    icon: actionsIcon,
    execute: async args => {
      let panel = flows.currentWidget;
      if (panel === null || panel.isDisposed) {
        panel = new FlowPanel(api);
        void flows.add(panel);
      }
      if (!panel.isAttached) {
        app.shell.add(panel, 'main');
      }
      app.shell.activateById(panel.id);
      const trigger = typeof args.triggerId === 'string' && args.triggerId ? args.triggerId : null;
      await panel.open(trigger ?? panel.triggerId ?? DEFAULT_TRIGGER);
      void flows.save(panel);
    }
  });

  app.commands.addCommand(FlowCommandIDs.openLogs, {
    label: 'Open Action Logs',
    caption: 'Recent flow executions, their details and a chart',
    icon: actionsIcon,
    execute: async () => {
      let panel = logs.currentWidget;
      if (panel === null || panel.isDisposed) {
        panel = new LogsPanel(api);
        void logs.add(panel);
      }
      if (!panel.isAttached) {
        app.shell.add(panel, 'main');
      }
      app.shell.activateById(panel.id);
      await panel.refresh();
    }
  });

  palette?.addItem({ command: FlowCommandIDs.openFlow, category });
  palette?.addItem({ command: FlowCommandIDs.openLogs, category });

  if (restorer !== null) {
    void restorer.restore(flows, {
      command: FlowCommandIDs.openFlow,
      args: panel => ({ triggerId: panel.triggerId ?? DEFAULT_TRIGGER }),
      name: () => 'flow'
    });
    void restorer.restore(logs, {
      command: FlowCommandIDs.openLogs,
      name: () => 'logs'
    });
  }
}
