// The integration test. test/ci.sh loads this module into the extension host of a real VS Code
// (code-server) through the workbench's `payload` URL parameter (extensionTestsPath). It runs
// on the server side, so it reports through a JSON file that the driver polls:
//   <run dir>/results.json  { done, checks: [{ name, passed, message, ms }] }
// where <run dir> is the parent of the workspace folder. The driver writes <run dir>/ui-done
// once it has taken its screenshot; the checks that change the UI wait for it.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

interface Check {
  name: string;
  passed: boolean;
  message: string;
  ms: number;
}

interface DockwiseApi {
  serverLocation(): { path: string; source: string } | undefined;
  ready(): Promise<boolean>;
  serverCapabilities(): { codeActionProvider?: boolean | { codeActionKinds?: string[] } } | undefined;
}

const extensionId = 'dockwise.dockwise';
const checks: Check[] = [];
let resultsFile = '';

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder === undefined) {
    throw new Error('dockwise test: no workspace folder open');
  }
  const runDir = path.dirname(folder);
  resultsFile = path.join(runDir, 'results.json');
  const dockerfile = vscode.Uri.file(path.join(folder, 'Dockerfile'));
  const buildDockerfile = vscode.Uri.file(path.join(folder, 'api', 'build.Dockerfile'));
  const containerfile = vscode.Uri.file(path.join(folder, 'refactor', 'Containerfile'));
  write(false);

  await check('extension activates with the bundled server', async () => {
    const extension = vscode.extensions.getExtension<DockwiseApi>(extensionId);
    if (extension === undefined) {
      throw new Error(`extension ${extensionId} is not installed`);
    }
    const api = await extension.activate();
    if (!(await api.ready())) {
      throw new Error('the language client did not start (see the dockwise output channel)');
    }
    const location = api.serverLocation();
    if (location?.source !== 'bundled') {
      throw new Error(`server from ${location?.source}: ${location?.path}`);
    }
    return `${location.path}`;
  });

  await check('*.Dockerfile and Containerfile are dockerfile documents', async () => {
    const ids = await Promise.all(
      [buildDockerfile, containerfile].map(async (uri) => (await vscode.workspace.openTextDocument(uri)).languageId),
    );
    if (ids.some((id) => id !== 'dockerfile')) {
      throw new Error(`language ids: ${ids.join(', ')}`);
    }
    return ids.join(', ');
  });

  const document = await vscode.workspace.openTextDocument(dockerfile);

  await check('diagnostics: GO101 from dockwise', async () => {
    const diagnostics = await waitFor(
      () => {
        const all = vscode.languages.getDiagnostics(dockerfile).filter((d) => d.source === 'dockwise');
        return all.some((d) => codeOf(d) === 'GO101') ? all : undefined;
      },
      30000,
      () => `diagnostics so far: ${JSON.stringify(vscode.languages.getDiagnostics(dockerfile).map(codeOf))}`,
    );
    return diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).join(', ');
  });

  await check('hover on FROM returns text', async () => {
    const line = lineOf(document, /^FROM\b/);
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        dockerfile,
        new vscode.Position(line, 1),
      )) ?? [];
    const text = hovers
      .flatMap((hover) => hover.contents)
      .map((content) => (typeof content === 'string' ? content : content.value))
      .join('\n')
      .trim();
    if (text === '') {
      throw new Error(`no hover text (${hovers.length} hovers)`);
    }
    return clip(text);
  });

  await check('completion after `go build -` offers -ldflags', async () => {
    const build = await vscode.workspace.openTextDocument(buildDockerfile);
    const line = lineOf(build, /go build -$/);
    const position = new vscode.Position(line, build.lineAt(line).text.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      buildDockerfile,
      position,
      '-',
    );
    const labels = (list?.items ?? []).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    if (!labels.includes('-ldflags')) {
      throw new Error(`no -ldflags among ${labels.length} items: ${clip(labels.join(' '))}`);
    }
    return `${labels.length} items, e.g. ${labels.slice(0, 6).join(' ')}`;
  });

  // The rest opens editors, previews or notifications: wait until the driver has its screenshot.
  await waitFor(() => (fs.existsSync(path.join(runDir, 'ui-done')) ? true : undefined), 120000).catch(() => undefined);

  await check('explain GO101 shows its explanation', async () => {
    const markdown = await vscode.commands.executeCommand<string | undefined>('dockwise.explainRule', 'GO101');
    if (markdown === undefined || !markdown.includes('GO101')) {
      throw new Error(`got ${markdown === undefined ? 'nothing' : clip(markdown)}`);
    }
    const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
    const shown = await waitFor(
      () => tabs().find((label) => label.includes('GO101')),
      10000,
      () => `no editor tab shows GO101; tabs: ${tabs().join(', ')}`,
    );
    return `${markdown.length} characters in the tab "${shown}"`;
  });

  await check('settings reach the server: dockwise.language zh, dockwise.ignore GO101', async () => {
    const config = () => vscode.workspace.getConfiguration('dockwise');
    const go101 = () => vscode.languages.getDiagnostics(dockerfile).find((d) => codeOf(d) === 'GO101');
    try {
      await config().update('language', 'zh', vscode.ConfigurationTarget.Global);
      const chinese = await waitFor(
        () => (/[\u4e00-\u9fff]/.test(go101()?.message ?? '') ? go101() : undefined),
        15000,
        () => `GO101 reads: ${go101()?.message}`,
      );
      await config().update('ignore', ['GO101'], vscode.ConfigurationTarget.Global);
      await waitFor(() => (go101() === undefined ? true : undefined), 15000, () => 'GO101 is still reported');
      return `GO101 in Chinese ("${clip(chinese.message).slice(0, 40)}…"), then gone when ignored`;
    } finally {
      await config().update('ignore', undefined, vscode.ConfigurationTarget.Global);
      await config().update('language', 'en', vscode.ConfigurationTarget.Global);
    }
  });

  await check('restart server and show output', async () => {
    const restarted = await vscode.commands.executeCommand<boolean>('dockwise.restartServer');
    if (restarted !== true) {
      throw new Error(`dockwise.restartServer returned ${restarted}`);
    }
    await waitFor(
      () => (vscode.languages.getDiagnostics(dockerfile).some((d) => codeOf(d) === 'GO101') ? true : undefined),
      15000,
      () => 'no GO101 after the restart',
    );
    await vscode.commands.executeCommand('dockwise.showOutput');
    return 'GO101 is back after the restart';
  });

  await check('refactor to multi-stage gives two FROM lines', async () => {
    const target = await vscode.workspace.openTextDocument(containerfile);
    const before = countFrom(target.getText());
    const whole = target.validateRange(new vscode.Range(0, 0, target.lineCount, 0));
    const offered =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        containerfile,
        whole,
        'refactor.rewrite.dockwise.to-multi-stage',
      )) ?? [];
    const kinds = offered.map((a) => ('kind' in a && a.kind !== undefined ? a.kind.value : a.title));
    const outcome = await vscode.commands.executeCommand<string>('dockwise.convertToMultiStage', containerfile);
    const after = countFrom(target.getText());
    if (outcome !== 'applied' || after < 2) {
      // VS Code asks a server for a kind only if it announced a kind that contains it.
      const provider = vscode.extensions.getExtension<DockwiseApi>(extensionId)?.exports?.serverCapabilities()
        ?.codeActionProvider;
      const announced = typeof provider === 'object' ? provider.codeActionKinds : undefined;
      throw new Error(
        `command outcome "${outcome}", FROM lines ${before} -> ${after}; ` +
          `actions offered for the kind: [${kinds.join(', ')}]; ` +
          `the server announces codeActionKinds ${JSON.stringify(announced ?? provider)}`,
      );
    }
    return `FROM lines ${before} -> ${after}`;
  });

  write(true);
}

async function check(name: string, body: () => Promise<string>): Promise<void> {
  const started = Date.now();
  try {
    const message = await withTimeout(body(), 45000, name);
    checks.push({ name, passed: true, message, ms: Date.now() - started });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    checks.push({ name, passed: false, message, ms: Date.now() - started });
  }
  write(false);
}

function write(done: boolean): void {
  const temporary = `${resultsFile}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify({ done, checks }, null, 2));
  fs.renameSync(temporary, resultsFile);
}

async function waitFor<T>(probe: () => T | undefined, ms: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms${describe ? `: ${describe()}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return String(typeof code === 'object' ? code.value : code);
}

function lineOf(document: vscode.TextDocument, pattern: RegExp): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (pattern.test(document.lineAt(line).text)) {
      return line;
    }
  }
  throw new Error(`no line matches ${pattern} in ${document.uri.fsPath}`);
}

function countFrom(text: string): number {
  return (text.match(/^\s*FROM\s/gim) ?? []).length;
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
