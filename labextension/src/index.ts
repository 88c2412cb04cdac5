/**
 * jupyter-actions in JupyterLab: the Actions sidebar, the "New Action" command in the palette
 * and the launcher. Everything goes through the REST API of the jupyter_server extension.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';

import { ActionsApi, errorLine } from './api';
import { registerFlowsAndLogs } from './flows/commands';
import { actionsIcon } from './icons';
import { newActionDialog } from './newAction';
import { ActionsSidebar, SIDEBAR_ID } from './sidebar';
import { editorPlugin } from './editor/plugin'; // jupyter-actions:open-editor ({name} or {id})

export namespace CommandIDs {
  export const newAction = 'jupyter-actions:new-action';
  export const showSidebar = 'jupyter-actions:show-sidebar';
}

const CATEGORY = 'Jupyter Actions';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-actions-labextension:plugin',
  description: 'The Actions sidebar, and New Action in the palette and the launcher.',
  autoStart: true,
  optional: [ILayoutRestorer, ICommandPalette, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    launcher: ILauncher | null
  ) => {
    const api = new ActionsApi(app.serviceManager.serverSettings);
    const sidebar = new ActionsSidebar(
      api,
      () => void app.commands.execute(CommandIDs.newAction),
      name => void app.commands.execute('jupyter-actions:open-editor', { name }),
      triggerId => void app.commands.execute('jupyter-actions:open-flow', { triggerId })
    );
    app.shell.add(sidebar, 'left', { rank: 600 });
    restorer?.add(sidebar, SIDEBAR_ID);

    app.commands.addCommand(CommandIDs.showSidebar, {
      label: 'Show Actions',
      caption: 'Open the Actions sidebar',
      icon: actionsIcon,
      execute: () => app.shell.activateById(SIDEBAR_ID)
    });
    app.commands.addCommand(CommandIDs.newAction, {
      label: 'New Action',
      caption: 'Create an action from scratch or from a template',
      icon: actionsIcon,
      execute: async () => {
        app.shell.activateById(SIDEBAR_ID);
        try {
          const made = await newActionDialog(api);
          if (made !== null) {
            await sidebar.refresh();
            void app.commands.execute('jupyter-actions:open-editor', { name: made.name });
            Notification.success(`Action ${made.name} created`, { autoClose: 3000 });
          }
        } catch (failure) {
          Notification.error(errorLine(failure));
        }
      }
    });

    palette?.addItem({ command: CommandIDs.newAction, category: CATEGORY });
    palette?.addItem({ command: CommandIDs.showSidebar, category: CATEGORY });
    launcher?.add({ command: CommandIDs.newAction, category: 'Other', rank: 10 });
    registerFlowsAndLogs(app, api, restorer, palette, CATEGORY);
  }
};

export default [plugin, editorPlugin];
