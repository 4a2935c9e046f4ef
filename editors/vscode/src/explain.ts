// `dockwise.explainRule`: run `dockwise explain CODE --lang LANG` and show the markdown.
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { findServer } from './server';

const scheme = 'dockwise-explain';
const pages = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();

/** Explanations are read-only virtual documents, so closing one never asks to save it. */
export function registerExplainProvider(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(scheme, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => pages.get(uri.toString()) ?? '',
    }),
  );
}

/**
 * Asks for a rule code (the code of the dockwise diagnostic under the cursor is the default),
 * shows its explanation and returns the markdown, or undefined when cancelled or failed.
 */
export async function explainRule(
  context: vscode.ExtensionContext,
  given?: string,
): Promise<string | undefined> {
  const code = (typeof given === 'string' ? given : await askForCode())?.trim();
  if (code === undefined || code === '') {
    return undefined;
  }
  const server = findServer(context.extensionPath).found;
  if (server === undefined) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t('dockwise: cannot explain a rule: the dockwise executable was not found (see "dockwise.server.path").'),
    );
    return undefined;
  }

  const language = vscode.workspace.getConfiguration('dockwise').get<string>('language', 'auto');
  const parts: string[] = [];
  for (const lang of explainLanguages(language)) {
    const result = await run(server.path, ['explain', code, '--lang', lang]);
    if (result.error === undefined && result.stdout.trim() === '') {
      result.error = vscode.l10n.t('`{0} explain {1}` printed nothing', server.path, code);
    }
    if (result.error !== undefined) {
      void vscode.window.showErrorMessage(`dockwise: ${result.error}`);
      return undefined;
    }
    parts.push(result.stdout);
  }
  const markdown = parts.join('\n\n---\n\n');

  const uri = vscode.Uri.from({ scheme, path: `/${code}.md`, query: language });
  pages.set(uri.toString(), markdown);
  changed.fire(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // No markdown preview (it is a built-in extension that can be disabled): show the source.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    await vscode.window.showTextDocument(document, { preview: true });
  }
  return markdown;
}

/**
 * `explain` knows en and zh. "both" shows the two one after the other; "auto" follows VS Code's
 * display language, as the server does with the client's locale.
 */
function explainLanguages(setting: string): string[] {
  switch (setting) {
    case 'en':
    case 'zh':
      return [setting];
    case 'both':
      return ['en', 'zh'];
    default:
      return [vscode.env.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'];
  }
}

async function askForCode(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('dockwise: explain a rule'),
    prompt: vscode.l10n.t('Rule code, e.g. GO101, SEC301 or JSONArgsRecommended (`dockwise rules` lists them)'),
    value: codeUnderCursor(),
    validateInput: (value) => (/^\s*[A-Za-z][A-Za-z0-9_-]*\s*$/.test(value) ? undefined : vscode.l10n.t('A rule code such as GO101')),
  });
}

function codeUnderCursor(): string | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    return undefined;
  }
  const position = editor.selection.active;
  for (const diagnostic of vscode.languages.getDiagnostics(editor.document.uri)) {
    if (diagnostic.source === 'dockwise' && diagnostic.range.contains(position)) {
      const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
      if (code !== undefined) {
        return String(code);
      }
    }
  }
  return undefined;
}

function run(command: string, args: string[]): Promise<{ stdout: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 15000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null) {
        const detail = stderr.trim().replace(/^dockwise:\s*/, '') || error.message;
        resolve({ stdout, error: detail });
      } else {
        resolve({ stdout });
      }
    });
  });
}
