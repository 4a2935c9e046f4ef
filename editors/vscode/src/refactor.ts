// The convert commands: ask the server for one refactor kind over the whole document and apply it.
import * as vscode from 'vscode';

export const RefactorKinds = {
  multiStage: 'refactor.rewrite.dockwise.to-multi-stage',
  scratch: 'refactor.rewrite.dockwise.to-scratch',
  distroless: 'refactor.rewrite.dockwise.to-distroless',
} as const;

export type ConvertOutcome = 'applied' | 'none' | 'declined' | 'cancelled' | 'failed';

/**
 * Applies the server's code action of `kind` to `uri` (default: the active editor's document).
 * Returns what happened, so the integration test can tell "no action" from "applied".
 */
export async function convert(
  kind: string,
  title: string,
  ensureRunning: () => Promise<boolean>,
  uri?: vscode.Uri,
): Promise<ConvertOutcome> {
  const document =
    uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (document === undefined || document.languageId !== 'dockerfile') {
    void vscode.window.showWarningMessage(vscode.l10n.t('dockwise: {0}: open a Dockerfile first.', title));
    return 'failed';
  }
  if (!(await ensureRunning())) {
    void vscode.window.showErrorMessage(vscode.l10n.t('dockwise: {0}: the dockwise server is not running.', title));
    return 'failed';
  }

  const whole = document.validateRange(new vscode.Range(0, 0, document.lineCount, 0));
  const wanted = vscode.CodeActionKind.Empty.append(kind);
  // The fourth argument asks VS Code to resolve up to that many actions, for servers that
  // compute the edit lazily (codeAction/resolve).
  const offered =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      whole,
      kind,
      10,
    )) ?? [];
  const actions = offered.filter(
    (item): item is vscode.CodeAction => 'kind' in item && item.kind !== undefined && wanted.contains(item.kind),
  );

  if (actions.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'dockwise: {0}: the server offers no such refactor for this Dockerfile (it may not apply here, or this dockwise version does not have it).',
        title,
      ),
    );
    return 'none';
  }
  const enabled = actions.filter((action) => action.disabled === undefined);
  if (enabled.length === 0) {
    const reasons = actions.map((action) => action.disabled?.reason).filter((r) => r !== undefined);
    void vscode.window.showInformationMessage(vscode.l10n.t('dockwise: {0}: the server declined: {1}', title, reasons.join('; ')));
    return 'declined';
  }

  let chosen: vscode.CodeAction | undefined = enabled[0];
  if (enabled.length > 1) {
    const picked = await vscode.window.showQuickPick(
      enabled.map((action) => ({ label: action.title, action })),
      { title: `dockwise: ${title}` },
    );
    chosen = picked?.action;
  }
  if (chosen === undefined) {
    return 'cancelled';
  }
  if (chosen.edit === undefined && chosen.command === undefined) {
    void vscode.window.showErrorMessage(vscode.l10n.t('dockwise: {0}: the server\'s action "{1}" carries no edit.', title, chosen.title));
    return 'failed';
  }
  if (chosen.edit !== undefined && !(await vscode.workspace.applyEdit(chosen.edit))) {
    void vscode.window.showErrorMessage(vscode.l10n.t('dockwise: {0}: VS Code could not apply the edit (was the file changed meanwhile?).', title));
    return 'failed';
  }
  if (chosen.command !== undefined) {
    await vscode.commands.executeCommand(chosen.command.command, ...(chosen.command.arguments ?? []));
  }
  return 'applied';
}
