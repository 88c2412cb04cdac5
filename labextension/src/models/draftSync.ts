/**
 * What the action editor does when the stored draft changes outside it (a `%%action` cell, the
 * CLI, another editor): the three texts are the draft as the editor last loaded or saved it,
 * what the editor holds now, and the draft the server answers with now.
 */
export type DraftSync =
  /** The server still has what the editor loaded: nothing to do. */
  | 'unchanged'
  /** Changed elsewhere and the editor has no edits of its own: show the new draft. */
  | 'reload'
  /** Changed elsewhere into exactly what the editor holds: the edits are saved after all. */
  | 'converged'
  /** Changed elsewhere while the editor holds other edits: the user chooses. */
  | 'conflict';

export function draftSync(saved: string, editor: string, server: string): DraftSync {
  if (server === saved) {
    return 'unchanged';
  }
  if (server === editor) {
    return 'converged';
  }
  return editor === saved ? 'reload' : 'conflict';
}
