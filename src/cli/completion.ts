import type { Command, Option } from 'commander';

/**
 * Shell completion scripts, generated from the commander program itself so that every command a
 * module registers is completed without further work. The scripts carry the command tree as data
 * and read names (devices, groups, …) from the files in `<home>/completion/` that the store keeps
 * current (src/inventory/names-cache.ts): no Node process starts on a key press.
 */

/** What a positional argument or an option value completes to. */
export type CompletionKind =
  | 'devices' | 'groups' | 'credentials' | 'sites' | 'roles' | 'tags' | 'vendors' | 'models'
  | 'platforms' | 'settings' | 'shells' | 'on' | 'files' | 'none';

export interface CommandSpec {
  /** 'device edit'; '' for the program itself */
  path: string;
  subcommands: string[];
  /** every flag, long and short */
  options: string[];
  /** options that take a value, with what the value completes to */
  valueOptions: Record<string, CompletionKind>;
  /** positional arguments in order; a variadic last one repeats */
  args: CompletionKind[];
  variadic: boolean;
}

export interface CompletionData {
  commands: CommandSpec[];
  platforms: string[];
  settings: string[];
  onFields: string[];
}

const OPTION_KINDS: Record<string, CompletionKind> = {
  '--on': 'on',
  '--platform': 'platforms',
  '--platforms': 'platforms',
  '--credential': 'credentials',
  '--group': 'groups',
  '--ungroup': 'groups',
  '--jump-host': 'devices',
  '--site': 'sites',
  '--role': 'roles',
  '--tag': 'tags',
  '--untag': 'tags',
  '--vendor': 'vendors',
  '--model': 'models',
  '--file': 'files',
  '--home': 'files',
  '--log-dir': 'files',
  '--output': 'files',
  '--platform-map': 'files',
};

function argumentKind(path: string[], name: string): CompletionKind {
  const top = path[0] ?? '';
  if (name === 'key') return 'settings';
  if (name === 'shell') return 'shells';
  if (top === 'platform') return 'platforms';
  if (name === 'file') return 'files';
  if (/^device/.test(name)) return 'devices';
  if (/^group/.test(name)) return 'groups';
  if (/^credential/.test(name)) return 'credentials';
  if (name === 'name' || name === 'names') {
    if (top === 'group') return 'groups';
    if (top === 'credential') return 'credentials';
    if (top === 'device' || top === 'lab') return 'devices';
  }
  if (top === 'device' && name === 'name') return 'devices';
  return 'none';
}

function optionFlags(option: Option): string[] {
  return [option.long, option.short].filter((f): f is string => Boolean(f));
}

/** Walks the program: every command path with its subcommands, options and arguments. */
export function completionData(program: Command, extra: Omit<CompletionData, 'commands'>): CompletionData {
  const commands: CommandSpec[] = [];
  const visit = (command: Command, path: string[]): void => {
    const visible = command.commands.filter((c) => !(c as Command & { _hidden?: boolean })._hidden);
    const valueOptions: Record<string, CompletionKind> = {};
    for (const option of command.options) {
      if (!option.required && !option.optional) continue;
      for (const flag of optionFlags(option)) valueOptions[flag] = OPTION_KINDS[option.long ?? ''] ?? 'none';
    }
    const args = command.registeredArguments.map((a) => argumentKind(path, a.name()));
    commands.push({
      path: path.join(' '),
      subcommands: visible.flatMap((c) => [c.name(), ...c.aliases()]),
      options: [...command.options.flatMap(optionFlags), ...(path.length > 0 ? ['--help'] : ['--help', '--version'])],
      valueOptions,
      args,
      variadic: command.registeredArguments.at(-1)?.variadic ?? false,
    });
    for (const sub of visible) {
      visit(sub, [...path, sub.name()]);
      for (const alias of sub.aliases()) visit(sub, [...path, alias]);
    }
  };
  visit(program, []);
  return { commands, ...extra };
}

/** Single-quoted for bash/zsh/fish: no expansion inside. */
const q = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function bashData(data: CompletionData, shell: 'bash' | 'zsh'): string {
  const tables: Record<'_ns_sub' | '_ns_opt' | '_ns_val' | '_ns_arg', Array<[string, string]>> = { _ns_sub: [], _ns_opt: [], _ns_val: [], _ns_arg: [] };
  for (const c of data.commands) {
    const key = c.path || '.';
    tables._ns_sub.push([key, c.subcommands.join(' ')]);
    tables._ns_opt.push([key, c.options.join(' ')]);
    tables._ns_val.push([key, Object.entries(c.valueOptions).map(([f, k]) => `${f}=${k}`).join(' ')]);
    tables._ns_arg.push([key, c.args.join(' ') + (c.variadic ? ' ...' : '')]);
  }
  const lines: string[] = [];
  for (const [name, rows] of Object.entries(tables)) {
    // zsh keeps quotes in a subscript, so it gets the key/value list form; bash 4 the subscript form
    if (shell === 'zsh') lines.push(`${name}=(\n${rows.map(([k, v]) => `  ${q(k)} ${q(v)}`).join('\n')}\n)`);
    else for (const [k, v] of rows) lines.push(`${name}[${q(k)}]=${q(v)}`);
  }
  lines.push(`_ns_platforms=${q(data.platforms.join(' '))}`);
  lines.push(`_ns_settings=${q(data.settings.join(' '))}`);
  lines.push(`_ns_fields=${q(data.onFields.map((f) => `${f}:`).join(' '))}`);
  return lines.join('\n');
}

/**
 * The bash completion function; zsh runs the same through bashcompinit. Names come from the cache
 * files through awk (prefix match, ~2 ms for 10,000 names), never from the CLI.
 */
function bashFunction(): string {
  return `
_netstacks_home() {
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    if [[ \${COMP_WORDS[i]} == --home ]]; then printf '%s' "\${COMP_WORDS[i + 1]}"; return; fi
    if [[ \${COMP_WORDS[i]} == --home=* ]]; then printf '%s' "\${COMP_WORDS[i]#--home=}"; return; fi
  done
  printf '%s' "\${NETSTACKS_HOME:-\${XDG_DATA_HOME:-$HOME/.local/share}/netstacks}"
}

# names of one kind starting with $2, each prefixed with $3
_netstacks_names() {
  local kind=$1 prefix=$2 lead=$3 list=
  case $kind in
    platforms) list=$_ns_platforms ;;
    settings) list=$_ns_settings ;;
    shells) list='bash zsh fish' ;;
    sources) list='manual import netbox lab' ;;
    files) COMPREPLY+=($(compgen -f -- "$prefix")); return ;;
    none) return ;;
    devices|groups|credentials|sites|roles|tags|vendors|models)
      local file
      file="$(_netstacks_home)/completion/$kind"
      [[ -r $file ]] || return
      local IFS=$'\\n'
      COMPREPLY+=($(LC_ALL=C awk -v p="$prefix" -v l="$lead" 'index($0, p) == 1 { print l $0 }' "$file"))
      return ;;
  esac
  local w
  for w in $list; do [[ $w == "$prefix"* ]] && COMPREPLY+=("$lead$w"); done
}

# --on EXPR: field prefixes (site:, tag:, …), then the values of that field; bare words are names
_netstacks_on() {
  local cur=$1 quote= head= term
  if [[ $cur == [\\'\\"]* ]]; then quote=\${cur:0:1}; cur=\${cur:1}; fi
  term=\${cur##*[ (!,]}
  head=$quote\${cur:0:\${#cur}-\${#term}}
  if [[ $term == *:* ]]; then
    local field=\${term%%:*} value=\${term#*:} kind
    case $field in
      name) kind=devices ;; tag) kind=tags ;; site) kind=sites ;; role) kind=roles ;; platform) kind=platforms ;;
      group) kind=groups ;; vendor) kind=vendors ;; model) kind=models ;; credential) kind=credentials ;; source) kind=sources ;;
      *) return ;;
    esac
    _netstacks_names "$kind" "$value" "$head$field:"
  else
    local f
    for f in $_ns_fields; do [[ $f == "$term"* ]] && COMPREPLY+=("$head$f"); done
    _netstacks_names devices "$term" "$head"
    compopt -o nospace 2>/dev/null
  fi
}

_netstacks() {
  COMPREPLY=()
  local cur=\${COMP_WORDS[COMP_CWORD]} cmdpath= i w kind positional=0 skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $w == -* ]]; then
      [[ $w == *=* ]] && continue
      [[ " \${_ns_val[\${cmdpath:-.}]} \${_ns_val[.]} " == *" $w="* ]] && skip=1
      continue
    fi
    if [[ -n \${_ns_sub[\${cmdpath:-.}]} && " \${_ns_sub[\${cmdpath:-.}]} " == *" $w "* && $positional == 0 ]]; then
      cmdpath=\${cmdpath:+$cmdpath }$w
    else
      ((positional++))
    fi
  done
  local prev=\${COMP_WORDS[COMP_CWORD - 1]}
  if ((COMP_CWORD > 1)) && [[ $prev == -* ]]; then
    for w in \${_ns_val[\${cmdpath:-.}]} \${_ns_val[.]}; do
      if [[ \${w%%=*} == "$prev" ]]; then
        kind=\${w#*=}
        if [[ $kind == on ]]; then _netstacks_on "$cur"; else _netstacks_names "$kind" "$cur" ''; fi
        return
      fi
    done
  fi
  if [[ $cur == -* ]]; then
    for w in \${_ns_opt[\${cmdpath:-.}]} \${_ns_opt[.]}; do [[ $w == "$cur"* ]] && COMPREPLY+=("$w"); done
    return
  fi
  if [[ -n \${_ns_sub[\${cmdpath:-.}]} && $positional == 0 ]]; then
    for w in \${_ns_sub[\${cmdpath:-.}]}; do [[ $w == "$cur"* ]] && COMPREPLY+=("$w"); done
    return
  fi
  local -a args=(\${_ns_arg[\${cmdpath:-.}]})
  local n=\${#args[@]}
  ((n == 0)) && return
  if ((positional < n)) && [[ \${args[positional]} != ... ]]; then kind=\${args[positional]}
  elif [[ \${args[n - 1]} == ... ]]; then kind=\${args[n - 2]}
  else return
  fi
  _netstacks_names "$kind" "$cur" ''
}
`;
}

export function bashScript(data: CompletionData): string {
  return `# netstacks completion for bash: eval "$(netstacks completion bash)" in ~/.bashrc
declare -gA _ns_sub _ns_opt _ns_val _ns_arg
${bashData(data, 'bash')}
${bashFunction()}
complete -o default -F _netstacks netstacks
`;
}

export function zshScript(data: CompletionData): string {
  return `#compdef netstacks
# netstacks completion for zsh: eval "$(netstacks completion zsh)" in ~/.zshrc (after compinit)
autoload -U +X bashcompinit && bashcompinit
typeset -gA _ns_sub _ns_opt _ns_val _ns_arg
${bashData(data, 'zsh')}
${bashFunction()}
complete -o default -F _netstacks netstacks
`;
}

/** fish: the same tree as data, walked by a fish function; names from the same cache files. */
export function fishScript(data: CompletionData): string {
  const lines: string[] = ['# netstacks completion for fish: netstacks completion fish > ~/.config/fish/completions/netstacks.fish'];
  for (const c of data.commands) {
    const key = c.path.replace(/[^A-Za-z0-9]/g, '_') || 'ROOT';
    lines.push(`set -g __ns_sub_${key} ${c.subcommands.map(q).join(' ')}`);
    lines.push(`set -g __ns_opt_${key} ${c.options.map(q).join(' ')}`);
    lines.push(`set -g __ns_val_${key} ${Object.entries(c.valueOptions).map(([f, k]) => q(`${f}=${k}`)).join(' ')}`);
    lines.push(`set -g __ns_arg_${key} ${[...c.args, ...(c.variadic ? ['...'] : [])].map(q).join(' ')}`);
  }
  lines.push(`set -g __ns_platforms ${data.platforms.map(q).join(' ')}`);
  lines.push(`set -g __ns_settings ${data.settings.map(q).join(' ')}`);
  lines.push(`set -g __ns_fields ${data.onFields.map((f) => q(`${f}:`)).join(' ')}`);
  lines.push(`
function __ns_home
    set -l tokens (commandline -opc)
    for i in (seq (count $tokens))
        if test "$tokens[$i]" = --home; and test $i -lt (count $tokens)
            echo $tokens[(math $i + 1)]
            return
        end
    end
    if set -q NETSTACKS_HOME; echo $NETSTACKS_HOME
    else if set -q XDG_DATA_HOME; echo $XDG_DATA_HOME/netstacks
    else; echo $HOME/.local/share/netstacks
    end
end

function __ns_names -a kind prefix lead
    switch $kind
        case platforms
            string match -- "$prefix*" $__ns_platforms | string replace -r '^' -- "$lead"
        case settings
            string match -- "$prefix*" $__ns_settings | string replace -r '^' -- "$lead"
        case shells
            string match -- "$prefix*" bash zsh fish
        case sources
            string match -- "$prefix*" manual import netbox lab | string replace -r '^' -- "$lead"
        case files
            __fish_complete_path $prefix
        case devices groups credentials sites roles tags vendors models
            set -l file (__ns_home)/completion/$kind
            test -r $file; or return
            awk -v p="$prefix" -v l="$lead" 'index($0, p) == 1 { print l $0 }' $file
    end
end

function __ns_var -a name key
    set -l var __ns_$name"_"(string replace -ra '[^A-Za-z0-9_]' _ -- $key)
    set -q $var; and test (count $$var) -gt 0; and printf '%s\\n' $$var
end

function __ns_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l key ROOT
    set -l positional 0
    set -l skip 0
    for w in $tokens[2..]
        if test $skip = 1; set skip 0; continue; end
        if string match -q -- '-*' $w
            string match -q -- '*=*' $w; and continue
            for v in (__ns_var val $key) $__ns_val_ROOT
                test (string split -m1 = -- $v)[1] = $w; and set skip 1
            end
            continue
        end
        set -l subs (__ns_var sub $key)
        if test $positional = 0; and contains -- $w $subs
            if test $key = ROOT; set key $w; else; set key $key"_"$w; end
        else
            set positional (math $positional + 1)
        end
    end
    set -l prev $tokens[-1]
    if test (count $tokens) -gt 1; and string match -q -- '-*' $prev
        for v in (__ns_var val $key) $__ns_val_ROOT
            set -l parts (string split -m1 = -- $v)
            if test "$parts[1]" = "$prev"
                if test "$parts[2]" = on
                    __ns_on $cur
                else
                    __ns_names $parts[2] $cur ''
                end
                return
            end
        end
    end
    if string match -q -- '-*' $cur
        string match -- "$cur*" (__ns_var opt $key) $__ns_opt_ROOT
        return
    end
    set -l subs (__ns_var sub $key)
    if test (count $subs) -gt 0; and test $positional = 0
        string match -- "$cur*" $subs
        return
    end
    set -l args (__ns_var arg $key)
    set -l n (count $args)
    test $n = 0; and return
    set -l kind
    set -l at (math $positional + 1)
    if test $positional -lt $n; and test "$args[$at]" != ...
        set kind $args[$at]
    else if test "$args[-1]" = ...; and test $n -gt 1
        set kind $args[-2]
    else
        return
    end
    __ns_names $kind $cur ''
end

function __ns_on -a cur
    set -l term (string replace -r '^.*[ (!,]' '' -- $cur)
    set -l head (string sub -l (math (string length -- $cur) - (string length -- $term)) -- $cur)
    if string match -q -- '*:*' $term
        set -l parts (string split -m1 : -- $term)
        set -l kind
        switch $parts[1]
            case name; set kind devices
            case tag; set kind tags
            case site; set kind sites
            case role; set kind roles
            case platform; set kind platforms
            case group; set kind groups
            case vendor; set kind vendors
            case model; set kind models
            case credential; set kind credentials
            case source; set kind sources
            case '*'; return
        end
        __ns_names $kind $parts[2] "$head$parts[1]:"
    else
        string match -- "$term*" $__ns_fields | string replace -r '^' -- "$head"
        __ns_names devices $term $head
    end
end

complete -c netstacks -f -a '(__ns_complete)'
`);
  return lines.join('\n') + '\n';
}
