// The VS Code side of dockwise: start the language server, pass it the settings, and offer a
// few commands. Every check, hover, completion and rewrite lives in the server.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerCapabilities,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import { explainRule, registerExplainProvider } from './explain';
import { convert, RefactorKinds } from './refactor';
import { findServer, ServerLocation } from './server';

/** What the extension exports, for its integration test and for other extensions. */
export interface DockwiseApi {
  /** The executable the running client was started with. */
  serverLocation(): ServerLocation | undefined;
  /** Resolves once the client has started (or failed to). */
  ready(): Promise<boolean>;
  /** What the running server announced in its initialize result. */
  serverCapabilities(): ServerCapabilities | undefined;
}

let client: LanguageClient | undefined;
let location: ServerLocation | undefined;
let starting: Promise<boolean> = Promise.resolve(false);
let output: vscode.OutputChannel;

export function activate(context: vscode.ExtensionContext): DockwiseApi {
  output = vscode.window.createOutputChannel('dockwise');
  context.subscriptions.push(output);
  registerExplainProvider(context);

  const command = (id: string, run: (...args: any[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));
  command('dockwise.restartServer', () => (starting = restart(context)));
  command('dockwise.showOutput', () => output.show(true));
  command('dockwise.explainRule', (code?: string) => explainRule(context, code));
  command('dockwise.convertToMultiStage', (uri?: vscode.Uri) =>
    convert(RefactorKinds.multiStage, vscode.l10n.t('Convert to multi-stage build'), ensureRunning, uri),
  );
  command('dockwise.convertToScratch', (uri?: vscode.Uri) =>
    convert(RefactorKinds.scratch, vscode.l10n.t('Convert runtime stage to scratch'), ensureRunning, uri),
  );
  command('dockwise.convertToDistroless', (uri?: vscode.Uri) =>
    convert(RefactorKinds.distroless, vscode.l10n.t('Convert runtime stage to distroless'), ensureRunning, uri),
  );

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('dockwise.server.path')) {
        starting = restart(context);
      } else if (
        event.affectsConfiguration('dockwise.language') ||
        event.affectsConfiguration('dockwise.severity') ||
        event.affectsConfiguration('dockwise.ignore')
      ) {
        void client?.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { dockwise: serverSettings() },
        });
      }
    }),
    // A trusted workspace may now set dockwise.server.path: pick it up.
    vscode.workspace.onDidGrantWorkspaceTrust(() => (starting = restart(context))),
  );

  starting = start(context);
  return {
    serverLocation: () => location,
    ready: () => starting,
    serverCapabilities: () => client?.initializeResult?.capabilities,
  };
}

export function deactivate(): Thenable<void> | undefined {
  return stop();
}

/** The fields the server reads from `initializationOptions` and from the `dockwise` settings key. */
function serverSettings(): { language: string; ignore: string[]; severity: Record<string, string> } {
  const config = vscode.workspace.getConfiguration('dockwise');
  return {
    language: config.get<string>('language', 'auto'),
    ignore: config.get<string[]>('ignore', []),
    severity: config.get<Record<string, string>>('severity', {}),
  };
}

async function start(context: vscode.ExtensionContext): Promise<boolean> {
  const lookup = findServer(context.extensionPath);
  if (lookup.found === undefined) {
    location = undefined;
    output.appendLine(`dockwise: no server found; looked at:\n  ${lookup.tried.join('\n  ')}`);
    const message =
      lookup.badSetting !== undefined
        ? vscode.l10n.t('dockwise: the setting "dockwise.server.path" names no executable file: {0}', lookup.badSetting)
        : vscode.l10n.t(
            'dockwise: the dockwise language server was not found. It is not bundled for {0} and there is no "dockwise" on PATH. Put dockwise on PATH (see the dockwise README) or set "dockwise.server.path".',
            `${process.platform}-${process.arch}`,
          );
    const openSettings = vscode.l10n.t('Open Settings');
    const showOutput = vscode.l10n.t('Show Output');
    void vscode.window.showErrorMessage(message, openSettings, showOutput).then((choice) => {
      if (choice === openSettings) {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'dockwise.server.path');
      } else if (choice === showOutput) {
        output.show(true);
      }
    });
    return false;
  }

  location = lookup.found;
  output.appendLine(`dockwise: starting ${location.path} (${location.source})`);
  const serverOptions: ServerOptions = {
    command: location.path,
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
  };
  // The id 'dockwise' makes the client follow the `dockwise.trace.server` setting by itself.
  const created = new LanguageClient('dockwise', 'dockwise', serverOptions, clientOptions);
  client = created;
  try {
    await created.start();
    return true;
  } catch (error) {
    output.appendLine(`dockwise: the server failed to start: ${String(error)}`);
    void vscode.window
      .showErrorMessage(vscode.l10n.t('dockwise: the server {0} failed to start.', location.path), vscode.l10n.t('Show Output'))
      .then((choice) => choice === vscode.l10n.t('Show Output') && output.show(true));
    return false;
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running === undefined) {
    return;
  }
  try {
    if (running.state !== State.Stopped) {
      await running.stop(2000);
    }
  } catch (error) {
    output.appendLine(`dockwise: stopping the server: ${String(error)}`);
  }
  await running.dispose().catch(() => undefined);
}

async function restart(context: vscode.ExtensionContext): Promise<boolean> {
  await starting.catch(() => false);
  await stop();
  const ok = await start(context);
  if (ok) {
    vscode.window.setStatusBarMessage('dockwise: server restarted', 3000);
  }
  return ok;
}

/** Waits for a start in progress; false when there is no running server. */
async function ensureRunning(): Promise<boolean> {
  const ok = await starting.catch(() => false);
  return ok && client !== undefined && client.state === State.Running;
}
