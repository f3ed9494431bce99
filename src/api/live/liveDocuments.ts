import { controlledDocuments, documentText } from '../../istio/index.ts';
import type { DocRef, SourceFile } from '../../istio/index.ts';
import type { Session } from '../Session.ts';
import { changedLines } from './changedLines.ts';

/** One document the controls own, as it reads now. */
export interface LiveDocument {
  ref: DocRef;
  title: string;
  text: string;
  /** Lines (1-based) that are new or changed since the files were opened: a line diff, so an inserted line marks only itself. */
  changedLines: number[];
}

export function liveDocuments(baseFiles: SourceFile[], current: Session): LiveDocument[] {
  return controlledDocuments(current.scenario).flatMap((ref) => {
    const text = firstText(current.files, ref);
    if (text === undefined) return [];
    const before = firstText(baseFiles, ref) ?? '';
    return [{ ref, title: `${ref.kind} ${ref.namespace}/${ref.name}`, text, changedLines: changedLines(before, text) }];
  });
}

function firstText(files: SourceFile[], ref: DocRef): string | undefined {
  for (const f of files) {
    const text = documentText(f.text, ref);
    if (text !== undefined) return text;
  }
  return undefined;
}
