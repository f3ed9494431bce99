/** A folder served under a URL prefix (`/` or `/name/`). */
export interface Mount {
  urlPrefix: string;
  dir: string;
}

/** Where a request URL points: a file relative to a mount's folder, or a refusal. */
export type Located = { kind: 'file'; mount: Mount; relative: string } | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps a raw request target to a file inside one of the mounts, without
 * touching the disk. The path is percent-decoded once, then refused if it
 * holds a NUL, a backslash, an empty segment or any segment starting with a
 * dot (`.`, `..`, dotfiles) — so encoded `..` and `/` cannot climb out.
 * Symlinks are the caller's to check against the real path. Mounts are tried
 * in order: put the longer prefixes first.
 */
export function locateFile(rawUrl: string, mounts: readonly Mount[]): Located {
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return { kind: 'refused', status: 400 };
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  if (path.includes('\0') || path.includes('\\')) return { kind: 'refused', status: 403 };
  const mount = mounts.find((m) => path.startsWith(m.urlPrefix) || path === m.urlPrefix.slice(0, -1));
  if (!mount) return { kind: 'refused', status: 404 };
  let relative = path.slice(mount.urlPrefix.length);
  if (relative === '' || relative.endsWith('/')) relative += 'index.html';
  if (relative.split('/').some((segment) => segment === '' || segment.startsWith('.'))) return { kind: 'refused', status: 403 };
  return { kind: 'file', mount, relative };
}
