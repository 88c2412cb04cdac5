/**
 * The action editor plugin: `jupyter-actions:open-editor` ({name} or {id}) opens an action in
 * a main-area tab (one per action; a second open activates it), and Save Draft is bound to
 * Accel-S while the code editor has focus.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IEditorServices } from '@jupyterlab/codeeditor';

import '../../style/editor.css';
import { ActionsApi, errorLine } from '../api';
import { actionsIcon } from '../icons';
import { notebookCells, notebookName } from '../models/execution';
import { EditorApi } from './editorApi';
import { ActionEditor } from './panel';

export namespace EditorCommandIDs {
  export const open = 'jupyter-actions:open-editor';
  export const save = 'jupyter-actions:save-draft';
}

export interface IOpenArgs {
  name?: string;
  id?: string;
}

export const editorPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyter-actions-labextension:editor',
  description: 'The action editor: code, test, version history, secrets and dependencies of one action.',
  autoStart: true,
  requires: [IEditorServices],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    editors: IEditorServices,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const api = new EditorApi(new ActionsApi(app.serviceManager.serverSettings));
    const tracker = new WidgetTracker<ActionEditor>({ namespace: 'jupyter-actions-editor' });
    const contents = app.serviceManager.contents;

    const openNotebook = async (cell: string, name: string): Promise<void> => {
      const listing = await contents.get('', { content: true });
      const taken = new Set<string>((listing.content as { name: string }[]).map(item => item.name));
      const path = notebookName(name, taken);
      const cells = notebookCells(cell).map(source => ({
        cell_type: 'code',
        source,
        metadata: {},
        outputs: [],
        execution_count: null
      }));
      await contents.save(path, {
        type: 'notebook',
        format: 'json',
        content: {
          cells,
          metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
          nbformat: 4,
          nbformat_minor: 5
        }
      });
      await app.commands.execute('docmanager:open', { path });
    };

    const matches = (editor: ActionEditor, args: IOpenArgs): boolean =>
      editor.action !== null && (editor.action.id === args.id || editor.action.name === args.name);

    app.commands.addCommand(EditorCommandIDs.open, {
      label: args => (args.name ? `Open Action ${args.name}` : 'Open Action Editor'),
      caption: 'Open an action in the action editor ({name} or {id})',
      icon: actionsIcon,
      execute: async raw => {
        const requestedAt = performance.now();
        const args = raw as IOpenArgs;
        if (!args.name && !args.id) {
          throw new Error(`${EditorCommandIDs.open} takes {name} or {id}`);
        }
        const open = tracker.find(editor => matches(editor, args));
        if (open) {
          app.shell.activateById(open.id);
          return open;
        }
        const editor = new ActionEditor(api, editors, openNotebook, { requestedAt });
        editor.id = `jupyter-actions-editor-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
        editor.title.label = args.name ?? 'Action';
        editor.title.icon = actionsIcon;
        editor.title.closable = true;
        app.shell.add(editor, 'main');
        app.shell.activateById(editor.id);
        try {
          const action = args.id ? await api.getAction(args.id) : await api.findAction(args.name!);
          editor.showAction(action);
          await tracker.add(editor);
          editor.focusCode();
        } catch (failure) {
          editor.showError(failure);
        }
        return editor;
      }
    });

    app.commands.addCommand(EditorCommandIDs.save, {
      label: 'Save Action Draft',
      caption: 'Save the code of the action in the editor as its draft',
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const focused = tracker.find(editor => editor.node.contains(document.activeElement));
        const editor = focused ?? tracker.currentWidget;
        try {
          await editor?.save();
        } catch (failure) {
          editor?.showError(errorLine(failure));
        }
      }
    });
    app.commands.addKeyBinding({
      command: EditorCommandIDs.save,
      keys: ['Accel S'],
      selector: '.jp-ActionEditor'
    });

    palette?.addItem({ command: EditorCommandIDs.save, category: 'Jupyter Actions' });
    restorer?.restore(tracker, {
      command: EditorCommandIDs.open,
      args: editor => ({ id: editor.action?.id ?? '' }),
      name: editor => editor.action?.id ?? ''
    });
  }
};
