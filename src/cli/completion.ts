/**
 * `meshviz completion bash|zsh`: a script that asks `meshviz __complete`
 * (`completeWords.ts`) what to offer for the word being typed, so commands,
 * flags and the workload names in the files on the line are always the
 * installed CLI's own. An answer of `:files` hands over to the shell's file
 * completion.
 */
export function completionScript(shell: 'bash' | 'zsh'): string {
  return shell === 'bash' ? BASH : ZSH;
}

const BASH = `# meshviz completion for bash. Load it with: source <(meshviz completion bash)
_meshviz() {
  # The words as typed (bash's own COMP_WORDS are also split at ':' and '=').
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -r -a words <<< "$line"
  [[ "$line" =~ [[:space:]]$ ]] && words+=("")
  local cur="\${words[\${#words[@]}-1]}"
  local IFS=$'\\n'
  local -a offer
  offer=($("\${words[0]}" __complete "\${words[@]:1}" 2>/dev/null))
  if [[ "\${offer[0]}" == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
    return 0
  fi
  COMPREPLY=($(compgen -W "\${offer[*]}" -- "$cur"))
  # bash replaces only what follows the last ':' or '=' of the word.
  local head="\${cur%"\${cur##*[:=]}"}"
  [[ -n "$head" ]] && COMPREPLY=("\${COMPREPLY[@]#"$head"}")
  return 0
}
complete -F _meshviz meshviz
`;

const ZSH = `#compdef meshviz
# meshviz completion for zsh. Load it with: source <(meshviz completion zsh)
# (after compinit), or save it as _meshviz in a directory of your fpath.
_meshviz() {
  local -a offer
  offer=("\${(@f)$(\${words[1]} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ "\${offer[1]}" == ":files" ]]; then
    _files
  else
    compadd -a offer
  fi
}
if [[ "\${funcstack[1]}" == "_meshviz" ]]; then
  _meshviz "$@"
else
  compdef _meshviz meshviz
fi
`;
