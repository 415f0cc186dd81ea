#!/usr/bin/env bash
# The source-rule checker must catch each kind of violation: build a throw-away tree with one
# of each and require a report for every one, and silence for a clean tree.
set -u
checker=${1:?checker script}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/clean/src/common" "$tmp/bad/src/common" "$tmp/bad/src/server" "$tmp/bad/src/mystery"
echo '#include "common/bytes.h"' >"$tmp/clean/src/common/ok.cpp"
"$checker" "$tmp/clean" >/dev/null || { echo "clean tree was rejected"; exit 1; }

echo '#include "crypto/hash.h"' >"$tmp/bad/src/common/upward.cpp"
echo '#include "protocol/session.h"' >"$tmp/bad/src/server/no_protocol.cpp"
echo '#include <sodium.h>' >"$tmp/bad/src/server/sodium.cpp"
echo '  #  include <openssl/evp.h>' >"$tmp/bad/src/server/indented.cpp"
mkdir -p "$tmp/bad/src/protocol"
echo '#include "crypto/detail/sodium.h"' >"$tmp/bad/src/protocol/private.cpp"
echo 'int x = bulwark::crypto::detail::secret();' >"$tmp/bad/src/protocol/private_ns.cpp"
echo 'using namespace std;' >"$tmp/bad/src/common/ns.h"
echo 'void f() { std::cerr << 1; }' >"$tmp/bad/src/common/print.cpp"
seq 801 | sed 's/.*/int x&;/' >"$tmp/bad/src/common/huge.cpp"
seq 301 | sed 's/.*/int y&;/' >"$tmp/bad/src/common/huge.h"
output=$("$checker" "$tmp/bad")
status=$?
expected=("may not include crypto/" "may not include protocol/" "only src/crypto may include"
          "no 'using namespace'" "must not print" "huge.cpp: 801 lines" "huge.h: 301 lines"
          "src/mystery: unknown module" "indented.cpp:1: only src/crypto may include"
          "crypto/detail/ is private to src/crypto" "private_ns.cpp:1: another module's detail::")
missing=0
for text in "${expected[@]}"; do
  grep -qF "$text" <<<"$output" || { echo "not reported: $text"; missing=1; }
done
((status != 0 && missing == 0)) || { echo "$output"; exit 1; }
echo "every planted violation was reported"
