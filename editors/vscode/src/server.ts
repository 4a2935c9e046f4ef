// Finding the dockwise executable: the setting, else the binary bundled in the .vsix, else PATH.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

export type ServerSource = 'setting' | 'bundled' | 'path';

export interface ServerLocation {
  path: string;
  source: ServerSource;
}

export interface ServerLookup {
  found?: ServerLocation;
  /** Every place looked at, in order, for the error message and the output channel. */
  tried: string[];
  /** Set when `dockwise.server.path` names a file that is not an executable. */
  badSetting?: string;
}

const exeName = process.platform === 'win32' ? 'dockwise.exe' : 'dockwise';

/** The folder inside the extension that `npm run copy-server` fills, e.g. `server/linux-x64`. */
export function bundledServerPath(extensionPath: string): string {
  return path.join(extensionPath, 'server', `${process.platform}-${process.arch}`, exeName);
}

export function findServer(extensionPath: string): ServerLookup {
  const tried: string[] = [];
  const configured = vscode.workspace.getConfiguration('dockwise').get<string>('server.path', '').trim();
  if (configured !== '') {
    const resolved = expandSettingPath(configured);
    tried.push(`setting dockwise.server.path: ${resolved}`);
    if (isExecutable(resolved)) {
      return { found: { path: resolved, source: 'setting' }, tried };
    }
    // A setting that names no executable is an error of its own: falling back silently to
    // another binary would hide the typo.
    return { tried, badSetting: resolved };
  }

  const bundled = bundledServerPath(extensionPath);
  tried.push(`bundled: ${bundled}`);
  if (isExecutable(bundled)) {
    return { found: { path: bundled, source: 'bundled' }, tried };
  }

  const onPath = searchPath(exeName);
  tried.push(`PATH: ${exeName}`);
  if (onPath !== undefined) {
    return { found: { path: onPath, source: 'path' }, tried };
  }
  return { tried };
}

function expandSettingPath(value: string): string {
  let expanded = value;
  if (expanded === '~' || expanded.startsWith('~/')) {
    expanded = path.join(os.homedir(), expanded.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, folder);
    if (!path.isAbsolute(expanded)) {
      expanded = path.join(folder, expanded);
    }
  }
  return expanded;
}

function searchPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, process.platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
