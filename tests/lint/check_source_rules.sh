#!/usr/bin/env bash
# Source rules from DESIGN.md and STYLE.md that a reviewer should never have to check by hand:
#  1. each src/<module> includes only the modules it may depend on, and never another module's
#     detail/ headers or detail:: namespace;
#  2. only src/crypto includes libsodium or OpenSSL crypto headers (TLS in the transport code
#     of server/, client/ and witness/ is the one exception: the witness's HTTPS client sets
#     the TLS server name (SNI) and minimum version, which only <openssl/ssl.h> offers);
#  3. .cpp files stay at or under 800 lines, headers at or under 300;
#  4. no std::cerr / std::cout / printf in library code (the binaries' main.cpp and the cli
#     module print: that is their job), no `using namespace` in headers.
set -u
root=${1:?source root}
cd "$root/src" || exit 2
status=0
problem() { echo "$1"; status=1; }

# Allowed module dependencies (the arrows of DESIGN.md), each module may include itself.
declare -A allowed=(
  [common]="common"
  [crypto]="common crypto"
  [protocol]="common crypto protocol"
  [kt]="common crypto kt"
  [channel]="common crypto channel"
  [franking]="common crypto franking"
  [moderation]="common crypto moderation"
  [lawful]="common crypto kt lawful"
  [api]="common api"
  [store]="common store"
  [server]="common crypto kt channel franking moderation lawful api store server"
  [client]="common crypto protocol kt channel franking moderation lawful api client"
  [cli]="common crypto protocol kt channel franking moderation lawful api client cli"
  [witness]="common crypto kt witness"
)

for dir in */; do
  module=${dir%/}
  if [[ -z "${allowed[$module]+set}" ]]; then
    problem "src/$module: unknown module (add it to tests/lint/check_source_rules.sh)"
    continue
  fi
  while IFS=: read -r file line text; do
    included=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([a-z_]+)\/.*/\1/' <<<"$text")
    [[ " ${allowed[$module]} " == *" $included "* ]] ||
      problem "src/$file:$line: module $module may not include $included/"
    if [[ $included != "$module" ]] && grep -qE "\"$included/detail/" <<<"$text"; then
      problem "src/$file:$line: $included/detail/ is private to src/$included"
    fi
  done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z_]+/' "$module" || true)
  while IFS=: read -r file line text; do
    problem "src/$file:$line: another module's detail:: namespace is private to it"
  done < <(grep -rnE '(crypto|protocol|kt|channel|moderation|lawful|api|store|server|client|common)::detail::' "$module" |
           grep -vE "^$module/[^:]*:[0-9]+:.*\b$module::detail::" |
           grep -vE '(^|[^:])bulwark::detail::take_value' || true)
done

while IFS=: read -r file line text; do
  module=${file%%/*}
  if [[ $module != crypto ]] && ! { [[ $module == server || $module == client || $module == witness ]] &&
       grep -qE 'openssl/(ssl|err|x509|pem|bio)\.h' <<<"$text"; }; then
    problem "src/$file:$line: only src/crypto may include libsodium or OpenSSL crypto headers"
  fi
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(sodium|openssl/)' . |
         sed 's|^\./||' || true)

while read -r lines file; do
  [[ $file == total ]] && continue
  case $file in
    *.cpp) ((lines <= 800)) || problem "src/$file: $lines lines (limit 800)" ;;
    *.h) ((lines <= 300)) || problem "src/$file: $lines lines (limit 300)" ;;
  esac
done < <(find . -name '*.cpp' -o -name '*.h' | sed 's|^\./||' | xargs wc -l)

while IFS= read -r hit; do
  problem "src/$hit: library code must not print (use the logger or return an Error)"
done < <(grep -rnE 'std::(cerr|cout)|[^a-z_]printf\(' --include='*.cpp' --include='*.h' . \
         | grep -v 'fprintf(stderr, "bulwark: contract violation' | sed 's|^\./||' \
         | grep -vE '^(cli/|[a-z_]+/main\.cpp:)' || true)

while IFS= read -r hit; do
  problem "src/$hit: no 'using namespace' in headers"
done < <(grep -rnE '^\s*using namespace' --include='*.h' . | sed 's|^\./||' || true)

((status == 0)) && echo "source rules hold"
exit $status
